/**
 * Build targets and step groups in the generic engine, on synthetic graphs:
 * a target builds its cone only and forgets nothing else; groups are costed
 * apart in plan and summary, and a group's budget refuses before spending.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, computePlan, describeFailure, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

/** Two "episodes" sharing one input step `shared`; each has a paid step and a materialized final. */
function twoEpisodes(root: string, edit: Record<string, unknown> = {}): EngineGraph {
  const steps = [
    { id: "shared", params: { look: "kind eyes" }, estimate: 0.04, cost: 0.04 },
    { id: "episode/01/clip", params: { n: 1, ...edit }, inputs: ["shared"], estimate: 0.5, cost: 0.5 },
    { id: "episode/01/final", inputs: ["episode/01/clip"], materialize: { out: "s/01-a.txt" } },
    { id: "episode/02/clip", params: { n: 2 }, inputs: ["shared"], estimate: 0.25, cost: 0.25 },
    { id: "episode/02/final", inputs: ["episode/02/clip"], materialize: { out: "s/02-b.txt" } },
  ];
  const graph: EngineGraph = syntheticGraph(root, { steps });
  return {
    ...graph,
    groups: [
      { name: "01", steps: ["episode/01/clip", "episode/01/final"], output: "s/01-a.txt" },
      { name: "02", steps: ["episode/02/clip", "episode/02/final"], output: "s/02-b.txt", budget: 0.3 },
    ],
  };
}

async function run(graph: EngineGraph, extra: Partial<Parameters<typeof build>[1]> = {}) {
  const events: EngineEvent[] = [];
  const r = await build(graph, { onEvent: (e) => events.push(e), ...extra });
  const ran = events.filter((e) => e.type === "finished").map((e) => (e as { id: string }).id).sort();
  return { r, ran };
}

const fresh = () => mkdtempSync(join(tmpdir(), "dramake-targets-"));

test("a target builds its cone only; the other episode is neither run nor forgotten", async () => {
  const root = fresh();
  const first = await run(twoEpisodes(root), { targets: ["episode/02"] });
  assert.deepEqual(first.ran, ["episode/02/clip", "episode/02/final", "shared"]);
  assert.ok(first.r.ok);
  assert.equal(first.r.value.summary.total, 3);
  assert.equal(first.r.value.summary.spent, 0.29);
  assert.deepEqual(first.r.value.summary.groups, { "02": { estimated: 0.25, spent: 0.25, saved: 0, output: "build/s/02-b.txt" } });
  assert.ok(!existsSync(join(root, "build/s/01-a.txt")));

  // The whole series, then an edit in episode 01 built through its target: 02's lock entries and file stay.
  assert.deepEqual((await run(twoEpisodes(root))).ran, ["episode/01/clip", "episode/01/final"]);
  const before = JSON.parse(readFileSync(join(root, "drama.lock"), "utf8")).steps;
  const edited = await run(twoEpisodes(root, { n: 10 }), { targets: ["episode/01/final"] });
  assert.deepEqual(edited.ran, ["episode/01/clip", "episode/01/final"]);
  const after = JSON.parse(readFileSync(join(root, "drama.lock"), "utf8")).steps;
  assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
  assert.deepEqual(after["episode/02/final"], before["episode/02/final"]);
  assert.notDeepEqual(after["episode/01/clip"], before["episode/01/clip"]);
  assert.ok(existsSync(join(root, "build/s/02-b.txt")));
});

test("plan costs each group apart; an unknown target is refused", async () => {
  const root = fresh();
  const plan = await computePlan(twoEpisodes(root));
  assert.ok(plan.ok);
  assert.equal(plan.value.estimate, 0.79);
  assert.deepEqual(plan.value.groups, { "01": { estimated: 0.5, saved: 0 }, "02": { estimated: 0.25, saved: 0 } });
  const one = await computePlan(twoEpisodes(root), { targets: ["episode/01"] });
  assert.ok(one.ok);
  assert.deepEqual(one.value.steps.map((s) => s.id), ["shared", "episode/01/clip", "episode/01/final"]);
  assert.deepEqual(Object.keys(one.value.groups), ["01"]);
  const unknown = await computePlan(twoEpisodes(root), { targets: ["episode/03"] });
  assert.ok(!unknown.ok);
  assert.deepEqual(unknown.error, { kind: "unknown-target", pattern: "episode/03" });
});

test("a group over its own budget refuses the build before anything runs, naming the group", async () => {
  const root = fresh();
  writeFileSync(join(root, "marker"), "");
  const graph = twoEpisodes(root);
  const over = { ...graph, groups: graph.groups!.map((g) => (g.name === "02" ? { ...g, budget: 0.2 } : g)) };
  const r = await run(over);
  assert.deepEqual(r.ran, []);
  assert.ok(!r.r.ok);
  assert.deepEqual(r.r.error, { kind: "over-budget", estimate: 0.25, budget: 0.2, steps: 2, group: "02" });
  assert.match(describeFailure(r.r.error), /of 02 exceeds its budget of \$0\.20/);
  // Without episode 02 in the build, its budget does not apply; the build's own budget covers the total.
  assert.ok((await run(over, { targets: ["episode/01"] })).r.ok);
  const total = await run(twoEpisodes(fresh()), { budget: 0.5 });
  assert.ok(!total.r.ok && total.r.error.kind === "over-budget" && total.r.error.group === undefined);
});
