/**
 * One edited line (issue 15, goal 2): after a full offline build of
 * examples/new-year-surprise, change the text of one line and time
 * `dramake build` (the voice, the scene's dialogue, subtitles and cut, the
 * soundtrack beside the cut, the final's stream-copy join). The baseline is that one cut rendered alone from the same inputs in
 * a process of its own (cut-alone.mjs). Interleaved; each run edits the line
 * to a new text so nothing is cached. Prints medians and the ratio (target <= 1.5x).
 * usage: node bench/edit/run.mjs [runs=5]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { copyExample, dist, repo, requireDist, row, timed } from "../lib/timing.mjs";

requireDist("bench/edit");
const RUNS = Number(process.argv[2] ?? 5);
const SCENE = "the-call";
const cli = dist("cli/main.js");
const alone = fileURLToPath(new URL("./cut-alone.mjs", import.meta.url));

const work = mkdtempSync(join(tmpdir(), "dramake-bench-edit-"));
const project = copyExample(work);
const yamlPath = join(project, "drama.yaml");
const original = readFileSync(yamlPath, "utf8");
const LINE = "Wei? You are not coming home?";
if (!original.includes(LINE)) throw new Error(`bench/edit: the example no longer has the line "${LINE}"`);

const full = timed(process.execPath, [cli, "build", project]);
console.log(`full build: ${(full.ms / 1000).toFixed(1)} s`);

const ours = [];
const base = [];
let ran = "";
for (let r = 0; r < RUNS; r++) {
  writeFileSync(yamlPath, original.replace(LINE, `Wei? You are not coming home? (take ${r + 1})`));
  const o = timed(process.execPath, [cli, "build", "--json", project]);
  ours.push(o);
  const steps = o.out.trim().split("\n").map((l) => JSON.parse(l)).filter((e) => e.event === "step" && e.state === "ran");
  ran = steps.map((e) => `${e.id} ${e.ms} ms`).join(", ");
  base.push(timed(process.execPath, [alone, project, SCENE, join(work, "alone.mp4")]));
}
const o = row("dramake build (one line)", ours);
const b = row(`the ${SCENE} cut alone`, base);
console.log(`ran: ${ran}`);
console.log(`one edited line vs that one cut alone, median of ${RUNS}:`);
console.log(o.text);
console.log(b.text);
console.log(`  ratio    ${(o.wall / b.wall).toFixed(2)}x wall, ${(o.cpu / b.cpu).toFixed(2)}x CPU (target <= 1.5x)`);
if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
