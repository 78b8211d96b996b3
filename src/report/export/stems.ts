/**
 * WAV stems of an episode: dialogue per speaker, the music as ducked in the
 * mix, and the mix itself, made by the soundtrack's own filter graph
 * (final-mix.ts, `soundtrackGraph`) from the same cached inputs, so the mix
 * stem is the MP4's sound before AAC and the stems add up to it: the
 * dialogue and music buses are tapped before the mix and go through the
 * mix's gain and limiter (below its ceiling, a pure 1 ms delay). The
 * dialogue bus is split among the speakers in JS, every sample to the
 * speaker of the nearest line (boundaries in the silences between lines),
 * so the speakers' stems add up to the bus exactly. 32-bit float WAV, 48 kHz
 * stereo: no rounding between the stems and their sum.
 */
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AUDIO_RATE, BITEXACT } from "../../media/encoding.js";
import type { MediaFailure } from "../../media/failure.js";
import { LIMITER_ATTACK_MS, soundtrackGraph } from "../../media/final-mix.js";
import { fitMusic } from "../../media/index.js";
import { joinProfiles } from "../../media/loudness.js";
import { runFfmpeg, workDir } from "../../media/run.js";
import { wavLayout, wavWithHeader } from "../../media/wav.js";
import type { BuiltEpisode } from "../../graph/timeline.js";
import { err, ok, type Result } from "../../result.js";
import type { Written } from "./files.js";
import type { Timeline } from "./timeline.js";

/** Interleaved stereo float samples. */
export interface FloatWav {
  readonly sampleRate: number;
  readonly channels: number;
  readonly samples: Float32Array;
}

export function decodeFloatWav(bytes: Uint8Array): FloatWav | undefined {
  const w = wavLayout(bytes);
  // 3: IEEE float; 0xfffe: extensible (ffmpeg writes it for float too).
  if (!w || w.bits !== 32 || !(w.format === 3 || w.format === 0xfffe)) return undefined;
  const [start, end] = w.data;
  const copy = bytes.slice(start, start + Math.floor((end - start) / 4) * 4);
  return { sampleRate: w.sampleRate, channels: w.channels, samples: new Float32Array(copy.buffer, copy.byteOffset, copy.byteLength / 4) };
}

export function encodeFloatWav(wav: FloatWav): Uint8Array {
  const out = wavWithHeader(3, 32, wav.channels, wav.sampleRate, wav.samples.length * 4);
  new Float32Array(out.buffer, 44).set(wav.samples);
  return out;
}

/** A file-name-safe form of a track's name. */
const slug = (name: string) => name.normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "").toLowerCase() || "speaker";

/**
 * Which speaker each sample of the dialogue bus belongs to: the lines in
 * time order, a boundary halfway through the silence between two lines.
 */
export function speakerSpans(t: Timeline, rate: number): { track: number; from: number; to: number }[] {
  const perFrame = rate / t.fps;
  const lines = t.audio
    .flatMap((track, i) => (track.kind === "dialogue" ? track.clips.map((c) => ({ track: i, start: c.recordIn * perFrame, end: (c.recordIn + c.duration) * perFrame })) : []))
    .sort((a, b) => a.start - b.start);
  return lines.map((l, k) => ({
    track: l.track,
    from: k === 0 ? 0 : Math.round((lines[k - 1]!.end + l.start) / 2),
    to: k === lines.length - 1 ? Number.MAX_SAFE_INTEGER : Math.round((l.end + lines[k + 1]!.start) / 2),
  }));
}

/** The mix's limiter as a gain per sample, read off the mix against the sum of the buses it was fed. */
export interface LimiterGain {
  /** Samples the limiter delays by (its look-ahead). */
  readonly delay: number;
  /** Per sample frame, the limiter's gain (1: untouched). */
  readonly gain: Float32Array;
  readonly reduced: number;
  readonly deepestDb: number;
}

