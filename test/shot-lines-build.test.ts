/**
 * Issue 27, brief T: a shot's lines are heard on that shot. An offline
 * multi-shot scene [wide 2 s, no lines; close-up on grandpa, his line;
 * dissolve to a medium on the son, his line] is built with `dramake build`;
 * the dialogue's timings (read back through builtEpisode) and the episode's
 * SRT cues start on their shot (after the transition into it, plus the
 * lead-in gap), lines never overlap, and the final's frame at each cue's
 * start is its shot's picture (compared with each shot's own cut). A line
 * longer than its shot runs on, whole, and pushes the next line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./build-helpers.js";
import { probe as probed } from "./fixtures/openai-server/call-context.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { parseSrt } from "../src/media/index.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { builtEpisode } from "../src/graph/timeline.js";
import { DIALOGUE_GAP } from "../src/graph/ops/dialogue.js";
import { VOICE_OUTPUT } from "../src/graph/ops/voice.js";
import { layout, objectPath } from "../src/engine/layout.js";
import { readLockfile } from "../src/engine/lockfile.js";
import { mediaSeconds } from "../src/media/seconds.js";

const FPS = 24;
const project = (third = "") => `dramake: 1
title: Shot Lines
language: en
theme: A phone call.
format: { aspect: "9:16", size: 144x256, fps: ${FPS} }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
  son: { name: Wei, look: tired man, voice: { offline: en+m1 } }
scenes:
  - id: the-call
    setting: a kitchen at night
    cast: [grandpa, son]
    camera: static
    shots:
      - size: wide
        action: The lamp flickers over untouched dumplings.
        seconds: 2
      - size: close-up
        on: [grandpa]
        lines:
          - grandpa: Wei? You are not coming home?
      - size: medium
        on: [son]
        transition: dissolve${third}
        lines:
          - son: Sorry, Dad. Work.
`;

/** Every frame of the file in order, as 18x32 RGB pixels (decoded from the start: a seek may land a frame off). */
function frames(file: string): Uint8Array[] {
  const ffmpeg = toolPath("ffmpeg");
  assert.ok(ffmpeg.ok);
  const raw = execFileSync(ffmpeg.value, ["-v", "error", "-i", file, "-vf", "scale=18:32", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"], { maxBuffer: 1 << 26 });
  const size = 18 * 32 * 3;
  return Array.from({ length: raw.length / size }, (_, i) => new Uint8Array(raw.subarray(i * size, (i + 1) * size)));
}
const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + Math.abs(v - b[i]!), 0) / a.length;

async function built(dir: string) {
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok);
  const ep = await builtEpisode(graph.value, graph.value.layout!, graph.value.layout!.episodes[0]!);
  assert.ok(ep.ok, ep.ok ? "" : ep.error.message);
  return ep.value.scenes[0]!;
}

test("each line starts on its own shot: dialogue timings, SRT cues and the picture under them agree", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shot-lines-"));
  await writeFile(join(dir, "drama.yaml"), project());
  const run = await runCli(["build", dir]);
  assert.equal(run.code, 0, run.stderr);
  const scene = await built(dir);
  const [wide, close, medium] = scene.shots;
  assert.deepEqual(scene.shots.map((s) => s.id), ["1", "2", "3"]);
  assert.equal(wide!.start, 0);
  assert.ok(medium!.transition.kind === "dissolve" && medium!.transition.seconds > 0, JSON.stringify(medium!.transition));
  // Line 1 is grandpa's on the close-up, line 2 the son's once the dissolve into the medium is done.
  const [grandpa, son] = scene.lines;
  assert.deepEqual(scene.lines.map((l) => l.speaker), ["grandpa", "son"]);
  const onClose = close!.start + DIALOGUE_GAP;
  const onMedium = medium!.start + medium!.transition.seconds + DIALOGUE_GAP;
  assert.ok(Math.abs(grandpa!.start - onClose) < 1e-3, `grandpa's line at ${grandpa!.start} s, the close-up from ${close!.start} s`);
  assert.ok(son!.start >= onMedium - 1e-3 && son!.start >= grandpa!.end + DIALOGUE_GAP - 1e-3, `the son's line at ${son!.start} s, the medium from ${medium!.start} s`);
  // The subtitles are timed by the same dialogue: each cue starts with its line.
  const cues = parseSrt(await readFile(join(dir, "build", "shot-lines.srt"), "utf8"));
  assert.equal(cues.length, 2);
  assert.ok(Math.abs(cues[0]!.start - grandpa!.start) < 0.002 && Math.abs(cues[1]!.start - son!.start) < 0.002, JSON.stringify(cues));

  // The picture at each cue's start is its shot's: closest to that shot's own picture, far from the others.
  // (measured: cue 1 is 0.8 from the close-up, 8.7 and 5.4 from the others; cue 2 0.8 from the medium, 5.4 and 5.2)
  const all = frames(join(dir, "build", "shot-lines.mp4"));
  // Each shot's own picture: the scene's cut in the middle of that shot, after the transition into it
  // (offline shots have no cut file of their own: the scene's cut renders their moves in one pass).
  const sceneCut = frames(join(dir, "build", "scenes", "the-call", "cut.mp4"));
  const own = scene.shots.map((s) => sceneCut[Math.floor((s.start + s.transition.seconds + (s.seconds - s.transition.seconds) / 2) * FPS)]!);
  // (measured at 18x32: wide to close-up 8.4, close-up to medium 5.0)
  assert.ok(distance(own[0]!, own[1]!) > 3 && distance(own[1]!, own[2]!) > 3 && distance(own[0]!, own[2]!) > 3, "the shots look different");
  cues.forEach((cue, k) => {
    const at = all[Math.ceil(cue.start * FPS)]!;
    const d = own.map((o) => distance(at, o));
    const mine = d[k + 1]!;
    assert.ok(d.every((x, i) => i === k + 1 || mine < 0.5 * x), `cue ${k + 1} at ${cue.start} s: ${d.map((x) => x.toFixed(1)).join(", ")} from shots 1..3`);
  });
});

