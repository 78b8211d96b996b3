/**
 * No-op build benchmark (issue 3): a 10,000-step graph with one input file per
 * step and a final step reading all of them, built once, then timed as a whole
 * cold process doing a no-op. The baseline is ninja on the equivalent
 * build.ninja (10,000 copy edges and one concatenating edge), also timed as a
 * no-op. Prints both medians and the ratio; the target is <= 3x ninja.
 * usage: node bench/noop/run.mjs [steps=10000] [runs=15]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const N = Number(process.argv[2] ?? 10_000);
const RUNS = Number(process.argv[3] ?? 15);
const entry = fileURLToPath(new URL("./entry.mjs", import.meta.url));
const ninjaBin = "/usr/bin/ninja";

if (!existsSync(fileURLToPath(new URL("../../dist/engine/noop.js", import.meta.url)))) {
  console.error("bench/noop: build first (npm run build)");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "dramake-bench-"));
const project = join(work, "project");
const ninjaDir = join(work, "ninja");
for (const dir of [project, ninjaDir]) mkdirSync(join(dir, "src"), { recursive: true });

// Inputs written "a while ago", as a real project's files would be (outside the racy window).
const old = new Date(Date.now() - 3_600_000);
for (let i = 0; i < N; i++) {
  for (const dir of [project, ninjaDir]) {
    const f = join(dir, "src", `${i}.txt`);
    writeFileSync(f, `input ${i}\n`);
    utimesSync(f, old, old);
  }
}
writeFileSync(join(project, "drama.yaml"), "dramake: 1\n");
utimesSync(join(project, "drama.yaml"), old, old);

const steps = [];
for (let i = 0; i < N; i++) steps.push({ id: `step/${i}`, params: { i }, files: [`src/${i}.txt`], pool: "local" });
steps.push({ id: "final", params: { cat: true }, inputs: steps.map((s) => s.id), materialize: { out: "final.txt" } });
const graphJson = join(work, "graph.json");
writeFileSync(graphJson, JSON.stringify({ steps, pools: { local: 4 }, output: "final.txt", configFiles: ["drama.yaml"] }));

const lines = ["rule cp", "  command = cp $in $out", "rule cat", "  command = cat $in > $out", ""];
for (let i = 0; i < N; i++) lines.push(`build out/${i}.txt: cp src/${i}.txt`);
lines.push(`build final.txt: cat ${Array.from({ length: N }, (_, i) => `out/${i}.txt`).join(" ")}`, "");
writeFileSync(join(ninjaDir, "build.ninja"), lines.join("\n"));

function timed(cmd, args, cwd) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return { ms, out: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const first = timed(process.execPath, [entry, project, graphJson], project);
console.log(`dramake first build of ${N + 1} steps: ${(first.ms / 1000).toFixed(1)} s`);
const second = timed(process.execPath, [entry, project, graphJson], project);
console.log(`dramake second build: ${second.out.trim()}`);
const ninjaFirst = timed(ninjaBin, ["-j", "4"], ninjaDir);
console.log(`ninja first build: ${(ninjaFirst.ms / 1000).toFixed(1)} s`);

const node = [];
const ours = [];
const theirs = [];
let lastOut = "";
for (let r = 0; r < RUNS; r++) {
  // Interleaved so machine load affects both alike.
  node.push(timed(process.execPath, ["-e", ""], project).ms);
  const o = timed(process.execPath, [entry, project, graphJson], project);
  ours.push(o.ms);
  lastOut = o.out.trim();
  const n = timed(ninjaBin, [], ninjaDir);
  theirs.push(n.ms);
  if (!/no work to do/.test(n.out)) throw new Error(`ninja was not a no-op: ${n.out}`);
}
if (!/up to date/.test(lastOut)) throw new Error(`dramake was not a no-op: ${lastOut}`);
const [o, n, e] = [median(ours), median(theirs), median(node)];
console.log(`dramake no-op: ${lastOut}`);
console.log(`no-op, ${N} steps, median of ${RUNS} cold processes:`);
console.log(`  dramake  ${o.toFixed(1)} ms   (node -e '' alone: ${e.toFixed(1)} ms)`);
console.log(`  ninja    ${n.toFixed(1)} ms`);
console.log(`  ratio    ${(o / n).toFixed(2)}x ninja (target <= 3x)`);
if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
