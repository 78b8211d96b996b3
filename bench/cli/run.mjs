/**
 * CLI start-up benchmark: what the command-line library costs a no-op
 * `dramake build`. Builds a copy of the tiny fixture once (offline), then
 * times cold processes, interleaved so machine load hits all alike:
 *   baseline  node -e ''
 *   no-op     dramake build            (node:util parses; commander not loaded)
 *   +library  the same no-op with commander preloaded (node --import commander),
 *             i.e. what the no-op would cost if it parsed with commander
 *   help      dramake build --help     (loads commander and every command module)
 * Prints medians of wall time and of CPU time (user + system, read at exit by
 * a preloaded cpu-at-exit.mjs: steadier than wall time on a loaded machine),
 * and the ratio of +library to no-op.
 * usage: node bench/cli/run.mjs [runs=21]
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNS = Number(process.argv[2] ?? 21);
const cli = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
if (!existsSync(cli)) {
  console.error("bench/cli: build first (npm run build)");
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), "dramake-bench-cli-"));
const project = join(work, "tiny");
cpSync(fileURLToPath(new URL("../../test/fixtures/builds/tiny", import.meta.url)), project, { recursive: true });

const cpuFile = join(work, "cpu.txt");
const preload = ["--import", new URL("./cpu-at-exit.mjs", import.meta.url).href];
function timed(args) {
  writeFileSync(cpuFile, "");
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...preload, ...args], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", BENCH_CPU_FILE: cpuFile } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return { ms, cpu: Number(readFileSync(cpuFile, "utf8")), out: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const first = timed([cli, "build"]);
console.log(`first build of the tiny fixture: ${(first.ms / 1000).toFixed(1)} s`);
const cases = {
  baseline: ["-e", ""],
  "no-op": [cli, "build"],
  "+library": ["--import", import.meta.resolve("commander"), cli, "build"],
  help: [cli, "build", "--help"],
};
const wall = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const cpu = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < RUNS; r++) {
  for (const [name, args] of Object.entries(cases)) {
    const t = timed(args);
    if (name === "no-op" && !/up to date/.test(t.out)) throw new Error(`not a no-op: ${t.out}`);
    wall[name].push(t.ms);
    cpu[name].push(t.cpu);
  }
}
const w = Object.fromEntries(Object.entries(wall).map(([k, xs]) => [k, median(xs)]));
const c = Object.fromEntries(Object.entries(cpu).map(([k, xs]) => [k, median(xs)]));
console.log(`median of ${RUNS} cold processes each:      wall       cpu`);
for (const k of Object.keys(cases)) console.log(`  ${k.padEnd(9)} ${w[k].toFixed(1).padStart(27)} ms ${c[k].toFixed(1).padStart(6)} ms`);
for (const [what, m] of [["wall", w], ["cpu", c]]) {
  console.log(`  ${what}: commander would add ${(m["+library"] - m["no-op"]).toFixed(1)} ms to the no-op, ratio ${(m["+library"] / m["no-op"]).toFixed(2)}x the no-op (baseline node alone ${m.baseline.toFixed(1)} ms)`);
}
rmSync(work, { recursive: true, force: true });
