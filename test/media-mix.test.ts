import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fitMusic, mixDialogue, writeWav } from "../src/media/audio.js";
import { renderCard } from "../src/media/card.js";
import { concatCuts, cutLengths } from "../src/media/concat.js";
import { cutLength, cutScene } from "../src/media/cut.js";
import { mixSoundtrack } from "../src/media/final-mix.js";
import { energy, integratedOf, joinProfiles, parseLoudness, type LoudnessProfile } from "../src/media/loudness.js";
import { integratedLoudness, meanVolume } from "../src/media/measure.js";
import { mp4Seconds } from "../src/media/mp4-duration.js";
import { panClip } from "../src/media/pan.js";
import { runFfmpeg, runProbe } from "../src/media/run.js";
import type { Pcm } from "../src/media/wav.js";
import { digest, FPS, must, probed, run, scratch, signal, TINY } from "./media-helpers.js";

let dir = "";
let clip = "";
const voices: string[] = [];
let cuts: string[] = [];
let dialogue: { file: string; profile: LoudnessProfile } | undefined;
let joined = "";
let music = "";
let episode = "";

function tone(seconds: number, hz: number, rate: number, channels: number, amp = 0.5): Pcm {
  const n = Math.round(seconds * rate);
  const samples = new Int16Array(n * channels);
  for (let i = 0; i < n; i++) for (let c = 0; c < channels; c++) samples[i * channels + c] = Math.round(amp * 32767 * Math.sin((2 * Math.PI * hz * i) / rate));
  return { sampleRate: rate, channels, samples };
}

/** Video packet sizes, with keyframes marked "K" (the demuxer may repeat SPS/PPS in them). */
async function packetSizes(file: string): Promise<string[]> {
  const r = must(await runProbe(["-v", "error", "-select_streams", "v", "-show_entries", "packet=size,flags", "-of", "csv=p=0", file], signal));
  return r.stdout.trim().split("\n").map((l) => (l.includes("K") ? "K" : l.split(",")[0]!));
}

before(async () => {
  dir = await scratch("mix");
  must(await renderCard({ size: TINY, top: [90, 60, 40], bottom: [20, 10, 10], texts: [{ text: "Station", size: 30, y: 100, width: 160 }] }, join(dir, "key.png"), run));
  clip = join(dir, "clip.mp4");
  must(await panClip({ image: join(dir, "key.png"), camera: "pan right", seconds: 1, size: TINY, fps: FPS }, clip, run));
  // Voices at 22.05 kHz (like espeak-ng) to exercise resampling; a 1 kHz tone stands in for speech.
  for (const [i, s] of [0.6, 0.4].entries()) {
    voices.push(join(dir, `voice${i}.wav`));
    must(await writeWav(tone(s, 1000, 22050, 1), voices[i]!));
  }
  music = join(dir, "music.wav");
  must(await writeWav(tone(1, 200, 48000, 2, 0.3), music));
});

test("mixDialogue joins voices with gaps at 48 kHz mono and reports exact timings; deterministic", async () => {
  const out = join(dir, "dialogue.wav");
  const r = must(await mixDialogue(voices, out, { gap: 0.3, lead: 0.2 }, run));
  assert.deepEqual(r.timings.map((t) => t.index), [0, 1]);
  const near = (a: number, b: number) => Math.abs(a - b) < 0.001;
  assert.ok(near(r.timings[0]!.start, 0.2) && near(r.timings[0]!.end, 0.8), JSON.stringify(r.timings));
  assert.ok(near(r.timings[1]!.start, 1.1) && near(r.timings[1]!.end, 1.5), JSON.stringify(r.timings));
  assert.ok(near(r.seconds, 1.5));
  const info = await probed(out);
  assert.deepEqual([info.audio?.codec, info.audio?.sampleRate, info.audio?.channels], ["pcm_s16le", 48000, 1]);
  assert.ok(near(info.duration, 1.5));
  must(await mixDialogue(voices, join(dir, "dialogue-again.wav"), { gap: 0.3, lead: 0.2 }, run));
  assert.equal(await digest(join(dir, "dialogue-again.wav")), await digest(out));
  const none = await mixDialogue([], join(dir, "none.wav"), { gap: 0.3 }, run);
  assert.equal(!none.ok && none.error.kind, "invalid-input");
  dialogue = { file: out, profile: r.loudness };
});