/**
 * The limiter is the mix's one non-linear part: it scales the summed buses,
 * delayed by its look-ahead, by one gain for all channels. That gain, read
 * off where the sum is loud enough to read it (elsewhere the limiter is at
 * rest: 1), applied to each stem makes them add up to the mix. It is clamped
 * to [0, 1], what a limiter can do: a bus that did not match what the mix was
 * made of could not hide behind it, and shows in the null test.
 */
export function limiterGain(dialogue: FloatWav, music: FloatWav, mix: FloatWav): LimiterGain {
  const ch = mix.channels;
  const frames = mix.samples.length / ch;
  // The look-ahead is about the attack (ffmpeg's alimiter delays 1 ms by 47 samples at 48 kHz, not
  // 48): found as the delay under which the buses best match the mix, near the attack.
  const attack = Math.round((LIMITER_ATTACK_MS / 1000) * mix.sampleRate);
  let delay = attack;
  let least = Infinity;
  for (let d = 0; d <= 2 * attack; d++) {
    let e = 0;
    for (let i = d * ch; i < mix.samples.length; i++) e += (mix.samples[i]! - (dialogue.samples[i - d * ch] ?? 0) - (music.samples[i - d * ch] ?? 0)) ** 2;
    if (e < least) [least, delay] = [e, d];
  }
  const gain = new Float32Array(frames).fill(1);
  let reduced = 0;
  let deepest = 1;
  for (let n = delay; n < frames; n++) {
    let best = 0;
    let ratio = 1;
    for (let c = 0; c < ch; c++) {
      const k = (n - delay) * ch + c;
      const sum = (dialogue.samples[k] ?? 0) + (music.samples[k] ?? 0);
      if (Math.abs(sum) > best) {
        best = Math.abs(sum);
        ratio = mix.samples[n * ch + c]! / sum;
      }
    }
    // Below -60 dBFS the ratio is mostly rounding; a limiter at -1.5 dBFS is at rest there.
    const g = best > 1e-3 ? Math.min(1, Math.max(0, ratio)) : 1;
    gain[n] = g;
    if (g < 0.9999) reduced++;
    deepest = Math.min(deepest, g);
  }
  return { delay, gain, reduced, deepestDb: 20 * Math.log10(Math.max(deepest, 1e-9)) };
}

/** A bus as the mix heard it: delayed by the limiter's look-ahead, scaled by its gain. */
function limited(samples: Float32Array, ch: number, l: LimiterGain): Float32Array {
  const out = new Float32Array(samples.length);
  const frames = samples.length / ch;
  for (let n = l.delay; n < frames; n++) for (let c = 0; c < ch; c++) out[n * ch + c] = samples[(n - l.delay) * ch + c]! * l.gain[n]!;
  return out;
}

