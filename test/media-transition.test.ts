/**
 * src/media/transition.ts: joining shots with transitions, measured on real
 * frames. A frame in the middle of a dissolve is a mix of the two shots
 * (compared with frames of each); a cut has none. Both renderers: blend
 * (ffmpeg 4.1, the bundled one) and xfade (ffmpeg >= 4.3: set
 * DRAMAKE_TEST_XFADE_FFMPEG to one, or have it as FFMPEG_PATH / on PATH).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { frameAt, must, probed, run, scratch, soundOf, TINY } from "./media-helpers.js";
import { runFfmpeg } from "../src/media/run.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { hasXfade, joinTiming, joinWithTransitions, TRANSITION_SECONDS, type JoinPiece, type TransitionRenderer } from "../src/media/transition.js";
import { TRANSITIONS, type Transition } from "../src/project/schema.js";

const FPS = 12;
const { width, height } = TINY;

test("joinTiming: offsets, overlaps in whole frames, never past half a piece or into a piece's own speech", () => {
  const t = joinTiming(
    [{ seconds: 4 }, { seconds: 3 }, { seconds: 0.6 }, { seconds: 5, speech: [{ start: 0.2, end: 4.5 }] }, { seconds: 4 }],
    [{ transition: "cut" }, { transition: "dissolve" }, { transition: "wipe-left", seconds: 1 }, { transition: "fade" }, { transition: "fade-black" }],
    FPS,
  );
  // 0.5 s dissolve; a 1 s wipe into a 0.6 s piece is cut to half of it (0.3 s);
  // the fade into a piece whose speech starts at 0.2 s: 0.2 s; the dip out of a piece talking until 4.5 s: 0.5 s.
  assert.deepEqual(t.overlaps, [0, 0.5, 0.25, 2 / 12, 0.5]);
  assert.deepEqual(t.transitions, ["cut", "dissolve", "wipe-left", "fade", "fade-black"]);
  const expected = [0, 3.5, 3.5 + 3 - 0.25, 3.5 + 3 - 0.25 + 0.6 - 2 / 12];
  expected.push(expected[3]! + 5 - 0.5);
  t.offsets.forEach((o, i) => assert.ok(Math.abs(o - expected[i]!) < 1e-9, `offset ${i}: ${o} vs ${expected[i]}`));
  assert.ok(Math.abs(t.seconds - (expected[4]! + 4)) < 1e-9);
  for (const d of t.overlaps) assert.ok(Math.abs(d * FPS - Math.round(d * FPS)) < 1e-9, `${d} s is not whole frames`);
  // A piece that talks to its last frame gets a cut, whatever was asked.
  const talking = joinTiming([{ seconds: 2, speech: [{ start: 0, end: 2 }] }, { seconds: 2 }], [{ transition: "cut" }, { transition: "dissolve" }], FPS);
  assert.deepEqual([talking.overlaps, talking.transitions, talking.seconds], [[0, 0], ["cut", "cut"], 4]);
  assert.equal(TRANSITION_SECONDS.cut, 0);
});

/** A 2 s shot: a solid colour with a white box, and a tone. */
async function shot(dir: string, name: string, color: string, hz: number): Promise<JoinPiece> {
  const file = join(dir, `${name}.mp4`);
  must(
    await runFfmpeg(
      [
        "-f", "lavfi", "-i", `color=c=${color}:s=${width}x${height}:r=${FPS}:d=2,drawbox=x=20:y=40:w=60:h=60:color=white:t=fill`,
        "-f", "lavfi", "-i", `sine=frequency=${hz}:sample_rate=48000:duration=2`,
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", file,
      ],
      run,
    ),
  );
  return { file, seconds: 2, audio: true };
}

function rms(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s / a.length);
}

function mix(a: Uint8Array, b: Uint8Array, p: number): Uint8Array {
  return a.map((x, i) => Math.round(x * (1 - p) + b[i]! * p));
}

