/**
 * Measuring audio with ffmpeg's analysers: integrated loudness (EBU R128) and
 * mean volume over a window, optionally in one frequency band (to follow the
 * music under the dialogue). Used by tests and available for reports.
 */
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { runFfmpeg } from "./run.js";

/** Integrated loudness in LUFS. */
export async function integratedLoudness(file: string, signal: AbortSignal): Promise<Result<number, MediaFailure>> {
  const r = await runFfmpeg(["-i", file, "-vn", "-af", "ebur128", "-f", "null", "-"], { signal });
  if (!r.ok) return r;
  // The summary comes last: "Integrated loudness:\n    I:         -16.1 LUFS".
  const m = /Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS/.exec(r.value.stderr.slice(r.value.stderr.lastIndexOf("Summary:")));
  if (!m) return err({ kind: "bad-media", file, message: "ebur128 printed no integrated loudness" });
  return ok(m[1] === "-inf" ? -Infinity : Number(m[1]));
}

export interface Window {
  readonly start: number;
  readonly end: number;
  /** Centre frequency of a narrow band-pass, Hz. */
  readonly band?: number;
}

/** Mean volume in dBFS over [start, end). */
export async function meanVolume(file: string, w: Window, signal: AbortSignal): Promise<Result<number, MediaFailure>> {
  const filters = [`atrim=start=${w.start}:end=${w.end}`];
  if (w.band) filters.push(`bandpass=f=${w.band}:width_type=q:w=8`, `bandpass=f=${w.band}:width_type=q:w=8`);
  filters.push("volumedetect");
  const r = await runFfmpeg(["-i", file, "-vn", "-af", filters.join(","), "-f", "null", "-"], { signal });
  if (!r.ok) return r;
  const m = /mean_volume:\s*(-?[\d.]+|-inf) dB/.exec(r.value.stderr);
  if (!m) return err({ kind: "bad-media", file, message: "volumedetect printed no mean volume" });
  return ok(m[1] === "-inf" ? -Infinity : Number(m[1]));
}
