import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeWav } from "../src/media/audio.js";
import { renderCard, type CardSpec } from "../src/media/card.js";
import { cardBackground } from "../src/media/card-background.js";
import { cutScene } from "../src/media/cut.js";
import { findFonts } from "../src/media/fonts.js";
import { integratedOf, energy } from "../src/media/loudness.js";
import { integratedLoudness } from "../src/media/measure.js";
import { frameCount, panClip, panFilter } from "../src/media/pan.js";
import { runFfmpeg } from "../src/media/run.js";
import { writeSubtitles } from "../src/media/subtitles.js";
import { DEFAULT_SAFE_AREA } from "../src/media/presets.js";
import type { Pcm } from "../src/media/wav.js";
import { digest, FPS, frameAt, must, probed, rowDiff, run, scratch, signal, snrDb, soundOf, TINY } from "./media-helpers.js";

const W = TINY.width;
const H = TINY.height;
let dir = "";
let clip = "";
let dialogue = "";

/** A tone from `start` to `end` seconds in a mono 48 kHz track `seconds` long. */
export function tone(seconds: number, start: number, end: number, hz: number, amp = 0.5): Pcm {
  const samples = new Int16Array(Math.round(seconds * 48000));
  for (let i = Math.round(start * 48000); i < Math.min(samples.length, end * 48000); i++) {
    samples[i] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * hz * i) / 48000));
  }
  return { sampleRate: 48000, channels: 1, samples };
}

const card = (text: string): CardSpec => ({
  size: TINY,
  top: [70, 80, 120],
  bottom: [20, 20, 30],
  texts: [{ text, size: 40, y: 120, width: W * 0.9 }],
});

before(async () => {
  dir = await scratch("render");
  must(await renderCard({ ...card("Kitchen"), figure: { cx: W / 2, headY: 90, headR: 24, color: [10, 10, 20] } }, join(dir, "key.png"), run));
  clip = join(dir, "clip.mp4");
  must(await panClip({ image: join(dir, "key.png"), camera: "push-in", seconds: 1, size: TINY, fps: FPS }, clip, run));
  dialogue = join(dir, "dialogue.wav");
  must(await writeWav(tone(2, 0.2, 1.9, 440), dialogue));
});

test("a card's background: gradient top to bottom, vignette, a figure with soft edges; the PNG holds exactly those pixels", async () => {
  const figure = { cx: W / 2, headY: 90, headR: 24, color: [10, 10, 20] as const };
  const spec: CardSpec = { size: TINY, top: [200, 160, 120], bottom: [40, 30, 20], figure, texts: [] };
  const bg = cardBackground(spec);
  assert.equal(bg.length, W * H * 3);
  const px = (x: number, y: number) => [...bg.subarray((y * W + x) * 3, (y * W + x) * 3 + 3)];
  const cx = W / 2;
  assert.ok(px(cx, 10)[0]! > px(cx, H - 10)[0]! + 100, "the top is lit, the bottom dark");
  assert.ok(px(2, 10)[0]! < px(cx, 10)[0]! - 10, "the vignette darkens the corners");
  assert.ok(px(cx, 90)[0]! < 15 && px(cx, 90)[2]! > px(cx, 90)[0]!, `the head is the figure's colour: ${px(cx, 90)}`);
  // Along the row through the head's centre, pixels go from background to figure over a soft edge.
  const row = Array.from({ length: 12 }, (_, i) => px(Math.round(cx - 24) - 6 + i, 90)[0]!);
  assert.ok(row.some((v) => v > 20 && v < px(cx - 40, 90)[0]! - 20), `an anti-aliased edge, not a step: ${row}`);
  const shoulders = px(cx, Math.round(90 + 24 * 2.6));
  assert.ok(shoulders[0]! < 15, `shoulders below the head: ${shoulders}`);
  assert.deepEqual(cardBackground(spec), bg, "deterministic");

  const out = join(dir, "background.png");
  must(await renderCard(spec, out, run));
  const decoded = await frameAt(out, 0, join(dir, "background.rgb"));
  assert.ok(Buffer.from(decoded).equals(Buffer.from(bg)), "no text, no images: the card is the background, losslessly");
});

test("Chinese on cards renders as distinct glyphs; a font without CJK gives identical boxes (the control)", async (t) => {
  const fonts = findFonts();
  if (!fonts.cjk) return t.skip("no CJK font on this machine (install fonts-wqy-zenhei)");
  const draw = async (text: string, name: string, f = fonts) => {
    const out = join(dir, name);
    must(await renderCard(card(text), out, run, f));
    return digest(out);
  };
  const glyphs = [await draw("永", "cjk-1.png"), await draw("国", "cjk-2.png"), await draw("一", "cjk-3.png")];
  assert.equal(new Set(glyphs).size, 3, "three characters, three different drawings");
  if (!fonts.latin || fonts.latin.file === fonts.cjk.file) return;
  const latinOnly = { latin: fonts.latin };
  const boxes = [await draw("永", "tofu-1.png", latinOnly), await draw("国", "tofu-2.png", latinOnly)];
  assert.equal(boxes[0], boxes[1], "the control: without a CJK font every character is the same box");
  assert.ok(!glyphs.includes(boxes[0]!), "our drawing is not the box");
});