/** Writes `<stem>-stems/` in `dir`; returns its export-relative name. */
export async function writeStems(built: BuiltEpisode, t: Timeline, dir: string, signal: AbortSignal, into: Written): Promise<Result<string, MediaFailure>> {
  const run = { signal };
  const work = await workDir(run, "stems");
  try {
    // The soundtrack step's input, from the same objects (graph/steps/soundtrack.ts).
    // Cards (issue 32) are silent cuts of their own around the scenes; each cut is heard from its start
    // until the next one's (a transition's overlap covers only a cut's quiet tail), as the soundtrack mixed them.
    const card = (c: { start: number; seconds: number }) => ({ start: c.start, seconds: c.seconds, profile: { blocks: [] as number[] } });
    const cuts: { start: number; seconds: number; dialogue?: string; profile: BuiltEpisode["scenes"][number]["dialogue"]["loudness"] }[] = [
      ...(built.cards?.before ?? []).map(card),
      ...built.scenes.map((s) => ({ start: s.start, dialogue: s.dialogue.file, seconds: s.seconds, profile: s.dialogue.loudness })),
      ...(built.cards?.after ?? []).map(card),
    ];
    const scenes = cuts.map(({ start, ...c }, i) => ({ ...c, seconds: (cuts[i + 1]?.start ?? built.seconds) - start }));
    const fitted = join(work, "music.wav");
    const musicLoudness = await fitMusic(built.music, built.seconds, fitted, run);
    if (!musicLoudness.ok) return musicLoudness;
    const measured = { dialogue: joinProfiles(scenes), music: joinProfiles([{ profile: musicLoudness.value, seconds: built.seconds }]) };
    const graph = soundtrackGraph({ scenes, music: fitted, loudness: -16, measured }, true);
    if (!graph.ok) return graph;
    const { inputs, filter, seconds } = graph.value;
    const out = (label: string, file: string) => ["-map", `[${label}]`, "-c:a", "pcm_f32le", "-t", seconds.toFixed(6), ...BITEXACT, join(work, file)];
    const r = await runFfmpeg([...inputs, "-filter_complex", filter, ...out("a", "mix.wav"), ...out("tapdlg", "dialogue.wav"), ...out("tapmus", "ducked.wav")], { ...run, expectedSeconds: seconds });
    if (!r.ok) return r;

    const read = async (file: string) => decodeFloatWav(new Uint8Array(await readFile(join(work, file))));
    const [bus, ducked, mix] = [await read("dialogue.wav"), await read("ducked.wav"), await read("mix.wav")];
    if (!bus || !ducked || !mix) return err({ kind: "invalid-input", message: "the soundtrack's buses are not float WAVs" });
    const limiter = limiterGain(bus, ducked, mix);
    const spans = speakerSpans(t, AUDIO_RATE);
    const stems = new Map<string, Uint8Array>();
    const manifest: { file: string; track: string; speaker?: string }[] = [];
    t.audio.forEach((track, i) => {
      if (track.kind !== "dialogue") return;
      const own = new Float32Array(bus.samples.length);
      for (const s of spans) {
        if (s.track !== i) continue;
        const to = Math.min(s.to, bus.samples.length / bus.channels);
        own.set(bus.samples.subarray(s.from * bus.channels, to * bus.channels), s.from * bus.channels);
      }
      const file = `dialogue-${slug(track.speaker ?? track.name)}.wav`;
      stems.set(file, encodeFloatWav({ ...bus, samples: limited(own, bus.channels, limiter) }));
      manifest.push({ file, track: track.name, ...(track.speaker ? { speaker: track.speaker } : {}) });
    });
    // No line at all (a silent episode): the bus is all the dialogue there is.
    if (spans.length === 0) {
      stems.set("dialogue.wav", encodeFloatWav({ ...bus, samples: limited(bus.samples, bus.channels, limiter) }));
      manifest.push({ file: "dialogue.wav", track: "Dialogue" });
    }
    stems.set("music.wav", encodeFloatWav({ ...ducked, samples: limited(ducked.samples, ducked.channels, limiter) }));
    manifest.push({ file: "music.wav", track: "Music" });
    stems.set("mix.wav", encodeFloatWav(mix));
    manifest.push({ file: "mix.wav", track: "Mix" });
    const summary = { sampleRate: AUDIO_RATE, stems: manifest, limiter: { delaySamples: limiter.delay, samplesReduced: limiter.reduced, deepestDb: Math.round(limiter.deepestDb * 100) / 100 } };
    stems.set("stems.json", new TextEncoder().encode(`${JSON.stringify(summary, null, 2)}\n`));

    const name = `${t.stem}-stems`;
    await mkdir(join(dir, name), { recursive: true });
    for (const [file, bytes] of stems) {
      const to = join(dir, name, file);
      const old = await readFile(to).catch(() => undefined);
      if (old && Buffer.from(bytes).equals(old)) {
        into.unchanged.push(`${name}/${file}`);
        continue;
      }
      await writeFile(`${to}.tmp`, bytes);
      await rename(`${to}.tmp`, to);
      into.written.push(`${name}/${file}`);
    }
    return ok(name);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
