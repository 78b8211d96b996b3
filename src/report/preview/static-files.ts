/**
 * Serving files under build/: content types, ETag/304, single Range (206/416)
 * and a lexical refusal of anything outside the root. Symlinks inside build/
 * are followed on purpose: the build may materialize media as links into the
 * cache, and only dramake writes build/.
 *
 * Hand-written rather than sirv or send (issue 10, measured): sirv 3 answers
 * a suffix range `bytes=-16` with the first 17 bytes (a <video> seeking to the
 * end gets the wrong bytes) and ignores If-Range; send 1 is correct but brings
 * 18 packages (784 KB) to replace these ~160 lines, and stats the path before
 * opening it, so a file the build renames in between is sent with the other
 * file's length. Serving 300 x 1 MiB took the same time for all three, within
 * the noise of a loaded machine (2.5-5.5 s each).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { open, type FileHandle } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { err, ok, type Result } from "../../result.js";
import { contentTypeFor } from "./content-type.js";
import { parseRange } from "./range.js";

export type PathRefusal = { readonly status: 400 | 403; readonly message: string };

/** A URL path (still percent-encoded) to a file path inside root, or why not. */
export function resolveInside(root: string, urlPath: string): Result<string, PathRefusal> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return err({ status: 400, message: "malformed path" });
  }
  if (decoded.includes("\0")) return err({ status: 400, message: "malformed path" });
  const base = resolve(root);
  const full = resolve(base, `.${decoded.startsWith("/") ? "" : "/"}${decoded}`);
  const rel = relative(base, full);
  if (rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return err({ status: 403, message: "outside the build directory" });
  }
  return ok(full);
}

/** Sends `file` (an absolute path already checked by resolveInside), typed by its extension unless `type` is given (a cache object has none). */
export async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, type = contentTypeFor(file)): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, "r");
  } catch {
    return sendText(res, 404, "not found");
  }
  // Stat the open handle, not the path: the build may rename a new file in meanwhile.
  let streaming = false;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return sendText(res, 404, "not found");
    const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
    const headers: Record<string, string | number> = {
      "Content-Type": type,
      "Accept-Ranges": "bytes",
      // Paths stay the same across rebuilds while their bytes change: always revalidate.
      "Cache-Control": "no-cache",
      "Last-Modified": stats.mtime.toUTCString(),
      ETag: etag,
      "X-Content-Type-Options": "nosniff",
    };
    const rangeHeader = req.headers["if-range"] === undefined || req.headers["if-range"] === etag ? req.headers.range : undefined;
    const range = parseRange(rangeHeader, stats.size);
    if (range.kind === "unsatisfiable") {
      res.writeHead(416, { ...headers, "Content-Range": `bytes */${stats.size}`, "Content-Length": 0 });
      res.end();
      return;
    }
    if (range.kind === "full" && req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const start = range.kind === "partial" ? range.start : 0;
    const end = range.kind === "partial" ? range.end : stats.size - 1;
    const length = Math.max(0, end - start + 1);
    if (range.kind === "partial") {
      res.writeHead(206, { ...headers, "Content-Range": `bytes ${start}-${end}/${stats.size}`, "Content-Length": length });
    } else {
      res.writeHead(200, { ...headers, "Content-Length": length });
    }
    if (req.method === "HEAD" || length === 0) {
      res.end();
      return;
    }
    streaming = true;
    // The stream owns (and closes) the handle from here on.
    await pipeline(handle.createReadStream({ start, end }), res).catch(() => {
      // A browser seeking a <video> aborts requests all the time; nothing to report.
      res.destroy();
    });
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = `${text}\n`;
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "X-Content-Type-Options": "nosniff",
    ...extra,
  });
  res.end(body);
}
