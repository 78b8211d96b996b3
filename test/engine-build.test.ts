import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, chmodSync, statSync, existsSync, utimesSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, computePlan, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

type Desc = { steps: Record<string, unknown>[]; pools?: Record<string, number>; budget?: number; output?: string };
const graphOf = (root: string, desc: Desc, opts: Record<string, unknown> = {}): EngineGraph => syntheticGraph(root, desc, opts);

function project(files: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), "dramake-engine-"));
  for (const [p, c] of Object.entries(files)) writeFileSync(join(root, p), c);
  return root;
}

async function run(graph: EngineGraph, extra: Partial<Parameters<typeof build>[1]> = {}) {
  const events: EngineEvent[] = [];
  const r = await build(graph, { onEvent: (e) => events.push(e), ...extra });
  const ran = events.filter((e) => e.type === "finished").map((e) => (e as { id: string }).id).sort();
  return { r, events, ran };
}

const chain: Desc = {
  steps: [
    { id: "a", params: { prompt: "a cat" }, files: ["in.txt"] },
    { id: "b", params: { n: 1 }, inputs: ["a"], viaFile: true },
    { id: "c", params: { n: 2 }, inputs: ["b"], materialize: { out: "final.txt" } },
    { id: "d", params: { other: true } },
  ],
  output: "final.txt",
};

test("a second run of the same graph executes 0 steps, and the lockfile is sorted and time-free", async () => {
  const root = project({ "in.txt": "hello" });
  const first = await run(graphOf(root, chain));
  assert.deepEqual(first.ran, ["a", "b", "c", "d"]);
  assert.ok(first.r.ok && first.r.value.summary.output === "build/final.txt");
  const second = await run(graphOf(root, chain));
  assert.deepEqual(second.ran, []);
  assert.ok(second.r.ok);
  assert.equal(second.r.value.summary.cached, 4);
  const lock = readFileSync(join(root, "drama.lock"), "utf8");
  const ids = Object.keys(JSON.parse(lock).steps);
  assert.deepEqual(ids, [...ids].sort());
  assert.doesNotMatch(lock, /20\d\d-\d\d-\d\d/);
  assert.match(readFileSync(join(root, "build/final.txt"), "utf8"), /"params":\{"n":2\}/);
});

test("a parameter edit re-runs the step and its downstream cone, and says which field changed", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  const edited: Desc = { ...chain, steps: chain.steps.map((s) => (s.id === "b" ? { ...s, params: { n: 7 } } : s)) };
  const plan = await computePlan(graphOf(root, edited));
  assert.ok(plan.ok);
  const byId = new Map(plan.value.steps.map((s) => [s.id, s]));
  assert.equal(byId.get("a")!.action, "cached");
  assert.deepEqual(byId.get("b")!.reasons, [{ kind: "param-changed", fields: [{ path: "n", old: "1", new: "7" }] }]);
  assert.equal(byId.get("c")!.action, "run");
  assert.deepEqual(byId.get("c")!.reasons, [{ kind: "input-changed", steps: [], files: [], pending: ["b"] }]);
  const again = await run(graphOf(root, edited));
  assert.deepEqual(again.ran, ["b", "c"]);
});

test("an input file edit re-runs exactly the steps reading it, downstream included", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  writeFileSync(join(root, "in.txt"), "hello, world");
  const plan = await computePlan(graphOf(root, chain));
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.steps.find((s) => s.id === "a")!.reasons, [{ kind: "input-changed", steps: [], files: ["in.txt"], pending: [] }]);
  assert.deepEqual((await run(graphOf(root, chain))).ran, ["a", "b", "c"]);
});

