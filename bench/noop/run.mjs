/**
 * No-op build benchmark (issue 15, goal 3), through the real CLI:
 * `node dist/cli/main.js build` on a generated drama.yaml of about N steps
 * (scenes of 20 lines at 72x128, 1 s; voices as timed silence so the first
 * build is quick), built once, then timed as whole cold processes doing a
 * no-op. Baselines, interleaved with it: ninja's no-op on an equivalent
 * build.ninja (one edge per step, one input file each, a final edge reading
 * them all) and `node -e 0`. Also times `dramake plan` (CPU) on the built
 * project, and after one edited line (a new drama.yaml: nothing remembered of
 * its parse helps).
 * Targets (goal 3): <= 2.5x ninja at 10,000 steps, <= 1.5x `node -e 0` at 1,000,
 * plan <= 0.6 s CPU at 10,000; each size's run prints its ratios, and the end
 * says which targets hold for the sizes measured.
 * usage: node bench/noop/run.mjs [steps=1000, or a list: 1000,10000] [runs=11]
 * BENCH_DIR=<dir> keeps the generated project there and reuses it on the next
 * run with the same steps (the first build of 10,000 steps takes many minutes);
 * BENCH_KEEP=1 keeps a fresh temp dir.
 */
import { existsSync, mkdirSync, readFileSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dist, fmt, requireDist, row, timed } from "../lib/timing.mjs";

requireDist("bench/noop");
const SIZES = String(process.argv[2] ?? 1000).split(",").map(Number);
const RUNS = Number(process.argv[3] ?? 11);
const ninjaBin = "/usr/bin/ninja";
if (!existsSync(ninjaBin)) {
  console.error("bench/noop: needs ninja (apt-get install ninja-build)");
  process.exit(2);
}
const cli = dist("cli/main.js");

