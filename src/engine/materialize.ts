/**
 * Outputs appear under build/ as hardlinks to store objects (no copy of big
 * media), or copies where a hardlink is impossible; either way through a temp
 * name and a rename, so build/ never holds half a file.
 */
import { copyFile, link, mkdir, rename, rm } from "node:fs/promises";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import type { Artifact } from "./step.js";
import { tempBeside } from "./atomic.js";
import { statFile } from "./stat-cache.js";

/** A build-relative path that stays inside build/, or undefined. */
export function safeBuildPath(buildDir: string, rel: string): string | undefined {
  const n = normalize(rel);
  if (isAbsolute(n) || n === ".." || n.startsWith(`..${sep}`) || n === "." || n === "") return undefined;
  return join(buildDir, n);
}

/** Is `target` already this very object (a hardlink to it)? Then there is nothing to restore. */
export async function linkedAlready(target: string, artifact: Artifact): Promise<boolean> {
  const [have, want] = await Promise.all([statFile(target), statFile(artifact.path)]);
  return Boolean(have && want && have.ino === want.ino && have.size === want.size);
}

export async function materialize(target: string, artifact: Artifact): Promise<void> {
  if (await linkedAlready(target, artifact)) return;
  await mkdir(dirname(target), { recursive: true });
  const temp = tempBeside(target);
  try {
    try {
      await link(artifact.path, temp);
    } catch {
      await copyFile(artifact.path, temp);
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
