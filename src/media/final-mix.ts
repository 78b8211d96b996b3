/**
 * The episode's sound, mixed from the dialogue tracks while the cuts are
 * still encoding (a cut's length follows from its inputs, `cutLength`):
 * each scene's dialogue padded to its cut's length, music ducked under it (a
 * sidechain compressor keyed by the dialogue), brought to about −16 LUFS by
 * one linear gain computed from loudness measured where the audio was made
 * (the dialogue's, the fitted music's: see loudness.ts), with a peak limiter
 * behind it; AAC 48 kHz. One pass over the audio, no measuring run. The
 * final then only joins the cuts' video and this track by stream copy
 * (`concatCuts` with a soundtrack).
 */
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { AUDIO_RATE, audioEncodeArgs, BITEXACT } from "./encoding.js";
import { mixLoudness } from "./loudness.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

export interface SoundtrackInput {
  /** Each cut in order: its dialogue WAV (none: silence) and its length (`cutLength`). */
  readonly scenes: readonly { readonly dialogue?: string; readonly seconds: number }[];
  /** Music already fitted to the video's length (fitMusic); none for dialogue only. */
  readonly music?: string;
  /**
   * Momentary loudness blocks (loudness.ts) of the dialogue and of the fitted
   * music, on the episode's clock (`joinProfiles`).
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
/** The limiter's look-ahead, ms: it delays the mix by this much (the stems follow it). */
export const LIMITER_ATTACK_MS = 1;
/** No gain beyond this: a near-silent episode is not blown up into noise. */
const MAX_GAIN_DB = 30;

/** The gain in dB that brings the mix to `target`; 0 for silence. Rounded so float noise never changes the bytes. */
export function mixGainDb(input: SoundtrackInput): number {
  const musicGain = input.musicGain ?? 0.35;
  const measured = mixLoudness({ dialogue: input.measured.dialogue, ...(input.music && input.measured.music ? { music: input.measured.music } : {}), musicGain, duck: DUCK });
  if (!Number.isFinite(measured)) return 0;
  return Math.round(Math.max(-MAX_GAIN_DB, Math.min(MAX_GAIN_DB, (input.loudness ?? -16) - measured)) * 100) / 100;
}

/** The scenes' sample counts on the episode's clock: rounded at each boundary, so many scenes never drift. */
function sceneSamples(scenes: SoundtrackInput["scenes"]): number[] {
  let at = 0;
  return scenes.map((s) => {
    const start = Math.round(at * AUDIO_RATE);
    at += s.seconds;
    return Math.round(at * AUDIO_RATE) - start;
  });
}

/** The soundtrack's filter graph, and what it taps besides the mix: the dialogue and the ducked music at the mix's gain (the stems). */
export interface SoundtrackGraph {
  readonly inputs: string[];
  /** The filter graph: its mix labelled [a], its taps [tapdlg] and [tapmus] when asked for. */
  readonly filter: string;
  readonly seconds: number;
}

/** The soundtrack's filter graph (mixSoundtrack's), optionally tapping its buses for stems. */
export function soundtrackGraph(input: SoundtrackInput, taps = false): Result<SoundtrackGraph, MediaFailure> {
  if (input.scenes.length === 0) return err({ kind: "invalid-input", message: "a soundtrack needs at least one scene" });
  const seconds = input.scenes.reduce((n, s) => n + s.seconds, 0);
  const counts = sceneSamples(input.scenes);
  const total = counts.reduce((a, b) => a + b, 0);
  // Two AAC frames past the end: ffmpeg's AAC encoder never emits the last partial frame and the
  // one before it, so audio made exactly as long as the video ends ~40 ms early; -t trims the rest.
  const padded = total + 2048;
  const fmt = `aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo`;
  const inputs: string[] = [];
  const parts = input.scenes.map((s, i) => {
    if (!s.dialogue) return `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=end_sample=${counts[i]}[d${i}]`;
    inputs.push("-i", s.dialogue);
    return `[${inputs.length / 2 - 1}:a]${fmt},apad=whole_len=${counts[i]},atrim=end_sample=${counts[i]}[d${i}]`;
  });
  const joined = `${input.scenes.map((_, i) => `[d${i}]`).join("")}concat=n=${input.scenes.length}:v=0:a=1,apad=whole_len=${padded}`;
  const musicIn = inputs.length / 2;
  if (input.music) inputs.push("-i", input.music);
  const gain = mixGainDb(input);
  // alimiter leaves everything under its limit untouched: a plain gain unless a peak would pass the
  // ceiling. Its look-ahead (attack) delays the sound by 1 ms, far under what an ear could place.
  const level = `,volume=${gain}dB,alimiter=limit=${Math.pow(10, PEAK_DB / 20).toFixed(4)}:attack=${LIMITER_ATTACK_MS}:release=50:level=false`;
  // A tap: the bus split off before the mix, through the same gain but not the limiter (its gain
  // acts on the sum: the stems apply it, see report/export/stems.ts).
  const tap = (bus: string) => `[${bus}in]atrim=end_sample=${padded},volume=${gain}dB,${fmt}[${bus}]`;
  const mix = input.music
    ? `${joined},asplit=${taps ? "3[dlg][key][tapdlgin]" : "2[dlg][key]"};` +
      `[${musicIn}:a]${fmt},volume=${input.musicGain ?? 0.35},apad=whole_len=${padded}[mus];` +
      // The dialogue keys the compressor on the music: it dips about 12 dB while anyone speaks
      // (speech ~16 dB over the threshold, ratio 4), enough to clear the words without vanishing.
      `[mus][key]sidechaincompress=threshold=${DUCK.threshold}:ratio=${DUCK.ratio}:attack=20:release=450:knee=4${taps ? ",asplit=2[ducked][tapmusin]" : "[ducked]"};` +
      // amix (2018) scales each input by 1/n; double it back.
      `[dlg][ducked]amix=inputs=2:duration=first:dropout_transition=0,volume=2,atrim=end_sample=${padded}`
    : taps
      ? `${joined},asplit=2[dlg][tapdlgin];[dlg]atrim=end_sample=${padded}`
      : `${joined},atrim=end_sample=${padded}`;
  let filter = `${parts.join(";")};${mix}${level},${fmt}[a]`;
  if (taps) filter += `;${tap("tapdlg")}${input.music ? `;${tap("tapmus")}` : ""}`;
  return ok({ inputs, filter, seconds });
}

/** The episode's soundtrack (`out`, an .m4a) as long as its cuts together. */
export async function mixSoundtrack(input: SoundtrackInput, out: string, run: MediaRun): Promise<Result<{ seconds: number }, MediaFailure>> {
  const graph = soundtrackGraph(input);
  if (!graph.ok) return graph;
  const { inputs, filter, seconds } = graph.value;
  const r = await writeAtomically(out, (tmp) =>
    runFfmpeg(
      [...inputs, "-filter_complex", filter, "-map", "[a]", ...audioEncodeArgs(), "-t", seconds.toFixed(6), ...BITEXACT, "-f", "mp4", tmp],
      { ...run, expectedSeconds: seconds },
    ),
  );
  return r.ok ? ok({ seconds }) : r;
}
