/**
 * Series benchmark (issue 11): a generated 30-episode x 8-scene series
 * against the single-episode baseline (one episode of 8 scenes), same
 * generator, same machine, same run. Measured in-process on the compiled
 * library (dist/), each a median of RUNS:
 *   plan      load + validate every file, lay out the graph, plan it (cold store)
 *   no-op     a build in which every step is cached (the engine's full path)
 *   fast      the no-op fast path (stat calls against the no-op snapshot)
 * The real steps' work is replaced by stubs writing a few bytes (same ids,
 * parameters and keys), so the cache is filled in seconds, not by rendering
 * 240 scenes; what is timed is dramake's own cost. Prints ms per step and the
 * ratio per step (series / single); 1.0 means a series costs no more per step.
 * usage: npm run build && node bench/series/run.mjs [episodes=30] [scenes=8] [runs=5]
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateSeries } from "./generate.mjs";
import { loadOffline, medianMs, stubbed } from "../lib/stub-graph.mjs";
import { dist, requireDist } from "../lib/timing.mjs";

const EPISODES = Number(process.argv[2] ?? 30);
const SCENES = Number(process.argv[3] ?? 8);
const RUNS = Number(process.argv[4] ?? 5);
requireDist("bench/series");
const { loadBuildGraph } = await import(pathToFileURL(dist("graph/load.js")).href);
const { build, computePlan, checkNoop } = await import(pathToFileURL(dist("engine/index.js")).href);

const load = (dir) => loadOffline(loadBuildGraph, dir);
const time = (fn) => medianMs(RUNS, fn);

async function measure(label, episodes) {
  const dir = mkdtempSync(join(tmpdir(), `dramake-series-${label}-`));
  generateSeries(dir, episodes, SCENES);
  const plan = await time(async () => {
    const p = await computePlan(await load(dir));
    if (!p.ok) throw new Error(JSON.stringify(p.error));
  });
  const identity = { target: dir, variant: "bench", stamp: "bench" };
  const first = await build(stubbed(await load(dir)), { onEvent: () => {}, noop: identity });
  if (!first.ok || first.value.summary.failed > 0) throw new Error(`${label}: the stub build failed`);
  const steps = first.value.summary.total;
  const noop = await time(async () => {
    const r = await build(stubbed(await load(dir)), { onEvent: () => {}, noop: identity });
    if (!r.ok || r.value.summary.ran > 0) throw new Error(`${label}: not a no-op`);
  });
  const fast = await time(async () => {
    if (!(await checkNoop(dir, identity))) throw new Error(`${label}: the fast path missed`);
  });
  return { label, steps, plan, noop, fast };
}

const single = await measure("single", 0);
const series = await measure("series", EPISODES);
const row = (m) =>
  `${m.label.padEnd(8)} ${String(m.steps).padStart(6)} steps   plan ${m.plan.toFixed(0).padStart(6)} ms (${((m.plan / m.steps) * 1000).toFixed(0)} µs/step)   no-op ${m.noop.toFixed(0).padStart(6)} ms (${((m.noop / m.steps) * 1000).toFixed(0)} µs/step)   fast ${m.fast.toFixed(1).padStart(6)} ms`;
console.log(`bench/series: ${EPISODES} episodes x ${SCENES} scenes against 1 x ${SCENES} (baseline), median of ${RUNS}`);
console.log(row(single));
console.log(row(series));
const ratio = (k) => (series[k] / series.steps / (single[k] / single.steps)).toFixed(2);
console.log(`ratio per step (series / single): plan ${ratio("plan")}x, no-op build ${ratio("noop")}x, no-op fast path ${ratio("fast")}x`);
