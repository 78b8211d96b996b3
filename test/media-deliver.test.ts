/**
 * Delivery: the final re-encoded at a preset's size and frame rate, measured
 * at its loudness (ebur128) within 0.5 LU and under its true peak; too long is
 * refused before any encoding; soft subtitles are a track and burn nothing.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import test from "node:test";
import { deliver, lengthProblem, measureLoudness, mp4TakesCover, trackLanguage } from "../src/media/deliver.js";
import { integratedLoudness } from "../src/media/measure.js";
import { PRESETS, type DeliveryPreset } from "../src/media/presets.js";
import { commandRunner, runFfmpeg, setCommandRunner, type CommandRunner } from "../src/media/run.js";
import { writeSubtitles } from "../src/media/subtitles.js";
import { cutScene } from "../src/media/cut.js";
import { frameAt, must, probed, rowDiff, run, scratch, signal } from "./media-helpers.js";

let dir: string;
/** A 3 s 180x320 12 fps final whose sound is quiet (about -30 LUFS) and one that is hot (peaks near 0 dBFS). */
let quiet: string;
let hot: string;
let wide: string;

async function makeFinal(out: string, size: string, audio: string) {
  must(
    await runFfmpeg(
      ["-f", "lavfi", "-i", `testsrc2=s=${size}:r=12:d=3`, "-f", "lavfi", "-i", audio, "-t", "3", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-ar", "48000", "-ac", "2", "-shortest", out],
      run,
    ),
  );
}

test.before(async () => {
  dir = await scratch("deliver");
  quiet = join(dir, "quiet.mp4");
  hot = join(dir, "hot.mp4");
  wide = join(dir, "wide.mp4");
  // Speech-like: noise bursts that come and go, plus a tone, far below any target.
  await makeFinal(quiet, "180x320", "anoisesrc=a=0.03:c=pink:r=48000:d=3,tremolo=f=3:d=0.9,volume=0.7");
  // Hot: a square wave at full scale, far above a target and over any true-peak ceiling.
  await makeFinal(hot, "180x320", "aevalsrc=0.99*(2*gte(sin(2*PI*220*t)\\,0)-1):s=48000:d=3");
  await makeFinal(wide, "320x180", "sine=f=440:r=48000:d=3,volume=0.05");
});

const TINY: DeliveryPreset = {
  name: "custom",
  size: { width: 360, height: 640 },
  fps: 15,
  video: { crf: 26 },
  loudness: -16,
  truePeak: -1.5,
  maxSeconds: 60,
  safeArea: PRESETS.douyin.safeArea,
};

async function checkDelivered(out: string, preset: DeliveryPreset) {
  const info = await probed(out);
  assert.equal(info.video?.width, preset.size.width);
  assert.equal(info.video?.height, preset.size.height);
  assert.ok(Math.abs((info.video?.fps ?? 0) - preset.fps) < 0.01, `fps ${info.video?.fps}`);
  assert.equal(info.audio?.sampleRate, 48000);
  const m = must(await measureLoudness(out, signal));
  assert.ok(Math.abs(m.integrated - preset.loudness) <= 0.5, `integrated ${m.integrated} LUFS vs ${preset.loudness}`);
  assert.ok(m.truePeak <= preset.truePeak, `true peak ${m.truePeak} dBTP over ${preset.truePeak}`);
  // ebur128 through the other entry point agrees.
  const i = must(await integratedLoudness(out, signal));
  assert.ok(Math.abs(i - preset.loudness) <= 0.5);
  return m;
}

test("a quiet final and a hot one both measure at the preset's loudness within 0.5 LU and under its true peak, at its size and fps", async (t) => {
  const before = must(await measureLoudness(quiet, signal));
  const hotBefore = must(await measureLoudness(hot, signal));
  assert.ok(before.integrated < -24 && hotBefore.truePeak > -1, `sources: ${before.integrated} LUFS, ${hotBefore.truePeak} dBTP`);
  for (const [name, src] of [["quiet", quiet], ["hot", hot]] as const) {
    const out = join(dir, `${name}.custom.mp4`);
    const d = must(await deliver({ final: src, preset: TINY }, out, run));
    const m = await checkDelivered(out, TINY);
    t.diagnostic(`${name}: ${d.loudness} LUFS / ${d.truePeak} dBTP reported, ${m.integrated} / ${m.truePeak} measured, ${d.seconds} s`);
    assert.ok(Math.abs(d.seconds - 3) < 0.1);
  }
});

test("douyin: 1080x1920 at 30 fps and -14 LUFS under -1 dBTP; a 16:9 final is letterboxed, not cropped", async () => {
  const out = join(dir, "wide.douyin.mp4");
  must(await deliver({ final: wide, preset: PRESETS.douyin }, out, run));
  await checkDelivered(out, PRESETS.douyin);
  const rgb = await frameAt(out, 1, join(dir, "wide.rgb"));
  const W = 1080;
  // Black above and below the picture (the 16:9 frame is 608 rows tall in the middle), picture in the middle.
  assert.ok(rowDiff(rgb, new Uint8Array(rgb.length), W, 0, 600) < 3, "top band black");
  assert.ok(rowDiff(rgb, new Uint8Array(rgb.length), W, 1330, 1920) < 3, "bottom band black");
  assert.ok(rowDiff(rgb, new Uint8Array(rgb.length), W, 700, 1200) > 30, "the picture in the middle");
});

test("an episode longer than the preset allows is refused before ffmpeg encodes anything", async () => {
  const calls: string[] = [];
  const real = commandRunner();
  const counting: CommandRunner = { run: (cmd, args, opts) => (calls.push(basename(cmd)), real.run(cmd, args, opts)) };
  const previous = setCommandRunner(counting);
  try {
    const out = join(dir, "long.mp4");
    const r = await deliver({ final: quiet, preset: { ...TINY, name: "shorts-ish", maxSeconds: 2 } }, out, run);
    assert.ok(!r.ok && r.error.kind === "invalid-input", JSON.stringify(r));
    assert.match(r.error.kind === "invalid-input" ? r.error.message : "", /3\.0 s long; shorts-ish takes at most 2 s/);
    assert.deepEqual(calls.filter((c) => c.startsWith("ffmpeg")), [], "no ffmpeg ran (only ffprobe)");
    assert.ok(!existsSync(out));
  } finally {
    setCommandRunner(previous);
  }
  assert.equal(lengthProblem(180, PRESETS.shorts), undefined);
  assert.match(lengthProblem(181, PRESETS.shorts) ?? "", /at most 180 s/);
});

test("burn: false gives a mov_text subtitle track and no burned text (frames compared); the cover is embedded where the muxer allows", async () => {
  const lines = [{ speaker: "Wei", text: "Dad, I am so sorry. Work kept me here again this year." }];
  const subs = writeSubtitles(lines, [{ index: 0, start: 0.2, end: 2.6 }], { language: "en", size: { width: 180, height: 320 } });
  const dialogue = join(dir, "dialogue.wav");
  must(await runFfmpeg(["-i", quiet, "-vn", "-ac", "1", "-ar", "48000", dialogue], run));
  const burned = join(dir, "burned.mp4");
  must(await cutScene({ clip: quiet, dialogue, ass: subs.ass, seconds: 3, size: { width: 180, height: 320 }, fps: 12 }, burned, run));
  const clean = join(dir, "clean.mp4");
  must(await cutScene({ clip: quiet, dialogue, seconds: 3, size: { width: 180, height: 320 }, fps: 12 }, clean, run));
  const cover = join(dir, "cover.png");
  must(await runFfmpeg(["-f", "lavfi", "-i", "color=c=red:s=360x640", "-frames:v", "1", cover], run));
  const soft = join(dir, "soft.mp4");
  assert.deepEqual(["en", "zh-CN", "ja", "xx"].map(trackLanguage), ["eng", "chi", "jpn", "und"]);
  const d = must(await deliver({ final: clean, preset: TINY, srt: subs.srt, subtitleLanguage: trackLanguage("en"), cover }, soft, run));
  const plain = join(dir, "plain.mp4");
  must(await deliver({ final: clean, preset: TINY }, plain, run));
  const hard = join(dir, "hard.mp4");
  must(await deliver({ final: burned, preset: TINY }, hard, run));
  const info = await probed(soft);
  const text = info.streams.filter((s) => s.type === "other" && s.codec === "mov_text");
  assert.equal(text.length, 1, JSON.stringify(info.streams));
  assert.equal(d.coverEmbedded, await mp4TakesCover(run));
  const pictures = info.streams.filter((s) => s.type === "video").length;
  assert.equal(pictures, d.coverEmbedded ? 2 : 1, "a cover is a second (attached) picture when embedded");
  const W = 360;
  const a = await frameAt(soft, 1.5, join(dir, "soft.rgb"));
  const b = await frameAt(plain, 1.5, join(dir, "plain.rgb"));
  const c = await frameAt(hard, 1.5, join(dir, "hard.rgb"));
  assert.equal(rowDiff(a, b, W, 0, 640), 0, "soft subtitles change no pixel");
  assert.ok(rowDiff(c, b, W, 320, 640) > 2, `burned subtitles do (${rowDiff(c, b, W, 320, 640).toFixed(2)})`);
  // The track holds the SRT's cues.
  const srtOut = join(dir, "back.srt");
  must(await runFfmpeg(["-i", soft, "-map", "0:s:0", srtOut], run));
  const { readFile } = await import("node:fs/promises");
  assert.match(await readFile(srtOut, "utf8"), /Work kept me here again this year\./);
});
