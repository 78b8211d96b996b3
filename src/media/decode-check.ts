/**
 * Whether ffmpeg can really decode a user's file. Probing is not enough: a
 * text file named `.png` probes as a PNG stream and only fails when decoded.
 */
import { ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { runFfmpeg, type MediaRun } from "./run.js";

export type DecodeKind = "picture" | "audio";

export async function checkDecodes(file: string, kind: DecodeKind, run: MediaRun): Promise<Result<void, MediaFailure>> {
  const what = kind === "picture" ? ["-map", "0:v:0", "-frames:v", "1"] : ["-map", "0:a:0", "-t", "1"];
  const r = await runFfmpeg(["-v", "error", "-xerror", "-i", file, ...what, "-f", "null", "-"], run);
  return r.ok ? ok(undefined) : r;
}
