/**
 * Delivering an episode to a platform: the final re-encoded once at the
 * preset's size and frame rate (Lanczos scaling, letterboxed if the aspect
 * differs, never cropped: burned subtitles and cards stay whole), its sound
 * brought to the preset's loudness under its true-peak ceiling (two-pass
 * loudnorm, then measured with ebur128 on the encoded AAC and corrected by
 * gain until it is within LOUDNESS_TOLERANCE), the length checked before any
 * encoding, soft subtitles as a mov_text track, the cover as an attached
 * picture where this ffmpeg's MP4 muxer can write one.
 */
import { copyFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../result.js";
import { AUDIO_RATE, BITEXACT } from "./encoding.js";
import type { MediaFailure } from "./failure.js";
import type { DeliveryPreset } from "./presets.js";
import { probe } from "./probe.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";

/** How close to the target the delivered sound must measure, LU (the issue asks for 0.5; we aim tighter). */
export const LOUDNESS_TOLERANCE = 0.3;
/** Room left under the true-peak ceiling for what the AAC encoder adds, dB. */
const PEAK_ROOM = 0.3;

export interface DeliverInput {
  /** The episode's final MP4. */
  readonly final: string;
  readonly preset: DeliveryPreset;
  /** A PNG to embed as the cover (where the container allows). */
  readonly cover?: string;
  /** SRT text to carry as a soft subtitle track (`burn: false`). */
  readonly srt?: string;
  /** ISO 639-2 code for the subtitle track (eng, chi, ...). */
  readonly subtitleLanguage?: string;
}

export interface Delivered {
  readonly seconds: number;
  /** Measured on the delivered file's sound, LUFS and dBTP. */
  readonly loudness: number;
  readonly truePeak: number;
  readonly coverEmbedded: boolean;
}

/** Why an episode of `seconds` cannot go to `preset`, or undefined: checked before anything is encoded. */
export function lengthProblem(seconds: number, preset: DeliveryPreset): string | undefined {
  if (preset.maxSeconds === undefined || seconds <= preset.maxSeconds) return undefined;
  return `the episode is ${seconds.toFixed(1)} s long; ${preset.name} takes at most ${preset.maxSeconds} s (shorten the episode, split it, or deliver with a custom preset and a larger max_seconds)`;
}

export interface LoudnessReading {
  readonly integrated: number;
  readonly truePeak: number;
}

/** Integrated loudness and true peak of a file's sound, by ffmpeg's ebur128 (the measurement platforms and the tests use). */
export async function measureLoudness(file: string, signal: AbortSignal): Promise<Result<LoudnessReading, MediaFailure>> {
  const r = await runFfmpeg(["-i", file, "-vn", "-sn", "-af", "ebur128=peak=true", "-f", "null", "-"], { signal });
  if (!r.ok) return r;
  const summary = r.value.stderr.slice(r.value.stderr.lastIndexOf("Summary:"));
  const i = /Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS/.exec(summary);
  const tp = /True peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS/.exec(summary);
  if (!i || !tp) return err({ kind: "bad-media", file, message: "ebur128 printed no integrated loudness or true peak" });
  const num = (s: string) => (s === "-inf" ? -Infinity : Number(s));
  return ok({ integrated: num(i[1]!), truePeak: num(tp[1]!) });
}

interface LoudnormStats {
  readonly input_i: string;
  readonly input_tp: string;
  readonly input_lra: string;
  readonly input_thresh: string;
  readonly target_offset: string;
}

function loudnormStats(stderr: string): LoudnormStats | undefined {
  const at = stderr.lastIndexOf("{");
  if (at < 0) return undefined;
  try {
    const v = JSON.parse(stderr.slice(at, stderr.indexOf("}", at) + 1)) as Partial<LoudnormStats>;
    return v.input_i && v.input_tp && v.input_lra && v.input_thresh && v.target_offset ? (v as LoudnormStats) : undefined;
  } catch {
    return undefined;
  }
}

/** The video filter: Lanczos to fit inside the preset's frame, centred on black, at its frame rate. */
export function deliveryPicture(preset: DeliveryPreset): string {
  const { width: W, height: H } = preset.size;
  return (
    `scale=${W}:${H}:force_original_aspect_ratio=decrease:flags=lanczos+accurate_rnd+full_chroma_int,` +
    `pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,fps=${preset.fps},format=yuv420p`
  );
}

function videoArgs(preset: DeliveryPreset): string[] {
  const rate = "crf" in preset.video ? ["-crf:v:0", String(preset.video.crf)] : bitrateArgs(preset.video.bitrate);
  const gop = String(Math.max(1, Math.round(preset.fps * 2)));
  // Threads pinned: x264's output depends on its thread count, so deliveries are the same bytes on any machine of a kind.
  // Every option names stream v:0: a cover is a second video stream (a PNG) and must not get them.
  return ["-c:v:0", "libx264", "-preset:v:0", "medium", ...rate, "-profile:v:0", "high", "-pix_fmt:v:0", "yuv420p", "-g:v:0", gop, "-threads", "2", "-r:v:0", String(preset.fps)];
}

function bitrateArgs(bitrate: string): string[] {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(bitrate);
  const bits = m ? Number(m[1]) * (m[2]?.toLowerCase() === "m" ? 1e6 : m[2]?.toLowerCase() === "k" ? 1e3 : 1) : 8e6;
  return ["-b:v:0", String(Math.round(bits)), "-maxrate:v:0", String(Math.round(bits * 1.5)), "-bufsize:v:0", String(Math.round(bits * 2))];
}

let coverSupport: Promise<boolean> | undefined;

/**
 * Whether this ffmpeg's MP4 muxer writes an attached picture (a `covr`
 * cover): newer builds do, the bundled 4.1 refuses the stream. Asked once per
 * process with a one-frame file, so a delivery never fails for its cover.
 */
export function mp4TakesCover(run: MediaRun): Promise<boolean> {
  coverSupport ??= (async () => {
    const dir = await workDir(run, "cover-probe");
    try {
      const png = join(dir, "c.png");
      const made = await runFfmpeg(["-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", png], { signal: run.signal });
      if (!made.ok) return false;
      const r = await runFfmpeg(
        ["-f", "lavfi", "-i", "color=c=blue:s=16x16:d=0.2", "-i", png, "-map", "0:v", "-map", "1:v", "-c:v:0", "libx264", "-c:v:1", "png", "-disposition:v:1", "attached_pic", join(dir, "o.mp4")],
        { signal: run.signal },
      );
      return r.ok;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return coverSupport;
}

/**
 * The sound at the target: loudnorm measures, then normalises linearly (or,
 * when that would break the ceiling, with its true-peak limiter) to a WAV;
 * the AAC made from it is measured and its gain corrected, at most three
 * times, so what is delivered is what was measured.
 */
async function normalizedAudio(final: string, preset: DeliveryPreset, work: string, run: MediaRun): Promise<Result<LoudnessReading & { file: string }, MediaFailure>> {
  const ceiling = preset.truePeak - PEAK_ROOM;
  const target = `I=${preset.loudness}:TP=${ceiling}:LRA=11`;
  const first = await runFfmpeg(["-i", final, "-vn", "-sn", "-af", `loudnorm=${target}:print_format=json`, "-f", "null", "-"], run);
  if (!first.ok) return first;
  const s = loudnormStats(first.value.stderr);
  if (!s) return err({ kind: "bad-media", file: final, message: "loudnorm printed no measurement (is there a sound track?)" });
  if (!Number.isFinite(Number(s.input_i)) || Number(s.input_i) < -69) return err({ kind: "bad-media", file: final, message: "the sound is silent: there is no loudness to bring to the target" });
  const wav = join(work, "sound.wav");
  const second = await runFfmpeg(
    [
      "-i", final, "-vn", "-sn",
      "-af",
      `loudnorm=${target}:measured_I=${s.input_i}:measured_TP=${s.input_tp}:measured_LRA=${s.input_lra}:measured_thresh=${s.input_thresh}:offset=${s.target_offset}:linear=true,` +
        `aresample=${AUDIO_RATE}`,
      "-c:a", "pcm_f32le", "-ac", "2", wav,
    ],
    run,
  );
  if (!second.ok) return second;
  let gain = 0;
  // A sample-peak limiter under the ceiling: speech is peaky, and a short episode may only reach the
  // target with its peaks held down (linear gain alone stopped 2.5 LU short on a 2 s line). It is
  // lowered when the encoded AAC's true peak still passes the ceiling (inter-sample overs).
  let limit = preset.truePeak - PEAK_ROOM;
  let reading: LoudnessReading | undefined;
  const aac = join(work, "sound.m4a");
  for (let attempt = 0; attempt < 6; attempt++) {
    const enc = await runFfmpeg(
      [
        "-i", wav,
        "-af", `volume=${gain.toFixed(3)}dB,alimiter=limit=${Math.pow(10, limit / 20).toFixed(5)}:attack=1:release=50:level=false`,
        "-c:a", "aac", "-b:a", "192k", "-ar", String(AUDIO_RATE), "-ac", "2", ...BITEXACT, aac,
      ],
      run,
    );
    if (!enc.ok) return enc;
    const m = await measureLoudness(aac, run.signal);
    if (!m.ok) return m;
    reading = m.value;
    const off = preset.loudness - reading.integrated;
    if (Math.abs(off) <= LOUDNESS_TOLERANCE && reading.truePeak <= preset.truePeak) break;
    if (reading.truePeak > preset.truePeak - 0.05) limit -= reading.truePeak - (preset.truePeak - 0.1) + 0.1;
    if (Math.abs(off) >= 0.05) gain += off;
  }
  return ok({ ...reading!, file: aac });
}

/** Deliver `input.final` to `out` by `input.preset`. */
export async function deliver(input: DeliverInput, out: string, run: MediaRun): Promise<Result<Delivered, MediaFailure>> {
  const { preset } = input;
  const info = await probe(input.final, run.signal);
  if (!info.ok) return info;
  const tooLong = lengthProblem(info.value.duration, preset);
  if (tooLong) return err({ kind: "invalid-input", message: `deliver ${preset.name}: ${tooLong}` });
  if (!info.value.video) return err({ kind: "bad-media", file: input.final, message: "no video stream to deliver" });
  const work = await workDir(run, "deliver");
  try {
    const sound = await normalizedAudio(input.final, preset, work, run);
    if (!sound.ok) return sound;
    const cover = input.cover !== undefined && (await mp4TakesCover(run));
    const args = ["-i", input.final, "-i", sound.value.file];
    const maps = ["-map", "0:v:0", "-map", "1:a:0"];
    let next = 2;
    if (input.srt !== undefined) {
      const srt = join(work, "subtitles.srt");
      await writeFile(srt, input.srt);
      args.push("-i", srt);
      maps.push("-map", `${next++}:s:0`);
    }
    if (cover) {
      // The cover goes through its own work copy: a .png name the muxer's probe recognises.
      const png = join(work, "cover.png");
      await copyFile(input.cover!, png);
      args.push("-i", png);
      maps.push("-map", `${next++}:v:0`);
    }
    const seconds = info.value.duration;
    const r = await writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          ...args,
          ...maps,
          "-filter:v:0", deliveryPicture(preset),
          ...videoArgs(preset),
          ...(cover ? ["-c:v:1", "png", "-disposition:v:1", "attached_pic"] : []),
          "-c:a", "copy",
          ...(input.srt !== undefined ? ["-c:s", "mov_text", "-metadata:s:s:0", `language=${input.subtitleLanguage ?? "und"}`] : []),
          "-t", seconds.toFixed(3),
          "-movflags", "+faststart",
          ...BITEXACT,
          tmp,
        ],
        { ...run, expectedSeconds: seconds },
      ),
    );
    if (!r.ok) return r;
    return ok({ seconds, loudness: sound.value.integrated, truePeak: sound.value.truePeak, coverEmbedded: cover });
  } catch (e) {
    return err({ kind: "io", path: work, message: (e as Error).message });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const ISO_639_2: Record<string, string> = { en: "eng", zh: "chi", cmn: "chi", yue: "chi", ja: "jpn", ko: "kor", es: "spa", fr: "fre", de: "ger", pt: "por", ru: "rus", it: "ita", ar: "ara", hi: "hin", th: "tha", vi: "vie", id: "ind" };

/** The three-letter code an MP4 subtitle track is labelled with, from a BCP-47 tag ("und" when unknown). */
export function trackLanguage(bcp47: string): string {
  return ISO_639_2[bcp47.split("-")[0]!.toLowerCase()] ?? "und";
}
