/**
 * An MP4's length from its headers (`moov/mvhd` and the video track's
 * `tkhd`), found by reading box headers: a few small reads, no process. The storyboard wants the
 * length of every cut and of the episode after each build, and one ffprobe
 * per file was most of the time between the last encode and the page.
 * Undefined for anything it cannot read plainly (not MP4, fragmented,
 * truncated): the caller asks ffprobe then.
 */
import { open, type FileHandle } from "node:fs/promises";

/** A file has a handful of top-level boxes (ftyp, free, mdat, moov); past this it is not one of ours. */
const MAX_BOXES = 64;

interface Box {
  readonly type: string;
  readonly start: number;
  /** Where the box's content begins (after its 8- or 16-byte header). */
  readonly body: number;
  readonly end: number;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer | undefined> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return bytesRead === length ? buffer : undefined;
}

/** The box starting at `start`, or undefined when its header is not a sane one inside `limit`. */
async function boxAt(file: FileHandle, start: number, limit: number): Promise<Box | undefined> {
  const head = await readAt(file, start, Math.min(16, limit - start));
  if (!head || head.length < 8) return undefined;
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

/** The first box of `type` among the boxes from `from` to `to`. */
async function find(file: FileHandle, type: string, from: number, to: number): Promise<Box | undefined> {
  let at = from;
  for (let i = 0; i < MAX_BOXES && at < to; i++) {
    const box = await boxAt(file, at, to);
    if (!box) return undefined;
    if (box.type === type) return box;
    at = box.end;
  }
  return undefined;
}

/** A duration field of a version 0 (32-bit) or 1 (64-bit) full box; all ones is "unknown" (fragmented, live). */
function durationField(fields: Buffer, v0: number, v1: number): number | undefined {
  const version = fields.readUInt8(0);
  const value = version === 0 ? fields.readUInt32BE(v0) : version === 1 ? Number(fields.readBigUInt64BE(v1)) : 0;
  return value > 0 && value !== 0xffffffff ? value : undefined;
}

/** The video track's duration in the movie's timescale (its edits applied, as the track header has it). */
async function videoTrackDuration(file: FileHandle, moov: Box): Promise<number | undefined> {
  let at = moov.body;
  for (let i = 0; i < MAX_BOXES && at < moov.end; i++) {
    const trak = await find(file, "trak", at, moov.end);
    if (!trak) return undefined;
    at = trak.end;
    const mdia = await find(file, "mdia", trak.body, trak.end);
    const hdlr = mdia && (await find(file, "hdlr", mdia.body, mdia.end));
    const handler = hdlr && (await readAt(file, hdlr.body + 8, 4));
    if (handler?.toString("latin1") !== "vide") continue;
    const tkhd = await find(file, "tkhd", trak.body, trak.end);
    // tkhd: version and flags, creation and modification times, track id, 4 reserved bytes, duration.
    const fields = tkhd && (await readAt(file, tkhd.body, 36));
    return fields && durationField(fields, 20, 28);
  }
  return undefined;
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
    const { size } = await file.stat();
    const moov = await find(file, "moov", 0, size);
    const mvhd = moov && (await find(file, "mvhd", moov.body, moov.end));
    // mvhd: version and flags, creation and modification times, timescale, duration.
    const fields = mvhd && (await readAt(file, mvhd.body, 32));
    if (!moov || !fields) return undefined;
    const timescale = fields.readUInt32BE(fields.readUInt8(0) === 1 ? 20 : 12);
    const duration = (await videoTrackDuration(file, moov)) ?? durationField(fields, 16, 24);
    return timescale && duration ? duration / timescale : undefined;
  } catch {
    return undefined;
  } finally {
    await file?.close();
  }
}