function measure(N) {
  const LINES = 20;
  const PER_SCENE = LINES + 5; // keyframe, clip, a voice per line, dialogue, subtitles, cut
  const scenes = Math.max(1, Math.round((N - 4) / PER_SCENE));

  const work = process.env.BENCH_DIR ? join(process.env.BENCH_DIR, String(N)) : mkdtempSync(join(tmpdir(), "dramake-bench-noop-"));
  const project = join(work, "project");
  const ninjaDir = join(work, "ninja");
  mkdirSync(project, { recursive: true });
  mkdirSync(join(ninjaDir, "src"), { recursive: true });

  const yaml = [
    "dramake: 1",
    "title: No-op bench",
    "language: en",
    "theme: a benchmark",
    'format: { aspect: "9:16", size: 72x128, fps: 12 }',
    "cast:",
    "  ann: { name: Ann, look: a woman }",
    "  bob: { name: Bob, look: a man }",
    "scenes:",
  ];
  for (let s = 0; s < scenes; s++) {
    yaml.push(`  - id: s${s}`, "    cast: [ann, bob]", "    seconds: 1", "    lines:");
    for (let l = 0; l < LINES; l++) yaml.push(`      - ${l % 2 ? "bob" : "ann"}: Line ${l} of scene ${s}.`);
  }
  yaml.push("music: { mood: calm }", "");
  // Written "a while ago", as a real project's file is (outside the racy window).
  const old = new Date(Date.now() - 3_600_000);
  const yamlPath = join(project, "drama.yaml");
  // A kept project (BENCH_DIR) is reused as it is: its first build below is then a no-op.
  if (!existsSync(yamlPath) || readFileSync(yamlPath, "utf8") !== yaml.join("\n")) {
    writeFileSync(yamlPath, yaml.join("\n"));
    utimesSync(yamlPath, old, old);
  }

  // No espeak-ng on this PATH: voices are timed silence, so the first build takes minutes, not hours.
  const env = { ...process.env, PATH: "/nonexistent", NO_COLOR: "1" };
  const first = timed(process.execPath, [cli, "build", "--json", project], { env });
  const summary = JSON.parse(first.out.trim().split("\n").at(-1));
  const steps = summary.steps.total;
  console.log(`drama.yaml of ${scenes} scenes: ${steps} steps; first build (or a reused one) ${(first.ms / 1000).toFixed(1)} s`);

  const lines = ["rule cp", "  command = cp $in $out", "rule cat", "  command = cat $in > $out", ""];
  for (let i = 0; i < steps - 1; i++) {
    const f = join(ninjaDir, "src", `${i}.txt`);
    writeFileSync(f, `input ${i}\n`);
    utimesSync(f, old, old);
    lines.push(`build out/${i}.txt: cp src/${i}.txt`);
  }
  lines.push(`build final.txt: cat ${Array.from({ length: steps - 1 }, (_, i) => `out/${i}.txt`).join(" ")}`, "");
  writeFileSync(join(ninjaDir, "build.ninja"), lines.join("\n"));
  timed(ninjaBin, ["-j", "4"], { cwd: ninjaDir });

  const ours = [];
  const ninja = [];
  const node = [];
  const plans = [];
  let lastOut = "";
  for (let r = 0; r < RUNS; r++) {
    node.push(timed(process.execPath, ["-e", "0"]));
    const o = timed(process.execPath, [cli, "build", project], { env });
    ours.push(o);
    lastOut = o.out.trim();
    const n = timed(ninjaBin, [], { cwd: ninjaDir });
    if (!/no work to do/.test(n.out)) throw new Error(`ninja was not a no-op: ${n.out}`);
    ninja.push(n);
    plans.push(timed(process.execPath, [cli, "plan", project], { env }));
  }
  if (!/up to date/.test(lastOut)) throw new Error(`dramake was not a no-op: ${lastOut}`);
  const [o, n, e, p] = [row("dramake build (no-op)", ours), row("ninja (no-op)", ninja), row("node -e 0", node), row("dramake plan", plans)];
  console.log(`dramake: ${lastOut.split("\n").at(-1)}`);
  console.log(`no-op, ${steps} steps, median of ${RUNS} cold processes:`);
  for (const x of [o, n, e, p]) console.log(x.text);
  console.log(`  ratio    ${(o.wall / n.wall).toFixed(2)}x ninja (target <= 2.5x at 10,000 steps), ${(o.wall / e.wall).toFixed(2)}x node -e 0 (target <= 1.5x at 1,000)`);
  console.log(`  plan     ${fmt(p.cpu)} CPU (target <= 0.6 s at 10,000 steps)`);

  // Plan after one edited line: a drama.yaml never seen before (each round edits another line), parsed in full.
  const original = readFileSync(yamlPath, "utf8");
  const edited = [];
  for (let r = 0; r < Math.min(RUNS, 5); r++) {
    writeFileSync(yamlPath, original.replace(`Line 0 of scene ${r}.`, `Line 0 of scene ${r}, edited.`));
    utimesSync(yamlPath, old, old);
    edited.push(timed(process.execPath, [cli, "plan", project], { env }));
  }
  writeFileSync(yamlPath, original);
  utimesSync(yamlPath, old, old);
  timed(process.execPath, [cli, "plan", project], { env });
  const pe = row("dramake plan (one line edited)", edited);
  console.log(pe.text);
  if (process.env.BENCH_KEEP || process.env.BENCH_DIR) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return { steps, ninja: o.wall / n.wall, node: o.wall / e.wall, plan: p.cpu, planEdited: pe.cpu };
}

const results = SIZES.map((n) => measure(n));
console.log("goal 3 (issue 15):");
for (const r of results) {
  const at = (size) => (Math.abs(r.steps - size) / size < 0.05 ? "" : ` (target set at ${size.toLocaleString("en")} steps)`);
  console.log(`  ${r.steps} steps: no-op ${r.node.toFixed(2)}x node -e 0 (<= 1.5x${at(1000)}), ${r.ninja.toFixed(2)}x ninja (<= 2.5x${at(10000)}), plan ${fmt(r.plan)} CPU (<= 0.6 s${at(10000)}; ${fmt(r.planEdited)} after an edit)`);
}