test("a cut holds the clip's last frame while the dialogue runs on, and has a 48 kHz mono AAC track (its dialogue; the soundtrack is the stereo mix)", async () => {
  const out = join(dir, "held.mp4");
  const r = must(await cutScene({ clip, dialogue, seconds: 1, size: TINY, fps: FPS, tail: 0.5 }, out, run));
  assert.equal(r.seconds, 2.5, "2 s of dialogue + 0.5 s tail, whole frames");
  const info = await probed(out);
  assert.deepEqual([info.video?.codec, info.video?.width, info.video?.height, info.video?.fps, info.video?.pixFmt], ["h264", W, H, FPS, "yuv420p"]);
  assert.deepEqual([info.audio?.codec, info.audio?.sampleRate, info.audio?.channels], ["aac", 48000, 1]);
  assert.ok(Math.abs(info.duration - 2.5) < 0.02, `container ${info.duration}`);
  assert.ok(Math.abs((info.audio?.duration ?? 0) - 2.5) < 0.03, `audio ${info.audio?.duration}`);
  // The track is the dialogue itself, from its first sample, at its level: two samples late a 440 Hz
  // tone is 19 dB above its error, and 5% too loud or soft 26 dB (AAC at 96k keeps it at about 33 dB).
  const heard = await soundOf(out, join(dir, "held.s16"));
  const said = tone(2, 0.2, 1.9, 440).samples;
  const snr = snrDb(said, heard, 0.3 * 48000, 1.8 * 48000);
  assert.ok(snr > 28, `the cut's sound is its dialogue: ${snr.toFixed(1)} dB SNR`);
  const first = await frameAt(out, 0, join(dir, "f0.rgb"));
  const clipEnd = await frameAt(out, 0.95, join(dir, "f1.rgb"));
  const late = await frameAt(out, 2.4, join(dir, "f2.rgb"));
  assert.ok(rowDiff(first, clipEnd, W, 0, H) > 1, "the clip moves (push-in)");
  const held = rowDiff(clipEnd, late, W, 0, H);
  const motion = rowDiff(first, clipEnd, W, 0, H);
  // Encoding noise only: a held frame differs from the clip's last frame far less than the clip moves.
  assert.ok(held < motion / 8, `after the clip ends its last frame is held (${held.toFixed(2)} vs motion ${motion.toFixed(2)})`);

  const short = must(await cutScene({ clip, seconds: 1, size: TINY, fps: FPS }, join(dir, "silent.mp4"), run));
  assert.equal(short.seconds, 1, "no dialogue: the clip's own length");
  assert.ok((await probed(join(dir, "silent.mp4"))).audio, "a silent track anyway, so cuts concatenate");
});

test("a cut from a still and a camera move renders the move itself (one encode): moving, held, exactly as long, deterministic", async () => {
  const move = { still: join(dir, "key.png"), camera: "push-in" };
  const out = join(dir, "moved.mp4");
  const r = must(await cutScene({ clip: move, dialogue, seconds: 1, size: TINY, fps: FPS, tail: 0.5 }, out, run));
  assert.equal(r.seconds, 2.5);
  const info = await probed(out);
  assert.deepEqual([info.video?.codec, info.video?.width, info.video?.height, info.video?.fps], ["h264", W, H, FPS]);
  assert.ok(Math.abs((info.video?.duration ?? 0) - 2.5) < 0.01, `video ${info.video?.duration}: the held frames have their own timestamps`);
  const first = await frameAt(out, 0, join(dir, "m0.rgb"));
  const moveEnd = await frameAt(out, 0.95, join(dir, "m1.rgb"));
  const held = await frameAt(out, 2.1, join(dir, "m2.rgb"));
  const late = await frameAt(out, 2.4, join(dir, "m3.rgb"));
  const motion = rowDiff(first, moveEnd, W, 0, H);
  assert.ok(motion > 1, "the still moves (push-in)");
  // Held frames are one picture (x264 repeats it almost exactly), up to the cut's very last frame (at
  // 2.4 s): a hold made by ffmpeg's loop filter ended on a one-frame jump to the move's end (3 to 5 here).
  const still = rowDiff(held, late, W, 0, H);
  assert.ok(still < motion / 20, `then its last frame is held to the end (${still.toFixed(2)} vs motion ${motion.toFixed(2)})`);
  assert.ok(rowDiff(moveEnd, late, W, 0, H) < motion / 4, "the held frame is where the move ended");
  // The same move as the pan clip made from the same still: the picture the animatic always had.
  const viaClip = await frameAt(join(dir, "held.mp4"), 0.5, join(dir, "c5.rgb"));
  const direct = await frameAt(out, 0.5, join(dir, "m5.rgb"));
  assert.ok(rowDiff(viaClip, direct, W, 0, H) < motion / 4, "the move matches the pan clip's");
  const again = join(dir, "moved-again.mp4");
  must(await cutScene({ clip: move, dialogue, seconds: 1, size: TINY, fps: FPS, tail: 0.5 }, again, run));
  assert.equal(await digest(again), await digest(out), "same inputs, same bytes");
});

