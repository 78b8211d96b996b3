/**
 * Whether ffmpeg can really decode a file. Probing is not enough: a text file
 * named `.png` probes as a PNG stream and only fails when decoded, and a video
 * cut short keeps a valid header while its last frames are missing.
 */
import { ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { runFfmpeg, type MediaRun } from "./run.js";

/** `video` decodes every frame (a cut download loses its end); the others the first frame or second. */
export type DecodeKind = "picture" | "audio" | "video";

const WHAT: Record<DecodeKind, readonly string[]> = {
  picture: ["-map", "0:v:0", "-frames:v", "1"],
  audio: ["-map", "0:a:0", "-t", "1"],
  video: ["-map", "0:v:0"],
};

export async function checkDecodes(file: string, kind: DecodeKind, run: MediaRun): Promise<Result<void, MediaFailure>> {
  const r = await runFfmpeg(["-v", "error", "-xerror", "-i", file, ...WHAT[kind], "-f", "null", "-"], run);
  return r.ok ? ok(undefined) : r;
}
