/**
 * Takes on the storyboard (issue 13): after every build, the page reads the
 * takes of every keyframe, clip and portrait in one pass over the action
 * cache (engine/takes.ts chosenTakes). Timed against the cheapest build
 * there is, a no-op build of the same project (the engine's full path), so
 * the ratio says what the pass adds to a build at its least. The project is
 * bench/series's generated series (30 x 8 by default), its cache filled by
 * stub steps (same ids, parameters and keys; a few bytes per output), with
 * `extra` more takes of every keyframe, as a director's retakes leave them.
 * Median of RUNS, in-process on the compiled library (dist/).
 * usage: npm run build && node bench/takes/run.mjs [episodes=30] [scenes=8] [extra=2] [runs=7]
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateSeries } from "../series/generate.mjs";
import { loadOffline, medianMs, stubbed } from "../lib/stub-graph.mjs";
import { dist, requireDist } from "../lib/timing.mjs";

const EPISODES = Number(process.argv[2] ?? 30);
const SCENES = Number(process.argv[3] ?? 8);
const EXTRA = Number(process.argv[4] ?? 2);
const RUNS = Number(process.argv[5] ?? 7);
requireDist("bench/takes");
const { loadBuildGraph } = await import(pathToFileURL(dist("graph/load.js")).href);
const { build, chosenTakes } = await import(pathToFileURL(dist("engine/index.js")).href);

const load = (dir) => loadOffline(loadBuildGraph, dir);
const time = (fn) => medianMs(RUNS, fn);

const dir = mkdtempSync(join(tmpdir(), "dramake-takes-bench-"));
generateSeries(dir, EPISODES, SCENES);
const identity = { target: dir, variant: "bench", stamp: "bench" };
const quiet = { onEvent: () => {}, noop: identity };
// Older takes first (take 2.. of every keyframe), then take 1 chosen: what drama.lock points at.
for (let n = 2; n <= EXTRA + 1; n++) {
  const r = await build(stubbed(await load(dir), (s) => (s.id.endsWith("/keyframe") ? n : s.take)), quiet);
  if (!r.ok || r.value.summary.failed > 0) throw new Error("the stub build of an extra take failed");
}
const first = await build(stubbed(await load(dir)), quiet);
if (!first.ok || first.value.summary.failed > 0) throw new Error("the stub build failed");

const graph = await load(dir);
const ids = [...graph.layout.portraits.values(), ...graph.layout.episodes.flatMap((ep) => ep.scenes.flatMap((p) => [p.keyframe.step, ep.view.ids.clip(p.scene.id)]))];
const records = readdirSync(join(dir, ".dramake/cache/actions")).length;

const noop = await time(async () => {
  const r = await build(stubbed(await load(dir)), quiet);
  if (!r.ok || r.value.summary.ran > 0) throw new Error("not a no-op");
});
let found = 0;
const takes = await time(async () => {
  const all = await chosenTakes(dir, ids);
  found = [...all.values()].reduce((n, t) => n + t.family.length, 0);
});

console.log(`bench/takes: ${EPISODES} x ${SCENES} series, ${graph.steps.length} steps, ${records} action records, ${ids.length} steps with takes shown (${found} takes), median of ${RUNS}`);
console.log(`no-op build (baseline) ${noop.toFixed(0).padStart(6)} ms`);
console.log(`takes pass             ${takes.toFixed(0).padStart(6)} ms`);
console.log(`ratio (takes pass / no-op build): ${(takes / noop).toFixed(2)}x`);
