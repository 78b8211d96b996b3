/**
 * Cold offline build benchmark (issue 15 goal 1, issue 27): `dramake build`
 * of examples/new-year-surprise with an empty cache, against the episode's
 * pictures in one ffmpeg pass: every shot's keyframe under its camera move
 * (the cuts' own filter, cut.ts) for its planned length (a scene's last shot
 * held to its cut's length), joined and encoded once with the final's audio,
 * no subtitles, same size, fps, duration and x264 setting
 * (dist/media/encoding.js): what one hand-written command would cost. The goal
 * is the build <= 1.3x that. Runs interleaved so machine load hits all alike;
 * prints medians and the ratio. For reference it also times the old baseline,
 * one still encoded with the final's audio, which splits the cost into what
 * the moves cost x264 and zoompan and what the build adds around them.
 * usage: [BENCH_DRAMA=file] node bench/offline/run.mjs [runs=3]
 *
 * Measured (2 shared cores, loaded; medians of 3, CPU): with shots each
 * offline shot encoded twice, 19.2 s against 7.2 s = 2.67x; a moving shot's
 * cut recording its still and move, rendered in the scene's one pass, 15.2 s
 * against 6.6 s = 2.30x; a join's segments kept in yuv420p (only blend
 * overlaps in RGB), 13.6 s against 6.2 s = 2.20x. Goal not yet met: a -j 1
 * build spends ~75% of its time in the five scene cuts (which also burn
 * subtitles and mix sound, one ffmpeg each), ~11% in the offline keyframe
 * cards, ~4% portraits, ~3% dialogue, ~2% soundtrack.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { copyExample, dist, median, repo, requireDist, row, timed } from "../lib/timing.mjs";

requireDist("bench/offline");
const RUNS = Number(process.argv[2] ?? 3);
const { videoEncodeArgs, audioEncodeArgs } = await import(dist("media/encoding.js"));
const { toolPath } = await import(dist("media/ffmpeg-path.js"));
const { probe } = await import(dist("media/probe.js"));
const { stillMovePicture } = await import(dist("media/cut.js"));
const { loadProject } = await import(dist("project/index.js"));
const { planShots } = await import(dist("graph/plan/shots.js"));
const { DIALOGUE_GAP } = await import(dist("graph/ops/dialogue.js"));
const ffmpeg = toolPath("ffmpeg").value;
const cli = dist("cli/main.js");

const work = mkdtempSync(join(tmpdir(), "dramake-bench-offline-"));
const project = copyExample(work);
// BENCH_DRAMA=<file>: another drama.yaml for the example (e.g. the example before it had shots), to compare.
if (process.env.BENCH_DRAMA) copyFileSync(process.env.BENCH_DRAMA, join(project, "drama.yaml"));

function coldBuild() {
  for (const p of [".dramake", "build", "drama.lock"]) rmSync(join(project, p), { recursive: true, force: true });
  return timed(process.execPath, [cli, "build", project]);
}

// One build first: it makes the still and the audio the baseline encodes, and warms the disk.
const first = coldBuild();
const finalMp4 = join(project, "build", readdirSync(join(project, "build")).find((f) => f.endsWith(".mp4")));
const info = (await probe(finalMp4, AbortSignal.timeout(30_000))).value;
const { width, height, fps } = info.video;
const seconds = info.video.duration ?? info.duration;
const scenes = readdirSync(join(project, "build/scenes"));
const still = join(project, "build/scenes", scenes[0], "keyframe.png");
console.log(`example: ${scenes.length} scenes, ${seconds.toFixed(2)} s at ${width}x${height} ${fps} fps; first cold build ${(first.ms / 1000).toFixed(1)} s`);

const baselineOut = join(work, "baseline.mp4");
function baseline() {
  return timed(ffmpeg, [
    "-hide_banner", "-loglevel", "error", "-y",
    "-loop", "1", "-framerate", String(fps), "-i", still, "-i", finalMp4,
    "-map", "0:v", "-map", "1:a", "-vf", `scale=${width}:${height},format=yuv420p`,
    ...videoEncodeArgs(fps), ...audioEncodeArgs(), "-t", seconds.toFixed(6), baselineOut,
  ]);
}

// The episode's pictures, one pass: each shot's move for its planned length (a scene's last shot to its cut's end), joined.
const loaded = await loadProject(project, { offline: true });
if (!loaded.ok) throw new Error("bench/offline: the example does not load");
const sceneInputs = [];
const pictures = [];
let shotCount = 0;
for (const scene of loaded.value.scenes) {
  const cut = (await probe(join(project, "build/scenes", scene.id, "cut.mp4"), AbortSignal.timeout(30_000))).value;
  const sceneFrames = Math.round(cut.video.duration * fps);
  const plan = planShots(scene, { lengths: undefined, gap: DIALOGUE_GAP });
  let left = sceneFrames;
  plan.shots.forEach((shot, k) => {
    const last = k === plan.shots.length - 1;
    const frames = last ? left : Math.min(left, Math.round(shot.seconds * fps));
    left -= frames;
    const still = plan.formatOne ? join(project, "build/scenes", scene.id, "keyframe.png") : join(project, "build/scenes", scene.id, "shots", shot.id, "keyframe.png");
    const i = pictures.length;
    sceneInputs.push("-i", still);
    pictures.push(`[${i}:v]${stillMovePicture({ camera: shot.camera }, shot.seconds, frames, { width, height }, fps)},trim=end_frame=${frames},format=yuv420p[v${i}]`);
  });
  shotCount += plan.shots.length;
}
const n = pictures.length;
const episodeGraph = `${pictures.join(";")};${pictures.map((_, i) => `[v${i}]`).join("")}concat=n=${n}:v=1:a=0[v]`;
const movingOut = join(work, "moving.mp4");
function moving() {
  return timed(ffmpeg, [
    "-hide_banner", "-loglevel", "error", "-y", ...sceneInputs, "-i", finalMp4,
    "-filter_complex", episodeGraph, "-map", "[v]", "-map", `${n}:a`,
    ...videoEncodeArgs(fps), ...audioEncodeArgs(), "-t", seconds.toFixed(6), movingOut,
  ]);
}

const ours = [];
const base = [];
const moved = [];
for (let r = 0; r < RUNS; r++) {
  base.push(baseline());
  ours.push(coldBuild());
  moved.push(moving());
}
const o = row("dramake build (cold)", ours);
const m = row(`the ${shotCount} shots' pictures in one pass (baseline)`, moved);
const b = row("one still in one pass", base);
console.log(`cold offline build vs the episode's pictures in one ffmpeg pass, median of ${RUNS}:`);
console.log(o.text);
console.log(m.text);
console.log(`  ratio    ${(o.wall / m.wall).toFixed(2)}x wall, ${(o.cpu / m.cpu).toFixed(2)}x CPU (goal <= 1.3x)`);
console.log(b.text);
console.log(`  the moves (the pictures' pass against the still) ${(m.wall / b.wall).toFixed(2)}x wall; the build against the still ${(o.wall / b.wall).toFixed(2)}x wall`);
if (process.env.BENCH_KEEP) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
void median;