test("the dialogue's loudness, computed from its samples, is what ebur128 logs of it, block by block; a sine is where BS.1770 puts it", async () => {
  const out = join(dir, "dialogue.wav");
  const { profile } = dialogue!;
  const logged = must(await runFfmpeg(["-i", out, "-af", "aformat=channel_layouts=stereo,ebur128", "-f", "null", "-"], run));
  const blocks = parseLoudness(logged.stderr)!.blocks;
  assert.equal(profile.blocks.length, blocks.length, "a block every 100 ms from the first full 400 ms window");
  for (const [i, b] of blocks.entries()) {
    const mine = profile.blocks[i]!;
    assert.ok(Number.isFinite(b) ? Math.abs(mine - b) <= 0.1 : !Number.isFinite(mine), `block ${i}: ${mine} vs ebur128's ${b}`);
  }
  // BS.1770 reads a full-scale 1 kHz sine in one channel as −3.01 LUFS (its −0.691 offsets K-weighting's
  // gain at 1 kHz); at amplitude 0.5 that is 6.02 dB less: −9.03 LUFS.
  const sine = join(dir, "sine.wav");
  must(await writeWav(tone(2, 1000, 48000, 1), sine));
  const one = must(await mixDialogue([sine], join(dir, "sine-dialogue.wav"), { gap: 0 }, run));
  const lufs = integratedOf(one.loudness.blocks.map(energy));
  assert.ok(Math.abs(lufs - -9.03) < 0.1, `sine at ${lufs.toFixed(2)} LUFS`);
});

test("concatCuts joins cuts by stream copy: summed duration, the cuts' own video packets", async () => {
  const a = join(dir, "cut-a.mp4");
  const b = join(dir, "cut-b.mp4");
  const ra = must(await cutScene({ clip, dialogue: join(dir, "dialogue.wav"), seconds: 1, size: TINY, fps: FPS, tail: 0.5 }, a, run));
  const rb = must(await cutScene({ clip, seconds: 1, size: TINY, fps: FPS }, b, run));
  assert.deepEqual([ra.seconds, rb.seconds], [2, 1]);
  assert.deepEqual([cutLength(1, 1.5, FPS, 0.5).seconds, cutLength(1, undefined, FPS).seconds], [2, 1], "the rule the soundtrack places cuts by");
  cuts = [a, b];
  joined = join(dir, "joined.mp4");
  const r = must(await concatCuts(cuts, joined, run));
  assert.deepEqual(r.offsets, [0, 2]);
  const info = await probed(joined);
  assert.ok(Math.abs(info.duration - 3) < 0.1, `duration ${info.duration}`);
  assert.ok(Math.abs((info.video?.duration ?? 0) - 3) < 0.01, `video ${info.video?.duration}`);
  assert.equal(info.video?.fps, FPS);
  assert.ok(Math.abs(info.video!.startTime) < 0.001, `the cuts' own clock: video from 0, not after the AAC priming (${info.video!.startTime})`);
  // Byte-for-byte the same packets, except that keyframes may carry the parameter sets in-band.
  assert.deepEqual(await packetSizes(joined), [...(await packetSizes(a)), ...(await packetSizes(b))], "copied, not re-encoded");
  must(await concatCuts(cuts, join(dir, "joined-again.mp4"), run));
  assert.equal(await digest(join(dir, "joined-again.mp4")), await digest(joined));
});

test("concatCuts refuses cuts of different encodings instead of making a broken file", async () => {
  const big = join(dir, "cut-big.mp4");
  must(await cutScene({ clip, seconds: 1, size: { width: 360, height: 640 }, fps: FPS }, big, run));
  const r = await concatCuts([cuts[0]!, big], join(dir, "bad.mp4"), run);
  assert.equal(!r.ok && r.error.kind, "invalid-input");
});

test("fitMusic loops a short piece to exactly the length, 48 kHz stereo, faded in and out; deterministic", async () => {
  const out = join(dir, "fitted-default.wav");
  must(await fitMusic(music, 3, out, run));
  const info = await probed(out);
  assert.equal(info.duration, 3);
  assert.deepEqual([info.audio?.sampleRate, info.audio?.channels], [48000, 2]);
  const start = must(await meanVolume(out, { start: 0, end: 0.1 }, signal));
  const middle = must(await meanVolume(out, { start: 1.2, end: 1.5 }, signal));
  const end = must(await meanVolume(out, { start: 2.9, end: 3 }, signal));
  assert.ok(middle > start + 10 && middle > end + 10, `fades: ${start} / ${middle} / ${end} dB`);
  assert.ok(middle > -20, "looped: still playing after the 1 s source ended");
  must(await fitMusic(music, 3, join(dir, "fitted-again.wav"), run));
  assert.equal(await digest(join(dir, "fitted-again.wav")), await digest(out));
});

