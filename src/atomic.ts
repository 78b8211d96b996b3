/**
 * Every write a killed process must not leave half-done (the cache, build/,
 * the user's drama.yaml) goes through here: a temp file in the same
 * directory, then rename, so a reader sees either the old file or the new
 * one. At the root of src/ beside result.ts because both project/ (editing
 * drama.yaml) and engine/ (the cache) need it, and project/ may import from
 * no other folder.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, basename } from "node:path";

/** A fresh temp name beside `target`; the `.tmp-` prefix lets gc sweep leftovers. */
export function tempBeside(target: string): string {
  return join(dirname(target), `.tmp-${basename(target)}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempBeside(target);
  try {
    await writeFile(temp, data, mode === undefined ? {} : { mode });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