test("a static move is the still itself, held; a retake's variation of a move is another move", async () => {
  const still = join(dir, "key.png");
  const out = join(dir, "static.mp4");
  must(await cutScene({ clip: { still, camera: "static" }, seconds: 1, size: TINY, fps: FPS }, out, run));
  const info = await probed(out);
  assert.equal(info.video?.frames, FPS, "exactly its frames");
  const first = await frameAt(out, 0, join(dir, "st0.rgb"));
  const last = await frameAt(out, 0.9, join(dir, "st1.rgb"));
  const source = await frameAt(still, 0, join(dir, "st-src.rgb"));
  assert.ok(rowDiff(first, last, W, 0, H) < 1, "nothing moves");
  assert.ok(rowDiff(first, source, W, 0, H) < 3, `the frame is the still (x264's noise only): ${rowDiff(first, source, W, 0, H).toFixed(2)}`);

  const varied = join(dir, "push-2.mp4");
  must(await cutScene({ clip: { still, camera: "push-in", variation: 1 }, seconds: 1, size: TINY, fps: FPS }, varied, run));
  must(await cutScene({ clip: { still, camera: "push-in" }, seconds: 1, size: TINY, fps: FPS }, join(dir, "push-1.mp4"), run));
  const a = await frameAt(join(dir, "push-1.mp4"), 0.5, join(dir, "p1.rgb"));
  const b = await frameAt(varied, 0.5, join(dir, "p2.rgb"));
  assert.ok(rowDiff(a, b, W, 0, H) > 2, `variation 1 frames the still differently: ${rowDiff(a, b, W, 0, H).toFixed(2)}`);
});

/** A move's frames straight from its filter, as luma planes (no x264 in the way). */
async function moveFrames(camera: string, seconds: number): Promise<Uint8Array[]> {
  const out = join(dir, `${camera.replace(/\W+/g, "-")}.gray`);
  const filter = panFilter({ camera, seconds, size: TINY, fps: FPS });
  const frames = frameCount(seconds, FPS);
  must(await runFfmpeg(["-i", join(dir, "key.png"), "-filter_complex", `[0:v]${filter},format=gray[v]`, "-map", "[v]", "-frames:v", String(frames), "-f", "rawvideo", out], run));
  const bytes = await readFile(out);
  return Array.from({ length: frames }, (_, i) => bytes.subarray(i * W * H, (i + 1) * W * H));
}

/** The horizontal shift (whole pixels, -4..4) that best maps frame `a` onto frame `b`. */
function shiftOf(a: Uint8Array, b: Uint8Array): number {
  let best = 0;
  let least = Infinity;
  for (let s = -4; s <= 4; s++) {
    let e = 0;
    for (let y = 0; y < H; y++) for (let x = 8; x < W - 8; x++) e += Math.abs(b[y * W + x]! - a[y * W + x + s]!);
    if (e < least) [least, best] = [e, s];
  }
  return best;
}

/** Mean absolute Laplacian of a luma plane: how sharp it is. */
function sharpness(g: Uint8Array): number {
  let sum = 0;
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      sum += Math.abs(4 * g[i]! - g[i - 1]! - g[i + 1]! - g[i - W]! - g[i + W]!);
    }
  return sum / ((W - 2) * (H - 2));
}

test("a slow pan slides a pixel at a time, never two (zoompan on yuv420p crops at even pixels)", async () => {
  const frames = await moveFrames("pan left", 3);
  const shifts = frames.slice(1).map((f, i) => shiftOf(frames[i]!, f));
  // The view moves left, so the picture slides right: each step is 0 or -1 in this frame of reference.
  assert.ok(shifts.every((s) => s === 0 || s === -1), `steps of at most one pixel: ${shifts.join(" ")}`);
  const moved = shifts.filter((s) => s !== 0).length;
  assert.ok(moved >= frames.length / 2, `it moves on most frames (${moved} of ${shifts.length})`);
});

