import { test } from "node:test";
import assert from "node:assert/strict";
import { criticalPath, PriorityPool } from "../src/engine/priority-pool.js";
import { checkGraph } from "../src/engine/graph.js";
import type { StepSpec } from "../src/engine/step.js";

test("the pool never runs more than its size, and starts waiting tasks by priority, then by arrival", async () => {
  const pool = new PriorityPool(2);
  const started: string[] = [];
  let running = 0;
  let peak = 0;
  const gates = new Map<string, () => void>();
  const task = (name: string) => () => {
    started.push(name);
    peak = Math.max(peak, ++running);
    return new Promise<string>((resolve) => gates.set(name, () => (running--, resolve(name))));
  };
  const results = [
    pool.run(0, task("first")),
    pool.run(0, task("second")),
    pool.run(1, task("low")),
    pool.run(5, task("high")),
    pool.run(1, task("low-later")),
    pool.run(9, task("urgent")),
  ];
  assert.deepEqual(started, ["first", "second"]);
  assert.equal(pool.pending, 4);
  const order = ["first", "second", "urgent", "high", "low", "low-later"];
  for (const name of order) {
    await new Promise((r) => setImmediate(r));
    gates.get(name)!();
  }
  assert.deepEqual(await Promise.all(results), ["first", "second", "low", "high", "low-later", "urgent"]);
  assert.deepEqual(started, order);
  assert.equal(peak, 2);
});

test("a task that throws frees its slot and rejects its own promise only", async () => {
  const pool = new PriorityPool(1);
  const failing = pool.run(1, () => Promise.reject(new Error("boom")));
  const next = pool.run(0, async () => "ran");
  await assert.rejects(failing, /boom/);
  assert.equal(await next, "ran");
});

const step = (id: string, inputs: string[] = [], weight?: number): StepSpec => ({
  id, kind: "t", version: 1, params: null, inputs, files: [], pool: "p", ...(weight === undefined ? {} : { weight }), run: async () => undefined,
});

test("criticalPath is a step's weight plus the heaviest chain after it", () => {
  // a -> b(5) -> d ; a -> c -> d ; e alone. d weighs 2.
  const checked = checkGraph([step("a"), step("b", ["a"], 5), step("c", ["a"]), step("d", ["b", "c"], 2), step("e")]);
  assert.ok(checked.ok);
  const rank = criticalPath(checked.value);
  assert.deepEqual(Object.fromEntries(rank), { d: 2, b: 7, c: 3, a: 8, e: 1 });
});
