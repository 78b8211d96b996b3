/**
 * Issue 27, offline speed: a shot whose clip is a camera move is rendered in
 * the scene's one join pass (transition.ts `move` pieces) instead of being
 * encoded as its own cut first. Two things make that right, measured on real
 * frames: a `range` of a move (pan.ts) is exactly those frames of the whole
 * move, byte for byte; and a join of still+move pieces with a dissolve shows
 * the same frames as the same moves rendered alone and joined from files (the
 * old way), frame for frame: a segment starting a few frames off would not.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { must, probed, run, scratch, TINY } from "./media-helpers.js";
import { runFfmpeg } from "../src/media/run.js";
import { frameCount, panClip, panFilter } from "../src/media/pan.js";
import { joinWithTransitions, type JoinPiece } from "../src/media/transition.js";

const FPS = 12;
const { width: W, height: H } = TINY;

/** A still with detail everywhere (ffmpeg's test pattern), so any move shows. */
async function still(dir: string, name: string, source: string): Promise<string> {
  const file = join(dir, `${name}.png`);
  must(await runFfmpeg(["-f", "lavfi", "-i", `${source}=size=360x640:rate=1`, "-frames:v", "1", file], run));
  return file;
}

/** The first `frames` frames of a filter over the still (or of a file), as luma planes at W x H. */
async function gray(dir: string, input: string, filter: string, name: string, frames: number): Promise<Uint8Array[]> {
  const out = join(dir, `${name}.gray`);
  must(await runFfmpeg(["-i", input, "-filter_complex", `[0:v]${filter}format=gray[v]`, "-map", "[v]", "-frames:v", String(frames), "-f", "rawvideo", out], run));
  const bytes = await readFile(out);
  return Array.from({ length: bytes.length / (W * H) }, (_, i) => bytes.subarray(i * W * H, (i + 1) * W * H));
}

const mad = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + Math.abs(v - b[i]!), 0) / a.length;

test("a range of a move is exactly those frames of the whole move (zoom, pan, static; frames past its end hold the last)", async () => {
  const dir = await scratch("move-range");
  const key = await still(dir, "key", "testsrc2");
  for (const camera of ["fast push-in", "pan left", "static"]) {
    const move = { camera, seconds: 2, size: TINY, fps: FPS };
    const frames = frameCount(2, FPS);
    const whole = await gray(dir, key, `${panFilter(move)},`, "whole", frames);
    assert.equal(whole.length, frames);
    const part = await gray(dir, key, `${panFilter({ ...move, range: { from: 7, count: 9 } })},`, "part", 9);
    assert.equal(part.length, 9, camera);
    part.forEach((f, i) => assert.ok(Buffer.from(f).equals(Buffer.from(whole[7 + i]!)), `${camera}: frame ${i} of the range is frame ${7 + i} of the move`));
    // Past the end: the move's last frame, held.
    const past = await gray(dir, key, `${panFilter({ ...move, range: { from: frames - 2, count: 5 } })},`, "past", 5);
    assert.equal(past.length, 5);
    past.forEach((f, i) => assert.ok(Buffer.from(f).equals(Buffer.from(whole[Math.min(frames - 2 + i, frames - 1)]!)), `${camera}: frame ${i} past the end`));
    if (camera !== "static") assert.ok(mad(whole[7]!, whole[12]!) > 2, `${camera} moves (${mad(whole[7]!, whole[12]!).toFixed(2)})`);
  }
  // The whole move asked as a range is the whole move's filter, unchanged (format-1 cuts keep their bytes).
  const move = { camera: "slow push-in", seconds: 3, size: TINY, fps: FPS };
  assert.equal(panFilter({ ...move, range: { from: 0, count: frameCount(3, FPS) } }), panFilter(move));
});

test("stills under moves join frame for frame as the same moves rendered alone and joined (dissolve between them), encoded once", async () => {
  const dir = await scratch("move-join");
  const a = await still(dir, "a", "testsrc2");
  const b = await still(dir, "b", "rgbtestsrc");
  const moves = [
    { file: a, camera: "fast push-in" },
    { file: b, camera: "pan left" },
  ];
  // The old way: each move encoded as its own clip, then joined.
  const clips: JoinPiece[] = [];
  for (const [i, m] of moves.entries()) {
    const clip = join(dir, `clip-${i}.mp4`);
    must(await panClip({ image: m.file, camera: m.camera, seconds: 2, size: TINY, fps: FPS }, clip, run));
    clips.push({ file: clip, audio: false, seconds: 2 });
  }
  const junctions = [{ transition: "cut" as const }, { transition: "dissolve" as const }];
  const options = { width: W, height: H, fps: FPS, renderer: "blend" as const, scene: { frames: 42 } };
  const old = join(dir, "old.mp4");
  must(await joinWithTransitions(clips, junctions, old, options, run));
  // The new way: the stills and their moves, rendered in the join's pass.
  const pieces: JoinPiece[] = moves.map((m) => ({ file: m.file, audio: false, seconds: 2, move: { camera: m.camera } }));
  const joined = join(dir, "joined.mp4");
  const timing = must(await joinWithTransitions(pieces, junctions, joined, options, run));
  assert.deepEqual(timing.overlaps, [0, 0.5]);
  const info = await probed(joined);
  assert.ok(Math.abs(info.video!.duration! - 3.5) < 0.05, `video ${info.video!.duration} s, want 3.5`);

  const want = await gray(dir, old, "", "old", 1000);
  const got = await gray(dir, joined, "", "new", 1000);
  assert.equal(got.length, 42);
  assert.equal(want.length, 42);
  // Same frame: only x264's loss (one encode against two) between them. A frame or two off: the move shows.
  const same = got.map((f, k) => mad(f, want[k]!));
  const off = got.slice(3, -3).map((f, k) => Math.min(mad(f, want[k + 3 - 2]!), mad(f, want[k + 3 + 2]!)));
  const worst = Math.max(...same);
  const mean = (xs: number[]) => xs.reduce((n, x) => n + x, 0) / xs.length;
  assert.ok(worst < 3, `each frame is the old join's frame: worst ${worst.toFixed(2)} (frame ${same.indexOf(worst)})`);
  assert.ok(mean(off) > 3 * mean(same), `two frames off would show: ${mean(off).toFixed(2)} against ${mean(same).toFixed(2)} in step`);
  // The overlap (frames 18..23) is a mix: far from both the first move's end and the second's start.
  const mid = got[21]!;
  assert.ok(mad(mid, got[17]!) > 8 && mad(mid, got[24]!) > 8, `mid-dissolve ${mad(mid, got[17]!).toFixed(1)} from A, ${mad(mid, got[24]!).toFixed(1)} from B`);
});
