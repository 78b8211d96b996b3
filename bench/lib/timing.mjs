/**
 * What every benchmark shares: run a command as a whole cold process and time
 * it (wall clock, and the CPU of the process and its children, which is what
 * matters on a machine shared with other work), medians, and the dist check.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));
export const dist = (path) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

/**
 * examples/new-year-surprise copied into `dir`/project as a clean clone has it: without the
 * cache, build/ or lockfile a local build of the example left there. Returns the copy's path.
 */
export function copyExample(dir) {
  const project = join(dir, "project");
  cpSync(join(repo, "examples/new-year-surprise"), project, { recursive: true, filter: (src) => !/[/\\](\.dramake|build|drama\.lock)$/.test(src) });
  return project;
}

export function requireDist(bench) {
  if (!existsSync(dist("cli/main.js"))) {
    console.error(`${bench}: build first (npm run build)`);
    process.exit(2);
  }
}

const TIME = "/usr/bin/time";
const haveTime = existsSync(TIME);

/** Run to completion; wall ms, and CPU ms (user + system of it and its children) when /usr/bin/time exists. */
export function timed(cmd, args, opts = {}) {
  const argv = haveTime ? ["-f", "@@cpu %U %S", cmd, ...args] : args;
  const t = process.hrtime.bigint();
  const r = spawnSync(haveTime ? TIME : cmd, argv, { encoding: "utf8", maxBuffer: 1 << 26, ...opts });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  let stderr = r.stderr ?? "";
  let cpu = NaN;
  const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  if (m) {
    cpu = (Number(m[1]) + Number(m[2])) * 1000;
    stderr = stderr.slice(0, m.index);
  }
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${stderr}${r.stdout}`);
  return { ms, cpu, out: r.stdout, err: stderr };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** "12.3 s" or "45.6 ms". */
export const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

/** One line of a result table: label, medians of wall and CPU. */
export function row(label, samples) {
  const wall = median(samples.map((s) => s.ms));
  const cpu = median(samples.map((s) => s.cpu));
  return { label, wall, cpu, text: `  ${label.padEnd(28)} ${fmt(wall).padStart(10)} wall  ${Number.isNaN(cpu) ? "" : `${fmt(cpu).padStart(10)} CPU`}` };
}
