/**
 * Pieces below the CLI that `watch` relies on: the engine side of "a failed
 * step is not retried on every unrelated save" (`knownFailures`, keys watch
 * remembers from failed events) on a synthetic graph, and a terminal reporter
 * that stays quiet once closed, since watch prints on after every build.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

type Desc = { steps: Record<string, unknown>[] };
const graphOf = (root: string, desc: Desc): EngineGraph => syntheticGraph(root, desc, {});
const desc = (other: number): Desc => ({
  steps: [
    { id: "broken", params: { p: 1 }, fail: true },
    { id: "after", params: {}, inputs: ["broken"] },
    { id: "other", params: { n: other } },
  ],
});

async function run(graph: EngineGraph, extra: Partial<Parameters<typeof build>[1]> = {}) {
  const events: EngineEvent[] = [];
  const r = await build(graph, { onEvent: (e) => events.push(e), ...extra });
  return { r, events, started: events.filter((e) => e.type === "started").map((e) => (e as { id: string }).id).sort() };
}

test("a known failing key is reported failed without running and without stopping the build; --force or a new key runs it", async () => {
  const root = mkdtempSync(join(tmpdir(), "dramake-known-"));
  const first = await run(graphOf(root, desc(1)), { keepGoing: true });
  const failed = first.events.find((e) => e.type === "failed");
  assert.ok(failed && failed.type === "failed" && failed.id === "broken" && failed.key !== undefined, "a failed event carries the step's key");
  const known = new Map([[failed.key!, { message: "failed before with these inputs", failure: failed.failure }]]);

  // An unrelated edit (other's n): no keep-going, yet the known failure does not stop other from running.
  const second = await run(graphOf(root, desc(2)), { knownFailures: known });
  assert.deepEqual(second.started, ["other"], "broken is not run again");
  const replay = second.events.find((e) => e.type === "failed");
  assert.ok(replay && replay.type === "failed");
  assert.equal(replay.message, "failed before with these inputs");
  assert.deepEqual(replay.failure, failed.failure, "the remembered failure is replayed as data too");
  assert.equal(replay.key, failed.key);
  assert.ok(second.events.some((e) => e.type === "skipped" && e.id === "after"), "its dependents stay blocked");
  assert.ok(second.r.ok && second.r.value.summary.failed === 1 && !second.r.value.summary.aborted);

  const forced = await run(graphOf(root, desc(2)), { knownFailures: known, force: ["broken"] });
  assert.deepEqual(forced.started, ["broken"]);

  // A change to the failing step's own parameters is a new key: it runs.
  const edited: Desc = { steps: desc(2).steps.map((s) => (s.id === "broken" ? { ...s, params: { p: 2 } } : s)) };
  const third = await run(graphOf(root, edited), { knownFailures: known });
  assert.deepEqual(third.started, ["broken"]);
});

test("terminal reporter: a redraw pending when a permanent line redraws at once never fires after the summary", async (t) => {
  const { terminalReporter } = await import("../src/report/terminal.js");
  t.mock.timers.enable({ apis: ["setTimeout"] });
  let text = "";
  const r = terminalReporter({ isTTY: true, columns: 100, write: (s: string) => (text += s) }, { color: false });
  r.event({ type: "started", id: "final", reasons: [], remote: false });
  r.event({ type: "progress", id: "final", fraction: 0.4 });
  r.event({ type: "finished", id: "final", ms: 5, cost: 0, reasons: [] });
  r.event({ type: "summary", summary: { total: 1, ran: 1, cached: 0, failed: 0, skipped: 0, estimated: 0, spent: 0, saved: 0, output: undefined, ms: 5, aborted: false } });
  r.close();
  const end = text.length;
  t.mock.timers.tick(1000);
  assert.equal(text.slice(end), "", "nothing drawn after close (watch prints its own lines next)");
});

test("save debounce on a controlled clock: a lone save builds DEBOUNCE_MS later; ten uneven saves within a second build twice, MIN_GAP_MS apart, the last after the last save", async (t) => {
  const { SaveDebounce, DEBOUNCE_MS, MIN_GAP_MS } = await import("../src/cli/save-debounce.js");
  t.mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  // One ms at a time: a timer's callback then sees Date.now() at its own due time, not at the end of a longer tick.
  const advance = (ms: number) => {
    for (let i = 0; i < ms; i++) t.mock.timers.tick(1);
  };
  const builds: number[] = [];
  // Each build starts when the debounce fires (watch may first have to stop a running one; the gap counts from here).
  const d: InstanceType<typeof SaveDebounce> = new SaveDebounce(() => {
    builds.push(Date.now());
    d.building();
  }, () => Date.now());

  d.saved();
  advance(DEBOUNCE_MS - 1);
  assert.deepEqual(builds, [], "not before the quiet time");
  advance(1);
  assert.deepEqual(builds, [DEBOUNCE_MS]);

  // Well after that build: ten saves with uneven pauses, some longer than the debounce.
  advance(5000);
  const start = Date.now();
  builds.length = 0;
  const pauses = [30, 200, 40, 170, 60, 20, 180, 50, 30, 0];
  const saves: number[] = [];
  for (const pause of pauses) {
    saves.push(Date.now() - start);
    d.saved();
    advance(pause);
  }
  advance(10 * MIN_GAP_MS);
  const at = builds.map((b) => b - start);
  // The 200 ms pause after the second save lets a build start inside the burst; the rest wait for the gap.
  assert.deepEqual(at, [30 + DEBOUNCE_MS, 30 + DEBOUNCE_MS + MIN_GAP_MS]);
  assert.ok(at.at(-1)! >= saves.at(-1)! + DEBOUNCE_MS, "the last save is built");

  // Stopping cancels a pending build.
  d.saved();
  d.cancel();
  advance(10 * MIN_GAP_MS);
  assert.equal(builds.length, 2);
});
