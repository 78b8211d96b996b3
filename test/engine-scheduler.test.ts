import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph, deferred } from "./fixtures/graphs/synthetic.mjs";

type Deferred = { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };
const project = () => mkdtempSync(join(tmpdir(), "dramake-sched-"));

/** Polls on the event loop (no fixed sleeps) until `cond` holds. */
async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

test("each pool runs exactly as many steps at once as its limit, never more", async () => {
  const steps = [
    ...Array.from({ length: 9 }, (_, i) => ({ id: `img/${i}`, pool: "img" })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `vid/${i}`, pool: "vid" })),
  ];
  const limits: Record<string, number> = { img: 3, vid: 1 };
  const running: Record<string, Set<string>> = { img: new Set(), vid: new Set() };
  const max: Record<string, number> = { img: 0, vid: 0 };
  const gates = new Map<string, Deferred>();
  const control = async (id: string) => {
    const pool = id.split("/")[0]!;
    running[pool]!.add(id);
    max[pool] = Math.max(max[pool]!, running[pool]!.size);
    const gate: Deferred = deferred();
    gates.set(id, gate);
    await gate.promise;
    running[pool]!.delete(id);
  };
  const graph: EngineGraph = syntheticGraph(project(), { steps, pools: limits }, { control });
  const done = build(graph, { onEvent: () => undefined });
  let released = 0;
  const remaining = { img: 9, vid: 4 } as Record<string, number>;
  while (released < steps.length) {
    // Wait until every pool is as full as it can be, then let one step go.
    await waitFor(() => Object.keys(limits).every((p) => running[p]!.size === Math.min(limits[p]!, remaining[p]!)), "pools to fill");
    const pool = remaining.img! > 0 ? "img" : "vid";
    const id = [...running[pool]!][0]!;
    remaining[pool]!--;
    gates.get(id)!.resolve();
    await waitFor(() => !running[pool]!.has(id), `${id} to finish`);
    released++;
  }
  const r = await done;
  assert.ok(r.ok);
  assert.equal(r.value.summary.ran, 13);
  assert.deepEqual(max, { img: 3, vid: 1 });
});

test("-j caps concurrency across pools", async () => {
  let now = 0;
  let peak = 0;
  const control = async () => {
    peak = Math.max(peak, ++now);
    await new Promise((r) => setTimeout(r, 2));
    now--;
  };
  const steps = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, pool: i % 2 ? "a" : "b" }));
  const r = await build(syntheticGraph(project(), { steps, pools: { a: 8, b: 8 } }, { control }), { jobs: 2, onEvent: () => undefined });
  assert.ok(r.ok);
  assert.equal(peak, 2);
});

test("an aborted build cancels local steps but lets paid remote steps finish, and caches them", async () => {
  const root = project();
  const gates = new Map<string, Deferred>();
  const control = async (id: string, ctx: { signal: AbortSignal }) => {
    const gate: Deferred = deferred();
    gates.set(id, gate);
    ctx.signal.addEventListener("abort", () => gate.reject(ctx.signal.reason), { once: true });
    await gate.promise;
  };
  const desc = {
    steps: [
      { id: "remote/clip", remote: true, pool: "cloud" },
      { id: "local/render", pool: "local" },
      { id: "after", inputs: ["remote/clip"] },
    ],
  };
  const stop = new AbortController();
  const events: EngineEvent[] = [];
  const done = build(syntheticGraph(root, desc, { control }), { signal: stop.signal, onEvent: (e) => events.push(e) });
  await waitFor(() => gates.has("remote/clip") && gates.has("local/render"), "both steps to start");
  stop.abort();
  await waitFor(() => events.some((e) => e.type === "skipped" && e.id === "local/render"), "the local step to be cancelled");
  assert.ok(!events.some((e) => e.type === "finished"), "the remote step is still running");
  gates.get("remote/clip")!.resolve();
  const r = await done;
  assert.ok(r.ok);
  assert.equal(r.value.summary.aborted, true);
  const states = Object.fromEntries(events.filter((e) => e.type === "finished" || e.type === "skipped").map((e) => [(e as { id: string }).id, e.type]));
  assert.deepEqual(states, { "remote/clip": "finished", "local/render": "skipped", after: "skipped" });
  assert.ok(events.some((e) => e.type === "notice" && /remote/.test(e.message)));

  const again: EngineEvent[] = [];
  const r2 = await build(syntheticGraph(root, desc), { onEvent: (e) => again.push(e) });
  assert.ok(r2.ok);
  assert.deepEqual(again.filter((e) => e.type === "cached").map((e) => (e as { id: string }).id), ["remote/clip"]);
});

test("a step's journal survives a failed run, so the next run can resume its remote job", async () => {
  const root = project();
  const seen: (string | undefined)[] = [];
  let attempt = 0;
  const control = async (_id: string, ctx: { journal: { get(n: string): string | undefined; set(n: string, v: string): Promise<void> } }) => {
    seen.push(ctx.journal.get("job"));
    if (attempt++ === 0) {
      await ctx.journal.set("job", "job-42");
      throw new Error("connection reset");
    }
  };
  const desc = { steps: [{ id: "clip", remote: true }] };
  const r1 = await build(syntheticGraph(root, desc, { control }), { onEvent: () => undefined });
  assert.ok(r1.ok && r1.value.summary.failed === 1);
  const r2 = await build(syntheticGraph(root, desc, { control }), { onEvent: () => undefined });
  assert.ok(r2.ok && r2.value.summary.ran === 1);
  assert.deepEqual(seen, [undefined, "job-42"]);
});

test("a freed slot starts the step heading the longest chain of work, not the oldest in the queue", async () => {
  // One slot: `hold` takes it, then everything else queues. `head` is declared last, but the
  // heavy `tail` waits on it, so it must start first; the equal short steps then go in order.
  const steps = [
    { id: "hold", pool: "p" },
    ...Array.from({ length: 4 }, (_, i) => ({ id: `short/${i}`, pool: "p" })),
    { id: "head", pool: "p" },
    { id: "tail", pool: "q", inputs: ["head"], weight: 10 },
  ];
  const started: string[] = [];
  const hold: Deferred = deferred();
  const control = async (id: string) => {
    started.push(id);
    if (id === "hold") await hold.promise;
  };
  const done = build(syntheticGraph(project(), { steps, pools: { p: 1, q: 1 } }, { control }), { onEvent: () => undefined });
  await waitFor(() => started.length === 1, "hold to start");
  // Everything else is queued for the slot before it frees.
  await new Promise((r) => setImmediate(r));
  hold.resolve();
  const r = await done;
  assert.ok(r.ok);
  // `tail` (its own pool) starts whenever `head` is done; the order asked for is the slot's.
  assert.deepEqual(started.filter((id) => id !== "tail"), ["hold", "head", "short/0", "short/1", "short/2", "short/3"]);
  assert.ok(started.includes("tail"));
});