test("a corrupted object (bytes flipped on disk) is detected, reported and its step re-run", async () => {
  const root = project({ "in.txt": "hello" });
  const first = await run(graphOf(root, chain));
  assert.ok(first.r.ok);
  const lock = JSON.parse(readFileSync(join(root, "drama.lock"), "utf8"));
  const digest: string = lock.steps.b.outputs.out.digest;
  const object = join(root, ".dramake/cache/objects", digest.slice(0, 2), digest.slice(2));
  chmodSync(object, 0o644);
  const bytes = readFileSync(object);
  bytes[0] = bytes[0]! ^ 0xff;
  writeFileSync(object, bytes);
  // A later write than the store's (same-tick writes are the silent case below).
  utimesSync(object, new Date(), new Date(Date.now() + 2000));
  const plan = await computePlan(graphOf(root, chain));
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.steps.find((s) => s.id === "b")!.reasons, [{ kind: "output-corrupt", outputs: ["out"] }]);
  const again = await run(graphOf(root, chain));
  // The re-run restores the same bytes, so c keeps its key (early cutoff).
  assert.deepEqual(again.ran, ["b"]);
  assert.notEqual(readFileSync(object)[0], bytes[0]);
});

test("a cycle is refused, naming the cycle", async () => {
  const root = project();
  const r = await run(graphOf(root, { steps: [{ id: "x", inputs: ["z"] }, { id: "y", inputs: ["x"] }, { id: "z", inputs: ["y"] }] }));
  assert.ok(!r.r.ok);
  assert.equal(r.r.error.kind, "cycle");
  const { describeFailure } = await import("../src/engine/index.js");
  assert.match(describeFailure(r.r.error), /cycle: (x -> y -> z -> x|y -> z -> x -> y|z -> x -> y -> z)/);
});

test("a build whose estimate exceeds the budget runs nothing and says estimate vs budget", async () => {
  const root = project();
  const desc: Desc = { steps: [{ id: "p", estimate: 3 }, { id: "q", estimate: 2.5 }], budget: 5 };
  const r = await run(graphOf(root, desc));
  assert.deepEqual(r.ran, []);
  assert.ok(!r.r.ok);
  assert.deepEqual(r.r.error, { kind: "over-budget", estimate: 5.5, budget: 5, steps: 2 });
  assert.ok((await run(graphOf(root, desc), { budget: 6 })).r.ok);
});

test("fail fast stops other branches; --keep-going builds every branch a failure does not block", async () => {
  const desc: Desc = {
    steps: [{ id: "bad", fail: true }, { id: "after-bad", inputs: ["bad"] }, { id: "ok1" }, { id: "ok2", inputs: ["ok1"] }],
    pools: { local: 1 },
  };
  const root = project();
  const fast = await run(graphOf(root, desc));
  assert.ok(fast.r.ok);
  assert.equal(fast.r.value.summary.failed, 1);
  assert.ok(fast.r.value.summary.ran < 2, "fail-fast must not build the independent branch to the end");
  const root2 = project();
  const going = await run(graphOf(root2, desc), { keepGoing: true });
  assert.ok(going.r.ok);
  assert.deepEqual(going.ran, ["ok1", "ok2"]);
  assert.deepEqual(going.r.value.failures, [{ id: "bad", message: "step bad failed on purpose", failure: { kind: "error" } }]);
  const skipped = going.events.find((e) => e.type === "skipped");
  assert.deepEqual(skipped, { type: "skipped", id: "after-bad", why: "blocked by bad" });
});

test("secrets never reach action records, the lockfile or error messages", async () => {
  const root = project();
  const secret = "sk-very-secret-key-123";
  const r = await run(
    graphOf(root, { steps: [{ id: "s", params: { model: "m" }, secrets: { apiKey: secret } }, { id: "t", fail: true, secrets: { apiKey: secret } }] }),
    { keepGoing: true },
  );
  assert.ok(r.r.ok);
  const dump = [readFileSync(join(root, "drama.lock"), "utf8"), ...readdirSync(join(root, ".dramake/cache/actions")).map((k) => readFileSync(join(root, ".dramake/cache/actions", k), "utf8"))].join("\n");
  assert.ok(!dump.includes(secret));
});

