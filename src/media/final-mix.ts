/**
 * The episode's sound: music ducked under the dialogue (a sidechain
 * compressor keyed by the dialogue), normalised to about −16 LUFS in two
 * passes (measure, then a linear gain, so short episodes hit the target too),
 * AAC 48 kHz, muxed with the joined cuts' video copied as is, +faststart.
 */
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { AUDIO_RATE, audioEncodeArgs, BITEXACT } from "./encoding.js";
import { probe } from "./probe.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

export interface FinalMixInput {
  /** The joined cuts: video plus the dialogue track. */
  readonly video: string;
  /** Music already fitted to the video's length (fitMusic); none for dialogue only. */
  readonly music?: string;
  /** Integrated loudness target, LUFS (default −16). */
  readonly loudness?: number;
  /** Music level under no dialogue, relative (default 0.35 ≈ −9 dB). */
  readonly musicGain?: number;
}

interface LoudnormStats {
  readonly input_i: string;
  readonly input_tp: string;
  readonly input_lra: string;
  readonly input_thresh: string;
  readonly target_offset: string;
}

/** Parse the JSON block loudnorm prints at the end of its first pass. */
function loudnormStats(stderr: string): LoudnormStats | undefined {
  const at = stderr.lastIndexOf("[Parsed_loudnorm");
  const json = at >= 0 ? /\{[\s\S]*?\}/.exec(stderr.slice(at)) : null;
  if (!json) return undefined;
  try {
    const s = JSON.parse(json[0]) as LoudnormStats;
    return [s.input_i, s.input_tp, s.input_lra, s.input_thresh, s.target_offset].every((v) => Number.isFinite(Number(v)))
      ? s
      : undefined; // silence measures -inf: nothing to normalise
  } catch {
    return undefined;
  }
}

export async function finalMix(input: FinalMixInput, out: string, run: MediaRun): Promise<Result<{ seconds: number }, MediaFailure>> {
  const info = await probe(input.video, run.signal);
  if (!info.ok) return info;
  if (!info.value.video) return err({ kind: "bad-media", file: input.video, message: "no video stream" });
  const seconds = info.value.video.duration ?? info.value.duration;
  const samples = Math.round(seconds * AUDIO_RATE);
  const target = input.loudness ?? -16;
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
      `[mus][key]sidechaincompress=threshold=0.05:ratio=4:attack=20:release=450:knee=4[ducked];` +
      // amix (2018) scales each input by 1/n; double it back.
      `[dlg][ducked]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=end_sample=${samples}`
    : `${dialogue},atrim=end_sample=${samples}`;
  // Joined cuts start their video one AAC priming frame late; shifting the input back puts
  // the first frame at 0 (and drops the priming samples before it), so the file is exactly as long as the video.
  const shift = info.value.video.startTime > 0 ? ["-itsoffset", (-info.value.video.startTime).toFixed(6)] : [];
  const inputs = [...shift, "-i", input.video, ...(input.music ? ["-i", input.music] : [])];
  const measure = await runFfmpeg(
    [...inputs, "-filter_complex", `${mix},loudnorm=I=${target}:TP=-1.5:LRA=20:print_format=json[a]`, "-map", "[a]", "-f", "null", "-"],
    { ...run, progress: run.progress && ((f) => run.progress!(f * 0.4)), expectedSeconds: seconds },
  );
  if (!measure.ok) return measure;
  const s = loudnormStats(measure.value.stderr);
  const norm = s
    ? `,loudnorm=I=${target}:TP=-1.5:LRA=20:measured_I=${s.input_i}:measured_TP=${s.input_tp}:measured_LRA=${s.input_lra}:measured_thresh=${s.input_thresh}:offset=${s.target_offset}:linear=true:print_format=none`
    : "";
  const r = await writeAtomically(out, (tmp) =>
    runFfmpeg(
      [
        ...inputs,
        "-filter_complex", `${mix}${norm},${fmt}[a]`,
        "-map", "0:v:0", "-map", "[a]",
        "-c:v", "copy",
        ...audioEncodeArgs(),
        "-t", seconds.toFixed(6),
        ...BITEXACT,
        "-movflags", "+faststart",
        tmp,
      ],
      { ...run, progress: run.progress && ((f) => run.progress!(0.4 + f * 0.6)), expectedSeconds: seconds },
    ),
  );
  return r.ok ? ok({ seconds }) : r;
}
