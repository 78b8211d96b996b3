/**
 * Files a project references (cast pictures, a music file) resolve against
 * the project directory and must stay inside it: no absolute paths, no `..`
 * escapes, no symlinks pointing out. A build must be reproducible from the
 * project directory alone, and a shared project must not read ~/.ssh.
 */
import { lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";

export const IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".webp"] as const;
export const AUDIO_EXTENSIONS = [".mp3", ".wav", ".m4a", ".ogg", ".flac"] as const;

export interface FileProblem {
  readonly code: "path-outside" | "missing-file" | "bad-extension" | "invalid-format";
  readonly message: string;
  readonly allowed: string;
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/**
 * Checks one reference; returns its normalized project-relative path
 * (forward slashes), which is how the engine names input files.
 */
export async function resolveReference(
  projectDir: string,
  reference: string,
  extensions: readonly string[],
  /** How to name the path in messages: itself, or a stand-in when it came from the environment. */
  shown: string = `'${reference}'`,
): Promise<Result<string, FileProblem>> {
  const example = `a path relative to the project directory, e.g. refs/picture${extensions[0]}`;
  if (reference.includes("\0")) return err({ code: "invalid-format", message: "the path contains a NUL character", allowed: example });
  if (path.posix.isAbsolute(reference) || path.win32.isAbsolute(reference)) {
    return err({ code: "path-outside", message: `absolute paths are not allowed: ${shown}`, allowed: example });
  }
  if (reference.includes("\\")) {
    return err({ code: "invalid-format", message: `use '/' between folders, not '\\': ${shown}`, allowed: example });
  }
  const normalized = path.posix.normalize(reference);
  if (normalized === ".." || normalized.startsWith("../")) {
    return err({ code: "path-outside", message: `${shown} points outside the project directory`, allowed: example });
  }
  const extension = path.posix.extname(normalized).toLowerCase();
  if (!extensions.includes(extension)) {
    return err({
      code: "bad-extension",
      message: `${shown} is not a supported file type`,
      allowed: `files ending in ${extensions.join(", ")}`,
    });
  }
  const absolute = path.join(projectDir, normalized);
  try {
    await lstat(absolute);
  } catch {
    return err({ code: "missing-file", message: `file not found: ${shown}`, allowed: `an existing file inside the project directory` });
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(absolute), realpath(projectDir)]);
  } catch {
    // A dangling symlink: lstat saw the link, realpath cannot follow it.
    return err({ code: "missing-file", message: `${shown} is a link to a file that does not exist`, allowed: "an existing file inside the project directory" });
  }
  if (!isInside(realRoot, real)) {
    return err({ code: "path-outside", message: `${shown} links to a file outside the project directory`, allowed: "a file inside the project directory (copy it in)" });
  }
  const info = await stat(real);
  if (!info.isFile()) {
    return err({ code: "missing-file", message: `${shown} is not a file`, allowed: `a file ending in ${extensions.join(", ")}` });
  }
  return ok(normalized);
}