/** Frame k of a file (its timestamp k / FPS), as RGB. */
const frame = (file: string, k: number, out: string) => frameAt(file, (k - 0.5) / FPS, out);

async function dissolveAndCut(renderer: TransitionRenderer, say: (note: string) => void): Promise<void> {
  const dir = await scratch(`transition-${renderer}`);
  const a = await shot(dir, "a", "red", 440);
  const b = await shot(dir, "b", "blue", 880);
  const dissolved = join(dir, "dissolve.mp4");
  const joined = must(await joinWithTransitions([a, b], [{ transition: "cut" }, { transition: "dissolve" }], dissolved, { width, height, fps: FPS, renderer }, run));
  assert.equal(joined.renderer, renderer);
  assert.deepEqual(joined.overlaps, [0, 0.5]);
  const info = await probed(dissolved);
  assert.ok(Math.abs(info.video!.duration! - 3.5) < 0.05, `video ${info.video!.duration} s, want 3.5`);
  assert.ok(Math.abs(info.audio!.duration! - 3.5) < 0.05, `audio ${info.audio!.duration} s, want 3.5`);
  // The overlap is frames 18..23 (1.5 s to 2 s); frame 21 is half way.
  const red = await frame(dissolved, 6, join(dir, "r.rgb"));
  const blue = await frame(dissolved, 36, join(dir, "b.rgb"));
  const mid = await frame(dissolved, 21, join(dir, "m.rgb"));
  const toA = rms(mid, red);
  const toB = rms(mid, blue);
  const toMix = rms(mid, mix(red, blue, 0.5));
  say(`${renderer}: middle of the dissolve is ${toA.toFixed(1)} RMS from A, ${toB.toFixed(1)} from B, ${toMix.toFixed(1)} from (A+B)/2`);
  assert.ok(toA > 40 && toB > 40, `the middle frame is one of the shots: ${toA.toFixed(1)} from A, ${toB.toFixed(1)} from B`);
  assert.ok(toMix < 10, `the middle frame is not an even mix: ${toMix.toFixed(1)} from (A+B)/2 (A ${toA.toFixed(1)}, B ${toB.toFixed(1)})`);
  // Early and late in the overlap it leans to each side.
  const early = await frame(dissolved, 19, join(dir, "e.rgb"));
  assert.ok(rms(early, red) < rms(early, blue), "a sixth of the way the first shot still dominates");

  const cut = join(dir, "cut.mp4");
  must(await joinWithTransitions([a, b], [{ transition: "cut" }, { transition: "cut" }], cut, { width, height, fps: FPS, renderer }, run));
  assert.ok(Math.abs((await probed(cut)).video!.duration! - 4) < 0.05);
  // Every frame is one shot or the other: none is more than a little from both.
  const refA = await frame(cut, 6, join(dir, "ca.rgb"));
  const refB = await frame(cut, 42, join(dir, "cb.rgb"));
  let last = "a";
  for (let k = 0; k < 48; k++) {
    const f = await frame(cut, k, join(dir, `c${k}.rgb`));
    const [da, db] = [rms(f, refA), rms(f, refB)];
    assert.ok(Math.min(da, db) < 6, `frame ${k} is a mix: ${da.toFixed(1)} from A, ${db.toFixed(1)} from B`);
    const now = da < db ? "a" : "b";
    assert.equal(now, k < 24 ? "a" : "b", `frame ${k}`);
    last = now;
  }
  assert.equal(last, "b");
  // Sound continues across the dissolve: the crossfade has both tones, never a gap.
  const sound = await soundOf(dissolved, join(dir, "s.raw"));
  const window = (from: number) => Math.sqrt(sound.slice(from, from + 480).reduce((n, x) => n + x * x, 0) / 480);
  for (let t = 0.1; t < 3.4; t += 0.1) assert.ok(window(Math.round(t * 48000)) > 1000, `silence at ${t.toFixed(1)} s`);
}

test("blend renderer (ffmpeg 4.1 and later): a dissolve's middle frame is an even mix of the two shots; a cut has none", async (t) => {
  await dissolveAndCut("blend", (n) => t.diagnostic(n));
});

