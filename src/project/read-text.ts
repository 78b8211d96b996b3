/**
 * The project file's bytes as text, refusing what is not a hand-written
 * text file: too large (checked before reading), NUL bytes, invalid UTF-8.
 */
import { open, stat } from "node:fs/promises";
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

export async function readText(file: string): Promise<Result<string, Diagnostic[]>> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return err([fileDiagnostic(file, { code: "not-found", message: `cannot read ${path.basename(file)}` })]);
  }
  if (size > MAX_PROJECT_BYTES) {
    return err([
      fileDiagnostic(file, {
        code: "file-too-large",
        message: `${path.basename(file)} is ${(size / 1024 / 1024).toFixed(1)} MB; a project file may be at most ${MAX_PROJECT_BYTES / 1024 / 1024} MB`,
        allowed: "a hand-written project file; keep media in separate files it references",
      }),
    ]);
  }
  let bytes: Buffer;
  try {
    // Read at most the cap even if the file grew since stat.
    const handle = await open(file, "r");
    try {
      const buffer = Buffer.alloc(Math.min(size, MAX_PROJECT_BYTES) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      bytes = buffer.subarray(0, Math.min(bytesRead, MAX_PROJECT_BYTES));
    } finally {
      await handle.close();
    }
  } catch (e) {
    return err([fileDiagnostic(file, { code: "unreadable", message: `cannot read ${path.basename(file)} (${(e as NodeJS.ErrnoException).code ?? "error"})` })]);
  }
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