test("a line longer than its shot runs on over the next shot, whole, and the next line waits for it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shot-lines-long-"));
  // The close-up cut to 1 s: grandpa's line (about 2 s offline) runs on over the medium.
  const text = project().replace("        on: [grandpa]\n", "        on: [grandpa]\n        seconds: 1\n").replace("transition: dissolve", "transition: cut");
  await writeFile(join(dir, "drama.yaml"), text);
  const run = await runCli(["build", dir]);
  assert.equal(run.code, 0, run.stderr);
  const scene = await built(dir);
  const [, close, medium] = scene.shots;
  const [grandpa, son] = scene.lines;
  assert.ok(grandpa!.end > medium!.start, `grandpa's line ends ${grandpa!.end} s, the medium starts ${medium!.start} s`);
  assert.ok(Math.abs(grandpa!.start - (close!.start + DIALOGUE_GAP)) < 1e-3);
  assert.ok(Math.abs(son!.start - (grandpa!.end + DIALOGUE_GAP)) < 1e-3, `the son's line at ${son!.start} s, after grandpa's end ${grandpa!.end} s`);
  // Never cut: the line lasts as long as its voice, and the dialogue track holds it whole.
  const lock = await readLockfile(layout(dir).lockfile);
  const voice = lock.get("scene/the-call/voice/1")!.outputs[VOICE_OUTPUT]!;
  const voiced = await mediaSeconds(objectPath(layout(dir), voice.digest), AbortSignal.timeout(10_000));
  assert.ok(voiced.ok);
  assert.ok(Math.abs(grandpa!.end - grandpa!.start - voiced.value) < 1e-3, `grandpa's line lasts ${grandpa!.end - grandpa!.start} s, his voice ${voiced.value} s`);
  assert.ok(Math.abs(scene.dialogue.seconds - son!.end) < 1e-3, `the dialogue ends with the last line (${scene.dialogue.seconds} s, ${son!.end} s)`);
});

// Not this branch's files: media/transition.ts holds the joined picture with tpad after concat, which this
// ffmpeg (4.x static) ignores, so a scene whose last line runs past its shots has a video track shorter
// than its sound (measured: video 7.0 s, audio 7.79 s). A todo until the hold is fixed there (e.g. fps= before tpad).
test("a scene whose last line runs past its shots holds its last frame as long as the line", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shot-lines-hold-"));
  await writeFile(join(dir, "drama.yaml"), project().replace("        transition: dissolve\n", "        transition: dissolve\n        seconds: 1\n"));
  const run = await runCli(["build", dir]);
  assert.equal(run.code, 0, run.stderr);
  const info = (await probed(join(dir, "build", "scenes", "the-call", "cut.mp4"))) as unknown as { streams: { codec_type: string; duration: string }[] };
  const of = (kind: string) => Number(info.streams.find((s) => s.codec_type === kind)!.duration);
  assert.ok(of("audio") > 5, `the sound runs on (${of("audio")} s)`);
  assert.ok(Math.abs(of("video") - of("audio")) < 0.05, `video ${of("video")} s, audio ${of("audio")} s`);
});