test("the soundtrack and the final: music ducked under dialogue, about -16 LUFS from the measured blocks alone, AAC 48 kHz; the cuts' video and the soundtrack copied in one pass, faststart, exact length; deterministic", async () => {
  const fitted = join(dir, "fitted.wav");
  const musicLoudness = must(await fitMusic(music, 3, fitted, run, { fadeIn: 0.05, fadeOut: 0.05 }));
  // Loudness as the build has it: measured when the dialogue and the fitted music were made, never again.
  const scenes = [{ dialogue: dialogue!.file, seconds: 2 }, { seconds: 1 }];
  const measured = {
    dialogue: joinProfiles([{ profile: dialogue!.profile, seconds: 2 }, { profile: { blocks: [] }, seconds: 1 }]),
    music: joinProfiles([{ profile: musicLoudness, seconds: 3 }]),
  };
  const sound = join(dir, "soundtrack.m4a");
  const progress: number[] = [];
  const made = must(await mixSoundtrack({ scenes, music: fitted, measured }, sound, { signal, progress: (f) => progress.push(f) }));
  assert.equal(made.seconds, 3);
  assert.equal(progress.at(-1), 1);
  const track = await probed(sound);
  assert.deepEqual([track.audio?.codec, track.audio?.sampleRate, track.audio?.channels], ["aac", 48000, 2]);
  assert.equal(track.video, undefined);

  const out = join(dir, "final.mp4");
  episode = out;
  // The lengths as the soundtrack step hands them over: nothing is probed.
  const known = must(await cutLengths(cuts, signal));
  const r = must(await concatCuts(cuts, out, run, { known, soundtrack: sound }));
  assert.deepEqual(r, known);
  const info = await probed(out);
  assert.deepEqual([info.video?.codec, info.video?.width, info.video?.height, info.video?.fps], ["h264", 180, 320, FPS]);
  assert.deepEqual([info.audio?.codec, info.audio?.sampleRate, info.audio?.channels], ["aac", 48000, 2]);
  assert.ok(Math.abs(info.duration - 3) < 0.01, `duration ${info.duration}: exactly the video's`);
  assert.ok(Math.abs((info.audio?.duration ?? 0) - 3) < 0.03, `audio ${info.audio?.duration}: to the end of the video`);
  assert.ok(Math.abs(info.video!.startTime) < 0.001 && Math.abs(info.audio!.startTime) < 0.001, `both start at 0: ${info.video!.startTime} ${info.audio!.startTime}`);
  assert.deepEqual(await packetSizes(out), await packetSizes(joined), "video stream copied");
  const bytes = await readFile(out);
  assert.ok(bytes.indexOf("moov") < bytes.indexOf("mdat"), "+faststart: the index comes first");

  // The music is a 200 Hz tone: follow that band. Dialogue (1 kHz) plays 0.2–0.8 s and 1.1–1.5 s.
  const under = must(await meanVolume(out, { start: 0.35, end: 0.75, band: 200 }, signal));
  const free = must(await meanVolume(out, { start: 2.3, end: 2.9, band: 200 }, signal));
  assert.ok(free - under >= 6, `music ducked under dialogue by ${(free - under).toFixed(1)} dB (free ${free}, under ${under})`);
  // The dialogue is where the first cut put it: loud in its lines, quiet in the gap between them.
  const line = must(await meanVolume(out, { start: 0.3, end: 0.7, band: 1000 }, signal));
  const gap = must(await meanVolume(out, { start: 0.9, end: 1.0, band: 1000 }, signal));
  assert.ok(line - gap >= 10, `dialogue in place: line ${line} dB, gap ${gap} dB`);

  const lufs = must(await integratedLoudness(out, signal));
  assert.ok(Math.abs(lufs - -16) <= 1.5, `integrated loudness ${lufs} LUFS`);

  must(await mixSoundtrack({ scenes, music: fitted, measured }, join(dir, "soundtrack-again.m4a"), run));
  assert.equal(await digest(join(dir, "soundtrack-again.m4a")), await digest(sound));
  must(await concatCuts(cuts, join(dir, "final-again.mp4"), run, { known, soundtrack: sound }));
  assert.equal(await digest(join(dir, "final-again.mp4")), await digest(out));
});

test("mp4Seconds reads a cut's, a join's and an episode's (+faststart) length from the headers as ffprobe measures the video", async () => {
  assert.ok(episode, "runs after the final test");
  for (const file of [...cuts, joined, episode]) {
    const mine = await mp4Seconds(file);
    const probedVideo = (await probed(file)).video!.duration!;
    assert.ok(mine !== undefined && Math.abs(mine - probedVideo) < 0.001, `${file}: ${mine} vs ffprobe's ${probedVideo}`);
  }
  // A cut cut short (a killed copy): its index was at the end, so there is nothing to read, not a wrong length.
  const bytes = await readFile(cuts[0]!);
  const short = join(dir, "short.mp4");
  await writeFile(short, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.equal(await mp4Seconds(short), undefined);
  assert.equal(await mp4Seconds(join(dir, "key.png")), undefined);
  assert.equal(await mp4Seconds(join(dir, "missing.mp4")), undefined);
});
