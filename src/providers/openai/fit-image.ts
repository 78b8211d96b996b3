/**
 * Sora requires its input_reference to have exactly the video's dimensions,
 * while image models make 1024x1536 and friends. Scale to cover and
 * centre-crop, so the keyframe's composition survives. Through runFfmpeg like
 * all media work: the ffmpeg it finds (PATH, FFMPEG_PATH, the installer
 * package), the command-runner seam, an atomic write, a failure as data.
 */
import { join } from "node:path";
import { ok, type Result } from "../../result.js";
import type { MediaFailure } from "../../media/failure.js";
import { runFfmpeg, writeAtomically } from "../../media/run.js";
import type { Size } from "../types.js";

/** Writes `<dir>/reference-WxH.png` and returns its path. */
export function fitImage(input: string, size: Size, dir: string, signal: AbortSignal): Promise<Result<string, MediaFailure>> {
  const out = join(dir, `reference-${size.width}x${size.height}.png`);
  const filter = `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase,crop=${size.width}:${size.height}`;
  return writeAtomically(out, async (tmp) => {
    const r = await runFfmpeg(["-i", input, "-vf", filter, "-frames:v", "1", "-c:v", "png", "-f", "image2", tmp], { signal });
    return r.ok ? ok(out) : r;
  });
}
