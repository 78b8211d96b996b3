/** Audio work over files: format conversion, the dialogue track, fitting music. */
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { AUDIO_RATE, BITEXACT } from "./encoding.js";
import { EBUR128, momentaryLoudness, parseLoudness, type LoudnessProfile } from "./loudness.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";
import { decodeWav, encodeWav, type Pcm } from "./wav.js";

/** Write PCM as a WAV file, atomically. */
export function writeWav(pcm: Pcm, out: string): Promise<Result<void, MediaFailure>> {
  return writeAtomically(out, async (tmp) => {
    try {
      await writeFile(tmp, encodeWav(pcm));
      return ok(undefined);
    } catch (e) {
      return err({ kind: "io", path: out, message: (e as Error).message });
    }
  });
}

async function readPcm(file: string): Promise<Result<Pcm, MediaFailure>> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    return err({ kind: "io", path: file, message: (e as Error).message });
  }
  const pcm = decodeWav(bytes);
  return pcm ? ok(pcm) : err({ kind: "bad-media", file, message: "not a 16-bit PCM WAV" });
}

const pcmArgs = (channels: number) => ["-c:a", "pcm_s16le", "-ar", String(AUDIO_RATE), "-ac", String(channels), ...BITEXACT, "-f", "wav"];

/** Any audio file to a 48 kHz 16-bit WAV with `channels` channels. */
export function toWav(input: string, out: string, channels: 1 | 2, run: MediaRun): Promise<Result<void, MediaFailure>> {
  return writeAtomically(out, async (tmp) => {
    const r = await runFfmpeg(["-i", input, "-map", "0:a:0", "-vn", ...pcmArgs(channels), tmp], run);
    return r.ok ? ok(undefined) : r;
  });
}

export interface LineTiming {
  readonly index: number;
  /** Seconds from the start of the dialogue track. */
  readonly start: number;
  readonly end: number;
}

export interface DialogueOptions {
  /** Silence between lines, seconds. */
  readonly gap: number;
  /** Silence before the first line, seconds (default: the gap). */
  readonly lead?: number;
}

/**
 * The scene's dialogue track: the voices in order, 48 kHz mono, separated by
 * `gap` seconds, and when each line starts and ends (for subtitles). Each
 * voice is converted by ffmpeg (one process for all), then joined sample-exact
 * here so the timings are exact. Its loudness is computed from the samples
 * on the way (the blocks ebur128 would log), for the episode's mix.
 */
export async function mixDialogue(
  voices: readonly string[],
  out: string,
  opts: DialogueOptions,
  run: MediaRun,
): Promise<Result<{ timings: LineTiming[]; seconds: number; loudness: LoudnessProfile }, MediaFailure>> {
  if (voices.length === 0) return err({ kind: "invalid-input", message: "mixDialogue needs at least one voice" });
  if (!(opts.gap >= 0)) return err({ kind: "invalid-input", message: `gap must be >= 0 seconds, got ${opts.gap}` });
  const work = await workDir(run, "dialogue");
  try {
    const args: string[] = voices.flatMap((v) => ["-i", v]);
    voices.forEach((_, i) => args.push("-map", `${i}:a:0`, ...pcmArgs(1), join(work, `${i}.wav`)));
    const conv = await runFfmpeg(args, run);
    if (!conv.ok) return conv;
    const gap = Math.round(opts.gap * AUDIO_RATE);
    const lead = Math.round((opts.lead ?? opts.gap) * AUDIO_RATE);
    const parts: Int16Array[] = [];
    for (let i = 0; i < voices.length; i++) {
      const pcm = await readPcm(join(work, `${i}.wav`));
      if (!pcm.ok) return pcm;
      parts.push(pcm.value.samples);
    }
    const total = lead + parts.reduce((n, p) => n + p.length, 0) + gap * (parts.length - 1);
    const samples = new Int16Array(total);
    const timings: LineTiming[] = [];
    let at = lead;
    parts.forEach((p, index) => {
      samples.set(p, at);
      timings.push({ index, start: at / AUDIO_RATE, end: (at + p.length) / AUDIO_RATE });
      at += p.length + gap;
    });
    const pcm = { sampleRate: AUDIO_RATE, channels: 1, samples };
    const w = await writeWav(pcm, out);
    return w.ok ? ok({ timings, seconds: total / AUDIO_RATE, loudness: momentaryLoudness(pcm) }) : w;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface FitOptions {
  readonly fadeIn?: number;
  readonly fadeOut?: number;
}

/**
 * Music fitted to the episode: looped (or trimmed) to exactly `seconds`,
 * faded in and out, 48 kHz stereo WAV. Works on any input format (a user's mp3).
 * Returns the fitted music's loudness, measured on the way, for the final mix.
 */
export function fitMusic(
  music: string,
  seconds: number,
  out: string,
  run: MediaRun,
  opts: FitOptions = {},
): Promise<Result<LoudnessProfile, MediaFailure>> {
  if (!(seconds > 0)) return Promise.resolve(err({ kind: "invalid-input", message: `music length must be > 0, got ${seconds}` }));
  const fadeIn = Math.min(opts.fadeIn ?? 1.5, seconds / 4);
  const fadeOut = Math.min(opts.fadeOut ?? 2.5, seconds / 3);
  const samples = Math.round(seconds * AUDIO_RATE);
  const af = [
    `aresample=${AUDIO_RATE}`,
    "aformat=sample_fmts=s16:channel_layouts=stereo",
    // Pad first: a music file shorter than one loop pass must still reach the length.
    `apad=whole_len=${samples}`,
    `atrim=end_sample=${samples}`,
    `afade=t=in:d=${fadeIn.toFixed(3)}`,
    `afade=t=out:st=${(seconds - fadeOut).toFixed(3)}:d=${fadeOut.toFixed(3)}`,
    EBUR128,
  ].join(",");
  return writeAtomically(out, async (tmp) => {
    const r = await runFfmpeg(["-stream_loop", "-1", "-i", music, "-vn", "-af", af, ...pcmArgs(2), tmp], {
      ...run,
      expectedSeconds: seconds,
    });
    if (!r.ok) return r;
    const loudness = parseLoudness(r.value.stderr);
    return loudness ? ok(loudness) : err({ kind: "bad-media", file: music, message: "ebur128 logged no loudness for the music" });
  });
}