test("store objects are read-only and build outputs are hardlinks to them", async () => {
  const root = project({ "in.txt": "x" });
  await run(graphOf(root, chain));
  const out = statSync(join(root, "build/final.txt"));
  assert.equal(out.nlink, 2);
  assert.equal(out.mode & 0o222, 0);
  assert.ok(!existsSync(join(root, ".dramake/tmp")) || readdirSync(join(root, ".dramake/tmp")).length === 0);
});

test("an engine I/O error (build/ output blocked by a directory) fails that step, not the whole build", async () => {
  const root = project({ "in.txt": "x" });
  const { mkdirSync } = await import("node:fs");
  mkdirSync(join(root, "build/final.txt"), { recursive: true });
  writeFileSync(join(root, "build/final.txt/keep"), "user file");
  const r = await run(graphOf(root, chain), { keepGoing: true });
  assert.ok(r.r.ok);
  assert.deepEqual(r.r.value.failures.map((f) => f.id), ["c"]);
  assert.equal(r.r.value.summary.ran, 3);
});

/** Flip a byte in the object of `step`'s output and put its stat data back: bit rot that stat cannot see. */
function rot(root: string, step: string): string {
  const lock = JSON.parse(readFileSync(join(root, "drama.lock"), "utf8"));
  const digest: string = lock.steps[step].outputs.out.digest;
  const object = join(root, ".dramake/cache/objects", digest.slice(0, 2), digest.slice(2));
  const before = statSync(object);
  chmodSync(object, 0o644);
  const bytes = readFileSync(object);
  bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
  writeFileSync(object, bytes);
  utimesSync(object, before.atime, before.mtime);
  return object;
}

test("silent corruption of a cached input is caught when a step is about to read it: the producer re-runs first", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  rot(root, "b");
  const edited: Desc = { ...chain, steps: chain.steps.map((s) => (s.id === "c" ? { ...s, params: { n: 3 } } : s)) };
  const again = await run(graphOf(root, edited));
  assert.ok(again.r.ok && again.r.value.failures.length === 0);
  assert.deepEqual(again.ran, ["b", "c"]);
  const started = again.events.find((e) => e.type === "started" && e.id === "b");
  assert.deepEqual(started && "reasons" in started ? started.reasons : undefined, [{ kind: "output-corrupt", outputs: ["out"] }]);
  assert.match(readFileSync(join(root, "build/final.txt"), "utf8"), /"params":\{"n":3\}/);
});

test("silent corruption of an output is caught when it is linked into build/ again, and the step re-runs", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  rmSync(join(root, "build"), { recursive: true });
  const object = rot(root, "c");
  const again = await run(graphOf(root, chain));
  assert.deepEqual(again.ran, ["c"]);
  assert.equal(readFileSync(join(root, "build/final.txt"), "utf8"), readFileSync(object, "utf8"));
  assert.match(readFileSync(join(root, "build/final.txt"), "utf8"), /"params":\{"n":2\}/);
});

test("--force re-runs the named steps; identical output keeps downstream cached (early cutoff)", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  const forced = await run(graphOf(root, chain), { force: ["b"] });
  assert.deepEqual(forced.ran, ["b"]);
  const started = forced.events.find((e) => e.type === "started");
  assert.deepEqual(started && "reasons" in started ? started.reasons : undefined, [{ kind: "forced" }]);
  const unknown = await run(graphOf(root, chain), { force: ["nope"] });
  assert.ok(!unknown.r.ok && unknown.r.error.kind === "unknown-force");
});

test("drama.lock is valid JSON with one line per step", async () => {
  const root = project({ "in.txt": "hello" });
  await run(graphOf(root, chain));
  const text = readFileSync(join(root, "drama.lock"), "utf8");
  const parsed = JSON.parse(text);
  assert.deepEqual(Object.keys(parsed.steps), ["a", "b", "c", "d"]);
  const stepLines = text.split("\n").filter((l) => /^ {4}"/.test(l));
  assert.equal(stepLines.length, 4);
  assert.match(stepLines[0]!, /^ {4}"a": \{"key":"[0-9a-f]{16}","outputs":\{"out":\{"digest":"[0-9a-f]{16}","size":\d+\}\}\},$/);
});
