/**
 * Series-sized bench (issue 27): a generated 60-episode series of 20 written
 * shots an episode (5 scenes x 4 shots, bench/shots-series/generate.mjs)
 * against the single-episode case of the same shape, and the no-op against
 * ninja's on a graph of the same size. Each written shot is its own
 * keyframe, clip and cut since the shot wiring (issue 27) landed.
 *   plan       `dramake plan` as a whole cold process: CPU (user + system), median; of the
 *              fresh project (nothing cached: every file parsed), and of the built one
 *   no-op      `dramake build` after a full build, cold process (the CLI's no-op fast
 *              path), median; and the engine's full-path no-op in-process (every step
 *              planned, found cached, restored: what --target or a changed snapshot pays)
 *   ninja      ninja's no-op on a build.ninja of as many edges (one input each, a final
 *              edge reading them all), as bench/noop builds it
 * The cache is filled by a build whose steps' work is stubbed (bench/lib/stub-graph.mjs:
 * same ids, parameters and keys, a few bytes each), so 60 episodes fill in seconds.
 * Goals: plan <= 1 s CPU, no-op <= 2x ninja (series size). Prints per step ratios too.
 * Measured before the shot wiring (a scene of shots was one clip), 2-core machine shared
 * at load 15, median of 5: 60 x 20 shots = 2,825 steps against 52: plan 1.66 s CPU
 * (single 0.55 s; 0.06x per step: the fixed cost is start-up), no-op 830 ms wall / 200 ms
 * CPU (single 234 ms), ninja 340 ms wall: 2.44x; the engine's full-path no-op 2.20 s
 * in-process (780 µs/step against 559: 1.40x per step). Both goals missed at this
 * size. A CPU profile of that plan: no hot spot, a long tail (GC 0.5 s of 4.1 s
 * sampled, module compile 0.35 s, reads and stats, canonical JSON and zod per step).
 * With the shot wiring merged (scene/<id>/shot/<n>/keyframe|clip|cut), load 20:
 * 5,825 steps against 102: plan 2.03 s CPU (single 0.68 s), no-op 937 ms wall /
 * 240 ms CPU (single 759 ms / 180 ms), ninja 389 ms wall / 80 ms CPU: 2.41x; the
 * engine's full-path no-op 5.08 s (872 µs/step against 1020: 0.85x per step).
 * Goals: plan <= 1 s CPU missed (2.0x over), no-op <= 2x ninja missed (2.41x).
 * With plan's offline path rid of the openai SDK (~150 modules) and of a thrown ENOENT per
 * action record and refusal of a never-built project, load 11-14, median of 3: plan 1.61 s
 * CPU (single 0.48 s), of the built project 1.56 s (single 0.42 s); no-op 545 ms wall /
 * 240 ms CPU, ninja 175 ms / 70 ms: 3.12x (load-bound wall: 4.41x at load 14 in a run of 5).
 * Both goals still missed; what is left is spread: YAML parse of a fresh project (~0.37 s),
 * GC (~0.25-0.4 s), module load (~0.25 s), zod on each included file, graph building.
 * usage: npm run build && node bench/shots-series/run.mjs [episodes=60] [scenes=5] [shots=4] [runs=7]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { generateShotsSeries } from "./generate.mjs";
import { loadOffline, medianMs, stubbed } from "../lib/stub-graph.mjs";
import { dist, fmt, requireDist, row, timed } from "../lib/timing.mjs";

const EPISODES = Number(process.argv[2] ?? 60);
const SCENES = Number(process.argv[3] ?? 5);
const SHOTS = Number(process.argv[4] ?? 4);
const RUNS = Number(process.argv[5] ?? 7);
requireDist("bench/shots-series");
const ninjaBin = "/usr/bin/ninja";
if (!existsSync(ninjaBin)) {
  console.error("bench/shots-series: needs ninja (apt-get install ninja-build)");
  process.exit(2);
}
const cli = dist("cli/main.js");
const { loadBuildGraph } = await import(pathToFileURL(dist("graph/load.js")).href);
const { build } = await import(pathToFileURL(dist("engine/index.js")).href);
// No espeak-ng on this PATH: nothing here renders, but a stray run would be quick.
const env = { ...process.env, PATH: "/nonexistent", NO_COLOR: "1" };
const old = new Date(Date.now() - 3_600_000);

function ninjaOf(steps, dir) {
  mkdirSync(join(dir, "src"), { recursive: true });
  const lines = ["rule cp", "  command = cp $in $out", "rule cat", "  command = cat $in > $out", ""];
  for (let i = 0; i < steps - 1; i++) {
    const f = join(dir, "src", `${i}.txt`);
    writeFileSync(f, `input ${i}\n`);
    utimesSync(f, old, old);
    lines.push(`build out/${i}.txt: cp src/${i}.txt`);
  }
  lines.push(`build final.txt: cat ${Array.from({ length: steps - 1 }, (_, i) => `out/${i}.txt`).join(" ")}`, "");
  writeFileSync(join(dir, "build.ninja"), lines.join("\n"));
  timed(ninjaBin, ["-j", "4"], { cwd: dir });
}

async function measure(label, episodes) {
  const work = mkdtempSync(join(tmpdir(), `dramake-shots-${label}-`));
  const dir = join(work, "project");
  generateShotsSeries(dir, episodes, SCENES, SHOTS);
  for (const f of ["drama.yaml", "cast.yaml"]) utimesSync(join(dir, f), old, old);
  const plans = Array.from({ length: RUNS }, () => timed(process.execPath, [cli, "plan", dir], { env }));
  const identity = { target: dir, variant: "bench", stamp: "bench" };
  const first = await build(stubbed(await loadOffline(loadBuildGraph, dir)), { onEvent: () => {}, noop: identity });
  if (!first.ok || first.value.summary.failed > 0) throw new Error(`${label}: the stub build failed`);
  const steps = first.value.summary.total;
  // The engine's full path, in-process: load, plan, every step found cached.
  const full = await medianMs(Math.min(RUNS, 5), async () => {
    const r = await build(stubbed(await loadOffline(loadBuildGraph, dir)), { onEvent: () => {}, noop: identity });
    if (!r.ok || r.value.summary.ran > 0) throw new Error(`${label}: not a no-op`);
  });
  // The CLI: one build to write its own no-op snapshot, then cold no-op processes beside ninja's.
  timed(process.execPath, [cli, "build", dir], { env });
  const ninjaDir = join(work, "ninja");
  ninjaOf(steps, ninjaDir);
  const ours = [];
  const ninja = [];
  let out = "";
  for (let r = 0; r < RUNS; r++) {
    const o = timed(process.execPath, [cli, "build", dir], { env });
    out = o.out.trim();
    ours.push(o);
    const n = timed(ninjaBin, [], { cwd: ninjaDir });
    if (!/no work to do/.test(n.out)) throw new Error(`ninja was not a no-op: ${n.out}`);
    ninja.push(n);
  }
  if (!/up to date/.test(out)) throw new Error(`${label}: dramake was not a no-op: ${out}`);
  // `plan` of the project as it is while being worked on: built once, so .dramake/ holds the parsed YAML and the action index.
  const warmPlans = Array.from({ length: RUNS }, () => timed(process.execPath, [cli, "plan", dir], { env }));
  rmSync(work, { recursive: true, force: true });
  return { label, steps, plan: row(`${label}: dramake plan`, plans), warmPlan: row(`${label}: dramake plan (built)`, warmPlans), noop: row(`${label}: dramake build (no-op)`, ours), ninja: row(`${label}: ninja (no-op)`, ninja), full };
}

const single = await measure("single", 0);
const series = await measure("series", EPISODES);
console.log(`bench/shots-series: ${EPISODES} episodes x ${SCENES} scenes x ${SHOTS} written shots against 1 episode of the same shape; cold processes, median of ${RUNS}`);
for (const m of [single, series]) {
  console.log(`${m.label}: ${m.steps} steps`);
  for (const x of [m.plan, m.warmPlan, m.noop, m.ninja]) console.log(x.text);
  console.log(`  engine full-path no-op (in-process)  ${fmt(m.full).padStart(10)}   (${((m.full / m.steps) * 1000).toFixed(0)} µs/step)`);
}
const per = (k, f) => (f(series) / series.steps / (f(single) / single.steps)).toFixed(2);
console.log(
  `per step, series / single: plan CPU ${per("plan", (m) => m.plan.cpu)}x, no-op wall ${per("noop", (m) => m.noop.wall)}x, engine full-path no-op ${per("full", (m) => m.full)}x`,
);
const vsNinja = series.noop.wall / series.ninja.wall;
console.log(`goals at ${series.steps} steps: plan ${fmt(series.plan.cpu)} CPU, of the built project ${fmt(series.warmPlan.cpu)} (<= 1 s: ${series.plan.cpu <= 1000 ? "holds" : "MISSED"}, built ${series.warmPlan.cpu <= 1000 ? "holds" : "MISSED"}); no-op ${vsNinja.toFixed(2)}x ninja (<= 2x: ${vsNinja <= 2 ? "holds" : "MISSED"})`);
