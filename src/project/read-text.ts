/**
 * The project file's bytes as text, refusing what is not a hand-written
 * text file: not a regular file, too large (checked before reading), NUL
 * bytes, invalid UTF-8.
 */
import { constants, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import path from "node:path";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import type { Diagnostic } from "./diagnostic.js";
import { fileDiagnostic } from "./source.js";

/** A project file is hand-written text; anything larger is a mistake, not a drama. */
export const MAX_PROJECT_BYTES = 10 * 1024 * 1024;

/** Where the first byte that is not UTF-8 is, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlongs and surrogates: the strict decoder will catch them; point at the lead byte.
    i += need + 1;
  }
  return -1;
}

function positionInBytes(bytes: Uint8Array, index: number): { line: number; col: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = new TextDecoder().decode(bytes.subarray(lineStart, index)).length + 1;
  const offset = new TextDecoder().decode(bytes.subarray(0, index)).length;
  return { line, col, offset };
}

/** What a path is when it is not a regular file, in a writer's words. */
function kindOfEntry(info: Stats): string {
  if (info.isDirectory()) return "a directory";
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isCharacterDevice()) return "a character device";
  if (info.isBlockDevice()) return "a block device";
  if (info.isSocket()) return "a socket";
  return "not a regular file";
}

export type RegularRead =
  | { readonly kind: "missing" }
  | { readonly kind: "not-regular"; readonly what: string }
  | { readonly kind: "too-large"; readonly size: number }
  | { readonly kind: "unreadable"; readonly code: string }
  | { readonly kind: "read"; readonly bytes: Buffer };

/**
 * The bytes of a regular file of at most `max` bytes, and nothing else: a
 * symlink to /dev/zero, a FIFO or a device is refused before a byte is read
 * (it would never end, or block forever). Opened non-blocking so even a
 * FIFO's open returns, then checked on the open handle, so a swap after a
 * check cannot slip one through; at most `max` bytes are read even if the
 * file grows meanwhile.
 */
export async function readRegularFile(file: string, max: number): Promise<RegularRead> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    if (code === "EISDIR") return { kind: "not-regular", what: "a directory" };
    return { kind: "unreadable", code };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { kind: "not-regular", what: kindOfEntry(info) };
    if (info.size > max) return { kind: "too-large", size: info.size };
    const buffer = Buffer.alloc(Math.min(info.size, max) + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return { kind: "read", bytes: buffer.subarray(0, Math.min(filled, max)) };
  } catch (e) {
    return { kind: "unreadable", code: (e as NodeJS.ErrnoException).code ?? "error" };
  } finally {
    await handle.close();
  }
}

export async function readText(file: string): Promise<Result<string, Diagnostic[]>> {
  const read = await readRegularFile(file, MAX_PROJECT_BYTES);
  if (read.kind === "missing") return err([fileDiagnostic(file, { code: "not-found", message: `cannot read ${path.basename(file)}` })]);
  if (read.kind === "not-regular") {
    return err([
      fileDiagnostic(file, {
        code: "not-a-file",
        message: `${path.basename(file)} is ${read.what}, not a regular file; nothing was read from it`,
        allowed: "a regular UTF-8 text file (a symlink is fine if it points at one)",
      }),
    ]);
  }
  if (read.kind === "too-large") {
    return err([
      fileDiagnostic(file, {
        code: "file-too-large",
        message: `${path.basename(file)} is ${(read.size / 1024 / 1024).toFixed(1)} MB; a project file may be at most ${MAX_PROJECT_BYTES / 1024 / 1024} MB`,
        allowed: "a hand-written project file; keep media in separate files it references",
      }),
    ]);
  }
  if (read.kind === "unreadable") return err([fileDiagnostic(file, { code: "unreadable", message: `cannot read ${path.basename(file)} (${read.code})` })]);
  const bytes = read.bytes;
  const nul = bytes.indexOf(0);
  const invalid = firstInvalidUtf8(bytes);
  const bad = nul !== -1 && (invalid === -1 || nul < invalid) ? nul : invalid;
  let text: string | undefined;
  if (bad === -1) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) {
    const at = bad === -1 ? { line: 1, col: 1, offset: 0 } : positionInBytes(bytes, bad);
    return err([
      fileDiagnostic(
        file,
        {
          code: "not-text",
          message: `${path.basename(file)} is not UTF-8 text (${nul !== -1 && bad === nul ? "a NUL byte" : "an invalid byte"} at line ${at.line})`,
          allowed: "a UTF-8 text file",
        },
        at,
      ),
    ]);
  }
  return ok(text.startsWith("\ufeff") ? text.slice(1) : text);
}
