/**
 * The episode's sound: music ducked under the dialogue (a sidechain
 * compressor keyed by the dialogue), brought to about −16 LUFS by one linear
 * gain computed from loudness measured where the audio was made (each cut's,
 * the fitted music's: see loudness.ts), with a peak limiter behind it;
 * AAC 48 kHz, muxed with the joined cuts' video copied as is, +faststart.
 * One pass over the audio: no whole-episode measuring run.
 */
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { AUDIO_RATE, audioEncodeArgs, BITEXACT } from "./encoding.js";
import { mixLoudness } from "./loudness.js";
import { probe } from "./probe.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

export interface FinalMixInput {
  /** The joined cuts: video plus the dialogue track. */
  readonly video: string;
  /** Music already fitted to the video's length (fitMusic); none for dialogue only. */
  readonly music?: string;
  /**
   * Momentary loudness blocks (loudness.ts) of the joined dialogue and of the
   * fitted music, on the episode's clock (`joinProfiles`).
   */
  readonly measured: { readonly dialogue: readonly number[]; readonly music?: readonly number[] };
  /** Integrated loudness target, LUFS (default −16). */
  readonly loudness?: number;
  /** Music level under no dialogue, relative (default 0.35 ≈ −9 dB). */
  readonly musicGain?: number;
}

/** The ducking compressor's threshold (linear) and ratio: the mix's filter and its loudness estimate share them. */
const DUCK = { threshold: 0.05, ratio: 4 } as const;
/** Peak ceiling, dBFS (loudnorm had TP=-1.5 dBTP). */
const PEAK_DB = -1.5;
/** No gain beyond this: a near-silent episode is not blown up into noise. */
const MAX_GAIN_DB = 30;

/** The gain in dB that brings the mix to `target`; 0 for silence. Rounded so float noise never changes the bytes. */
export function mixGainDb(input: FinalMixInput): number {
  const musicGain = input.musicGain ?? 0.35;
  const measured = mixLoudness({ dialogue: input.measured.dialogue, ...(input.music && input.measured.music ? { music: input.measured.music } : {}), musicGain, duck: DUCK });
  if (!Number.isFinite(measured)) return 0;
  return Math.round(Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, (input.loudness ?? -16) - measured)) * 100) / 100;
}

export async function finalMix(input: FinalMixInput, out: string, run: MediaRun): Promise<Result<{ seconds: number }, MediaFailure>> {
  const info = await probe(input.video, run.signal);
  if (!info.ok) return info;
  if (!info.value.video) return err({ kind: "bad-media", file: input.video, message: "no video stream" });
  const seconds = info.value.video.duration ?? info.value.duration;
  // Two AAC frames past the end: ffmpeg's AAC encoder never emits the last partial frame and the
  // one before it, so audio made exactly as long as the video ends ~40 ms early; -t trims the rest.
  const samples = Math.round(seconds * AUDIO_RATE) + 2048;
  const fmt = `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  // Joined AAC cuts overlap by their encoder priming at each seam; placing samples by their
  // timestamps (hard compensation: drop or pad) keeps the dialogue in sync across many cuts.
  const dialogue = info.value.audio
    ? `[0:a]aresample=${AUDIO_RATE}:async=1:min_hard_comp=0.005:first_pts=0,aformat=sample_fmts=fltp:channel_layouts=stereo,apad=whole_len=${samples}`
    : `anullsrc=r=${AUDIO_RATE}:cl=stereo`;
  const mix = input.music
    ? `${dialogue},asplit=2[dlg][key];` +
      `[1:a]${fmt},volume=${input.musicGain ?? 0.35},apad=whole_len=${samples}[mus];` +
      // The dialogue keys the compressor on the music: it dips about 12 dB while anyone speaks
      // (speech ~16 dB over the threshold, ratio 4), enough to clear the words without vanishing.
      `[mus][key]sidechaincompress=threshold=${DUCK.threshold}:ratio=${DUCK.ratio}:attack=20:release=450:knee=4[ducked];` +
      // amix (2018) scales each input by 1/n; double it back.
      `[dlg][ducked]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=end_sample=${samples}`
    : `${dialogue},atrim=end_sample=${samples}`;
  // Joined cuts start their video one AAC priming frame late; shifting the input back puts
  // the first frame at 0 (and drops the priming samples before it), so the file is exactly as long as the video.
  const shift = info.value.video.startTime > 0 ? ["-itsoffset", (-info.value.video.startTime).toFixed(6)] : [];
  const inputs = [...shift, "-i", input.video, ...(input.music ? ["-i", input.music] : [])];
  const gain = mixGainDb(input);
  // alimiter leaves everything under its limit untouched: a plain gain unless a peak would pass the
  // ceiling. Its look-ahead (attack) delays the sound by 1 ms, far under what an ear could place.
  const level = `,volume=${gain}dB,alimiter=limit=${Math.pow(10, PEAK_DB / 20).toFixed(4)}:attack=1:release=50:level=false`;
  const r = await writeAtomically(out, (tmp) =>
    runFfmpeg(
      [
        ...inputs,
        "-filter_complex", `${mix}${level},${fmt}[a]`,
        "-map", "0:v:0", "-map", "[a]",
        "-c:v", "copy",
        ...audioEncodeArgs(),
        "-t", seconds.toFixed(6),
        ...BITEXACT,
        "-movflags", "+faststart",
        tmp,
      ],
      { ...run, expectedSeconds: seconds },
    ),
  );
  return r.ok ? ok({ seconds }) : r;
}