test("blend renderer: every transition renders, its middle frame differs from both shots, and the join is the planned length", async () => {
  const dir = await scratch("transition-all");
  const a = await shot(dir, "a", "red", 440);
  const b = await shot(dir, "b", "blue", 880);
  const red = await frame(a.file, 6, join(dir, "r.rgb"));
  const blue = await frame(b.file, 6, join(dir, "b.rgb"));
  for (const kind of TRANSITIONS.filter((t): t is Exclude<Transition, "cut"> => t !== "cut")) {
    const out = join(dir, `${kind}.mp4`);
    const joined = must(await joinWithTransitions([a, b], [{ transition: "cut" }, { transition: kind, seconds: 1 }], out, { width, height, fps: FPS, renderer: "blend" }, run));
    assert.equal(joined.seconds, 3);
    assert.ok(Math.abs((await probed(out)).video!.duration! - 3) < 0.05, kind);
    const mid = await frame(out, 18, join(dir, `${kind}.rgb`));
    assert.ok(rms(mid, red) > 30 && rms(mid, blue) > 30, `${kind}: the middle frame is one of the shots (${rms(mid, red).toFixed(1)}, ${rms(mid, blue).toFixed(1)})`);
  }
});

/** An ffmpeg with xfade for the second renderer, or undefined (the test then says why it skipped). */
function xfadeFfmpeg(): string | undefined {
  const candidates = [process.env.DRAMAKE_TEST_XFADE_FFMPEG, process.env.FFMPEG_PATH, toolPath("ffmpeg").ok ? (toolPath("ffmpeg") as { value: string }).value : undefined];
  return candidates.find((bin) => bin && /\bxfade\b/.test(spawnSync(bin, ["-hide_banner", "-filters"], { encoding: "utf8" }).stdout ?? ""));
}

test("auto picks blend on an ffmpeg without xfade (the bundled 4.1) and xfade where it exists", async (t) => {
  const bundled = (await import("@ffmpeg-installer/ffmpeg")).default.path;
  const saved = process.env.FFMPEG_PATH;
  try {
    process.env.FFMPEG_PATH = bundled;
    const has = must(await hasXfade(run));
    const version = spawnSync(bundled, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0];
    t.diagnostic(`bundled: ${version}; xfade: ${has}`);
    const dir = await scratch("transition-auto");
    const a = await shot(dir, "a", "red", 440);
    const b = await shot(dir, "b", "blue", 880);
    const joined = must(await joinWithTransitions([a, b], [{ transition: "cut" }, { transition: "dissolve" }], join(dir, "auto.mp4"), { width, height, fps: FPS }, run));
    assert.equal(joined.renderer, has ? "xfade" : "blend");
    const newer = xfadeFfmpeg();
    if (newer) {
      process.env.FFMPEG_PATH = newer;
      assert.equal(must(await hasXfade(run)), true);
      const j2 = must(await joinWithTransitions([a, b], [{ transition: "cut" }, { transition: "dissolve" }], join(dir, "auto2.mp4"), { width, height, fps: FPS }, run));
      assert.equal(j2.renderer, "xfade");
    }
  } finally {
    if (saved === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved;
  }
});

test("xfade renderer (ffmpeg >= 4.3): a dissolve's middle frame is an even mix of the two shots; a cut has none", async (t) => {
  const newer = xfadeFfmpeg();
  if (!newer) {
    t.skip("no ffmpeg with xfade here: set DRAMAKE_TEST_XFADE_FFMPEG to one (ffmpeg >= 4.3)");
    return;
  }
  const saved = process.env.FFMPEG_PATH;
  try {
    process.env.FFMPEG_PATH = newer;
    t.diagnostic(spawnSync(newer, ["-version"], { encoding: "utf8" }).stdout.split("\n")[0]!);
    await dissolveAndCut("xfade", (n) => t.diagnostic(n));
  } finally {
    if (saved === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved;
  }
});
