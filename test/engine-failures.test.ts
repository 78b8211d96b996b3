/**
 * Issue 10: failures as data through the engine, and the scratch directories
 * a killed build leaves behind. Graphs here are hand-written steps whose
 * run() the test controls, so each failure is exactly the one under test.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, StepFailed, type EngineEvent, type EngineGraph, type StepSpec } from "../src/engine/index.js";
import { jsonEvent } from "../src/report/json.js";

const SECRET = "sk-live-very-secret-42";

function step(id: string, run: StepSpec["run"], more: Partial<StepSpec> = {}): StepSpec {
  return { id, kind: "test", version: 1, params: { id }, inputs: [], files: [], pool: "local", run, ...more };
}

function graphOf(steps: StepSpec[]): EngineGraph {
  const root = mkdtempSync(join(tmpdir(), "dramake-failures-"));
  return { root, steps, pools: { local: 4 } };
}

async function run(graph: EngineGraph, keepGoing = true) {
  const events: EngineEvent[] = [];
  const r = await build(graph, { keepGoing, onEvent: (e) => events.push(e) });
  assert.ok(r.ok);
  const failed = new Map(events.flatMap((e) => (e.type === "failed" ? [[e.id, e] as const] : [])));
  const skipped = new Map(events.flatMap((e) => (e.type === "skipped" ? [[e.id, e.why] as const] : [])));
  return { events, failed, skipped, report: r.value };
}

test("a typed failure thrown by a step reaches the failed event, the report and --json with its kind and fields, secrets redacted", async () => {
  const g = graphOf([
    step(
      "typed",
      async () => {
        throw new StepFailed(`HTTP 400 for key ${SECRET}`, { kind: "provider-rejected", status: 400, echoed: { header: `Bearer ${SECRET}` }, tries: [1, 2] });
      },
      { secrets: { api_key: SECRET } },
    ),
    // A provider's own error class: any error with a `failure` whose kind is a string is read the same way.
    step("carrier", async () => {
      throw Object.assign(new Error("ffmpeg failed (exit 1)"), { failure: { kind: "tool-failed", tool: "ffmpeg", exitCode: 1, signal: null, dropped: () => 1 } });
    }),
    step("plain", async () => {
      throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
    }),
    step("silent", async () => undefined, { materialize: { out: "out.txt" } }),
  ]);
  const { failed, report } = await run(g);

  assert.deepEqual(failed.get("typed")!.failure, { kind: "provider-rejected", status: 400, echoed: { header: "Bearer ***" }, tries: [1, 2] });
  assert.equal(failed.get("typed")!.message, "HTTP 400 for key ***");
  assert.deepEqual(failed.get("carrier")!.failure, { kind: "tool-failed", tool: "ffmpeg", exitCode: 1, signal: null }, "only JSON fields are carried");
  assert.deepEqual(failed.get("plain")!.failure, { kind: "error", code: "ENOSPC" });
  assert.deepEqual(failed.get("silent")!.failure, { kind: "no-output", outputs: ["out"] });
  assert.deepEqual(
    report.failures.map((f) => [f.id, f.failure.kind]).sort(),
    [["carrier", "tool-failed"], ["plain", "error"], ["silent", "no-output"], ["typed", "provider-rejected"]],
  );

  const line = JSON.stringify(jsonEvent(failed.get("typed")!));
  assert.deepEqual(JSON.parse(line), {
    event: "step",
    id: "typed",
    state: "failed",
    ms: JSON.parse(line).ms,
    cost: 0,
    reason: "HTTP 400 for key ***",
    failure: { kind: "provider-rejected", status: 400, echoed: { header: "Bearer ***" }, tries: [1, 2] },
  });
  assert.ok(!line.includes(SECRET));
});

test("cancellation is told by type, not by the words of a message", async () => {
  let running = 0;
  let release!: () => void;
  const started = new Promise<void>((r) => (release = r));
  const aborted = (signal: AbortSignal) => {
    if (++running === 2) release();
    return new Promise((r) => signal.addEventListener("abort", r, { once: true }));
  };
  const g = graphOf([
    // Fails once the other two are running; without --keep-going that stops the build and aborts them.
    step("boom", async () => {
      await started;
      throw new StepFailed("boom", { kind: "test-boom" });
    }),
    // A real failure whose message happens to say "stopped" or "aborted": still a failure.
    step("worded", async (ctx) => {
      await aborted(ctx.signal);
      throw new StepFailed("the pump stopped: pressure aborted", { kind: "test-pump" });
    }),
    // Gives up with its signal's reason, as an AbortSignal user does: cancelled.
    step("obeys", async (ctx) => {
      await aborted(ctx.signal);
      throw ctx.signal.reason;
    }),
  ]);
  const { failed, skipped } = await run(g, false);
  assert.deepEqual([...failed.keys()].sort(), ["boom", "worded"]);
  assert.equal(failed.get("worded")!.failure.kind, "test-pump");
  assert.match(skipped.get("obeys") ?? "", /^cancelled: stopped after boom failed/);
});

/** A pid no process has: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

test("a build removes the scratch directories of dead processes and keeps those of live ones", async () => {
  const g = graphOf([step("a", async (ctx) => void (await ctx.output("out", { bytes: ctx.tmpDir.length > 0 ? "made" : "" })))]);
  const tmp = join(g.root, ".dramake", "tmp");
  const dead = [`run-${deadPid()}-abc123`, "run-Xy12Zq"]; // the second named as before pids were in the name
  const live = `run-${process.ppid}-def456`;
  for (const d of [...dead, live]) {
    mkdirSync(join(tmp, d, "sub"), { recursive: true });
    writeFileSync(join(tmp, d, "sub", "clip.mp4"), "half a clip");
  }
  await run(g);
  for (const d of dead) assert.ok(!existsSync(join(tmp, d)), `${d} (a killed build's) is removed`);
  assert.ok(existsSync(join(tmp, live, "sub", "clip.mp4")), "the live process's directory is left alone");
  assert.deepEqual(readdirSync(tmp), [live], "the step's own scratch directory is gone after it ran");
});
