/**
 * An MP4's length from its headers (`moov/mvhd` and the video track's
 * `tkhd`), no process. The storyboard wants the length of every cut and of
 * the episode after each build, and one ffprobe per file was most of the
 * time between the last encode and the page. The top-level box headers are
 * read one at a time (`mdat` is most of the file), then `moov` in one read
 * (a few KB for a cut or an episode) and walked in memory.
 * Undefined for anything it cannot read plainly (not MP4, fragmented,
 * truncated): the caller asks ffprobe then.
 */
import { open, type FileHandle } from "node:fs/promises";

/** A file has a handful of top-level boxes (ftyp, free, mdat, moov); past this it is not one of ours. */
const MAX_BOXES = 64;

/** Ours are a few KB; a movie header this large is not one we wrote, and ffprobe reads it better. */
const MAX_MOOV = 16 * 1024 * 1024;

interface Box {
  readonly type: string;
  readonly start: number;
  /** Where the box's content begins (after its 8- or 16-byte header). */
  readonly body: number;
  readonly end: number;
}

/**
 * The box whose header `head` holds (its bytes from `start` on), or undefined
 * when it is not a sane one ending inside `limit`. Positions are in the
 * caller's frame: the file's for top-level boxes, the moov buffer's inside it.
 */
function boxHeader(head: Buffer, start: number, limit: number): Box | undefined {
  if (head.length < 8) return undefined;
  const size32 = head.readUInt32BE(0);
  const type = head.toString("latin1", 4, 8);
  let size = size32;
  let body = start + 8;
  if (size32 === 1) {
    if (head.length < 16) return undefined;
    size = Number(head.readBigUInt64BE(8));
    body = start + 16;
  } else if (size32 === 0) {
    size = limit - start;
  }
  if (size < body - start || start + size > limit) return undefined;
  return { type, start, body, end: start + size };
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : undefined;
}

/** The file's `moov` box, whole (its header at offset 0), walking the top-level boxes before it. */
async function moovOf(file: FileHandle, size: number): Promise<Buffer | undefined> {
  let at = 0;
  for (let i = 0; i < MAX_BOXES && at < size; i++) {
    const head = await readAt(file, at, Math.min(16, size - at));
    const box = head && boxHeader(head, at, size);
    if (!box) return undefined;
    if (box.type === "moov") return box.end - box.start <= MAX_MOOV ? readAt(file, box.start, box.end - box.start) : undefined;
    at = box.end;
  }
  return undefined;
}

/** The first box of `type` among those from `from` to `to` of `bytes`. */
function find(bytes: Buffer, type: string, from: number, to: number): Box | undefined {
  let at = from;
  for (let i = 0; i < MAX_BOXES && at < to; i++) {
    const box = boxHeader(bytes.subarray(at, Math.min(at + 16, to)), at, to);
    if (!box) return undefined;
    if (box.type === type) return box;
    at = box.end;
  }
  return undefined;
}

/** `length` bytes of `bytes` from `at`, or undefined past its end. */
function fieldsAt(bytes: Buffer, at: number, length: number): Buffer | undefined {
  return at + length <= bytes.length ? bytes.subarray(at, at + length) : undefined;
}

/** A duration field of a version 0 (32-bit) or 1 (64-bit) full box; all ones is "unknown" (fragmented, live). */
function durationField(fields: Buffer, v0: number, v1: number): number | undefined {
  const version = fields.readUInt8(0);
  const value = version === 0 ? fields.readUInt32BE(v0) : version === 1 ? Number(fields.readBigUInt64BE(v1)) : 0;
  return value > 0 && value !== 0xffffffff ? value : undefined;
}

/** The video track's duration in the movie's timescale (its edits applied, as the track header has it). */
function videoTrackDuration(moov: Buffer, root: Box): number | undefined {
  let at = root.body;
  for (let i = 0; i < MAX_BOXES && at < root.end; i++) {
    const trak = find(moov, "trak", at, root.end);
    if (!trak) return undefined;
    at = trak.end;
    const mdia = find(moov, "mdia", trak.body, trak.end);
    const hdlr = mdia && find(moov, "hdlr", mdia.body, mdia.end);
    const handler = hdlr && fieldsAt(moov, hdlr.body + 8, 4);
    if (handler?.toString("latin1") !== "vide") continue;
    const tkhd = find(moov, "tkhd", trak.body, trak.end);
    // tkhd: version and flags, creation and modification times, track id, 4 reserved bytes, duration.
    const fields = tkhd && fieldsAt(moov, tkhd.body, 36);
    return fields && durationField(fields, 20, 28);
  }
  return undefined;
}

/** Seconds from a whole `moov` box (see mp4Seconds). */
function moovSeconds(moov: Buffer): number | undefined {
  const root = boxHeader(moov, 0, moov.length);
  const mvhd = root && find(moov, "mvhd", root.body, root.end);
  // mvhd: version and flags, creation and modification times, timescale, duration.
  const fields = mvhd && fieldsAt(moov, mvhd.body, 32);
  if (!root || !fields) return undefined;
  const timescale = fields.readUInt32BE(fields.readUInt8(0) === 1 ? 20 : 12);
  const duration = videoTrackDuration(moov, root) ?? durationField(fields, 16, 24);
  return timescale && duration ? duration / timescale : undefined;
}

/** mp4Seconds of a file already open, `size` bytes long (mediaSeconds has it open for a WAV's header). */
export async function mp4SecondsOf(file: FileHandle, size: number): Promise<number | undefined> {
  try {
    const moov = await moovOf(file, size);
    return moov && moovSeconds(moov);
  } catch {
    return undefined;
  }
}

/**
 * Seconds of the video track (what ffprobe gives for a cut or an episode:
 * the movie header also counts the AAC track's priming), or of the movie
 * when there is no video; undefined when it cannot be read (see above).
 */
export async function mp4Seconds(path: string): Promise<number | undefined> {
  let file: FileHandle | undefined;
  try {
    file = await open(path, "r");
    return await mp4SecondsOf(file, (await file.stat()).size);
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}
