/**
 * Every write a killed process must not leave half-done (the cache, build/,
 * the user's drama.yaml, media a tool writes: media/run.ts) goes through here: a temp file in the same
 * directory, then rename, so a reader sees either the old file or the new
 * one. At the root of src/ beside result.ts because both project/ (editing
 * drama.yaml) and engine/ (the cache) need it, and project/ may import from
 * no other folder.
 */
import { randomBytes } from "node:crypto";
import { basename, dirname, extname, join } from "node:path";
import { disk } from "./disk.js";

/**
 * A fresh temp name beside `target`; the `.tmp-` prefix lets gc sweep leftovers.
 * `keepExtension` ends it with the target's extension too, for a tool that
 * picks the format by name (ffmpeg: media/run.ts writeAtomically).
 */
export function tempBeside(target: string, keepExtension = false): string {
  const temp = join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${randomBytes(4).toString("hex")}`);
  return keepExtension ? temp + extname(target) : temp;
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const fs = disk();
  await fs.mkdir(dirname(target));
  const temp = tempBeside(target);
  try {
    await fs.writeFile(temp, data, mode);
    await fs.rename(temp, target);
  } catch (error) {
    await fs.remove(temp);
    throw error;
  }
}