test("a zoom is as sharp at its ends as in its middle: no pop on the frame where it reaches the whole still", async () => {
  for (const camera of ["pull-out", "push-in"]) {
    const s = (await moveFrames(camera, 2)).map(sharpness);
    // The whole still (zoom 1) is the pull-out's last frame and the push-in's first.
    const [end, near] = camera === "pull-out" ? [s.at(-1)!, s.slice(-5, -1)] : [s[0]!, s.slice(1, 5)];
    const around = near.reduce((a, b) => a + b, 0) / near.length;
    assert.ok(Math.abs(end / around - 1) < 0.03, `${camera}: ${end.toFixed(2)} at the end, ${around.toFixed(2)} around it`);
  }
});

test("subtitles are burned in: the band above the safe area's bottom margin changes during a line, the rest does not; deterministic", async () => {
  const subs = writeSubtitles([{ speaker: "Wei", text: "Dad, I'm sorry." }], [{ index: 0, start: 0.2, end: 1.9 }], { language: "en", size: TINY });
  const withSubs = join(dir, "subs.mp4");
  const without = join(dir, "nosubs.mp4");
  must(await cutScene({ clip, dialogue, ass: subs.ass, seconds: 1, size: TINY, fps: FPS }, withSubs, run));
  must(await cutScene({ clip, dialogue, seconds: 1, size: TINY, fps: FPS }, without, run));
  const a = await frameAt(withSubs, 1.75, join(dir, "s1.rgb"));
  const b = await frameAt(without, 1.75, join(dir, "s0.rgb"));
  // Compared in bands of 8 rows: a line of text changes its band a lot, while x264 quantizes the
  // rest of the two encodes a little differently (up to about 2 levels where the card has detail).
  const band = (from: number, to: number) => {
    let most = 0;
    for (let y = from; y < to; y += 8) most = Math.max(most, rowDiff(a, b, W, y, Math.min(to, y + 8)));
    return most;
  };
  // The line sits above the bottom margin of the safe area (inside every platform's): between 40 % of the height and that margin.
  const third = Math.round(H * 0.4);
  const safeBottom = Math.floor(H * (1 - DEFAULT_SAFE_AREA.bottom));
  const bottom = band(third, safeBottom);
  const top = Math.max(band(0, third), band(safeBottom, H));
  assert.ok(bottom > 8, `a band above the safe margin is the line (${bottom.toFixed(2)})`);
  assert.ok(top < bottom / 4, `the rest is the same picture, x264's noise aside (${top.toFixed(2)} vs ${bottom.toFixed(2)})`);
  const again = join(dir, "subs-again.mp4");
  must(await cutScene({ clip, dialogue, ass: subs.ass, seconds: 1, size: TINY, fps: FPS }, again, run));
  assert.equal(await digest(again), await digest(withSubs), "same inputs, same bytes");
});

test("Chinese subtitles render as glyphs: two different lines of CJK burn different pixels", async (t) => {
  if (!findFonts().cjk) return t.skip("no CJK font on this machine");
  const frames: Uint8Array[] = [];
  for (const [i, text] of ["永永永永", "国国国国"].entries()) {
    const subs = writeSubtitles([{ speaker: "", text }], [{ index: 0, start: 0, end: 2 }], { language: "zh", size: TINY });
    const out = join(dir, `zh${i}.mp4`);
    must(await cutScene({ clip, dialogue, ass: subs.ass, seconds: 1, size: TINY, fps: FPS }, out, run));
    frames.push(await frameAt(out, 1.0, join(dir, `zh${i}.rgb`)));
  }
  // Missing glyphs would draw the same box for every character: identical frames.
  // Compared in bands of 8 rows over where captions sit (above the safe area's bottom margin).
  let most = 0;
  for (let y = Math.round(H * 0.4); y < H; y += 8) most = Math.max(most, rowDiff(frames[0]!, frames[1]!, W, y, Math.min(H, y + 8)));
  assert.ok(most > 4, `the glyphs differ (${most.toFixed(2)})`);
  // CJK through libass is where bit-exactness once broke (a .ttc loaded as a memory font).
  const subs = writeSubtitles([{ speaker: "王爷爷", text: "小伟？你不回家过年了吗？" }], [{ index: 0, start: 0.2, end: 1.9 }], { language: "zh", size: TINY });
  const a = join(dir, "zh-a.mp4");
  const b = join(dir, "zh-b.mp4");
  must(await cutScene({ clip, dialogue, ass: subs.ass, seconds: 1, size: TINY, fps: FPS }, a, run));
  must(await cutScene({ clip, dialogue, ass: subs.ass, seconds: 1, size: TINY, fps: FPS }, b, run));
  assert.equal(await digest(a), await digest(b), "Chinese subtitles: same inputs, same bytes");
});
