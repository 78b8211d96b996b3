/**
 * Sora requires its input_reference to have exactly the video's dimensions,
 * while image models make 1024x1536 and friends. Scale to cover and
 * centre-crop with the bundled ffmpeg, so the keyframe's composition survives.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Size } from "../types.js";

const ffmpegPath: string = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;

/** Writes `<dir>/reference-WxH.png` and returns its path. Rejects (with ffmpeg's stderr) if the image cannot be read. */
export function fitImage(input: string, size: Size, dir: string, signal: AbortSignal): Promise<string> {
  const out = join(dir, `reference-${size.width}x${size.height}.png`);
  const filter = `scale=${size.width}:${size.height}:force_original_aspect_ratio=increase,crop=${size.width}:${size.height}`;
  return new Promise((resolve, reject) => {
    execFile(
      ffmpegPath,
      ["-hide_banner", "-loglevel", "error", "-y", "-i", input, "-vf", filter, "-frames:v", "1", out],
      { signal },
      (error, _stdout, stderr) => (error ? reject(new Error(`cannot fit keyframe ${input}: ${stderr.trim() || error.message}`)) : resolve(out)),
    );
  });
}
