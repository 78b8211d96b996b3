/**
 * mp4Seconds on hand-built box trees: the header layouts ffmpeg's muxer does
 * not write for our files (64-bit versions, large sizes, a last box running to
 * the end) and the ones it must refuse. Real files are checked against
 * ffprobe in media-mix.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { mp4Seconds } from "../src/media/mp4-duration.js";
import { scratch } from "./media-helpers.js";

function box(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, "latin1");
  return Buffer.concat([head, body]);
}

/** A box with a 64-bit size (size field 1, the real size after the type). */
function largeBox(type: string, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const head = Buffer.alloc(16);
  head.writeUInt32BE(1, 0);
  head.write(type, 4, "latin1");
  head.writeBigUInt64BE(BigInt(16 + body.length), 8);
  return Buffer.concat([head, body]);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v, 4 * i));
  return b;
}

function u64(value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}

function mvhd(version: 0 | 1, timescale: number, duration: number): Buffer {
  return version === 0
    ? box("mvhd", u32(0, 0, 0, timescale, duration), Buffer.alloc(80))
    : box("mvhd", u32(1 << 24), u64(0), u64(0), u32(timescale), u64(duration), Buffer.alloc(80));
}

function trak(handler: string, version: 0 | 1, duration: number): Buffer {
  const tkhd =
    version === 0
      ? box("tkhd", u32(0, 0, 0, 1, 0, duration), Buffer.alloc(60))
      : box("tkhd", u32(1 << 24), u64(0), u64(0), u32(1, 0), u64(duration), Buffer.alloc(60));
  const hdlr = box("hdlr", u32(0, 0), Buffer.from(handler, "latin1"), Buffer.alloc(13));
  return box("trak", tkhd, box("mdia", box("mdhd", Buffer.alloc(24)), hdlr));
}

const ftyp = box("ftyp", Buffer.from("isom\0\0\x02\0isomiso2avc1mp41", "latin1"));
const mdat = box("mdat", Buffer.alloc(1000, 7));

const dir = scratch("mp4-duration");
let files = 0;

async function secondsOf(bytes: Buffer): Promise<number | undefined> {
  const file = join(await dir, `${files++}.mp4`);
  await writeFile(file, bytes);
  return mp4Seconds(file);
}

test("the video track's length, not the movie's (which counts the sound's priming), after or before the media", async () => {
  const moov = box("moov", mvhd(0, 1000, 6022), trak("soun", 0, 6022), trak("vide", 0, 6000));
  assert.equal(await secondsOf(Buffer.concat([ftyp, mdat, moov])), 6);
  assert.equal(await secondsOf(Buffer.concat([ftyp, moov, mdat])), 6);
});

test("64-bit headers: version 1 mvhd and tkhd, a large-size mdat, a last box whose size is 0 (to the end of the file)", async () => {
  const moov = box("moov", mvhd(1, 90000, 2 ** 33), trak("vide", 1, 90000 * 40000));
  assert.equal(await secondsOf(Buffer.concat([ftyp, largeBox("mdat", Buffer.alloc(100)), moov])), 40000);
  const toEnd = Buffer.concat([ftyp, box("moov", mvhd(0, 600, 1200), trak("vide", 0, 900)), mdat]);
  toEnd.writeUInt32BE(0, ftyp.length + box("moov", mvhd(0, 600, 1200), trak("vide", 0, 900)).length);
  assert.equal(await secondsOf(toEnd), 1.5);
});

test("no video track: the movie's length", async () => {
  assert.equal(await secondsOf(Buffer.concat([ftyp, mdat, box("moov", mvhd(0, 48000, 72000), trak("soun", 0, 72000))])), 1.5);
});

test("what it cannot read plainly is undefined, never a guess: no moov, a box past the end, an unknown length, an unknown version, not an MP4", async () => {
  assert.equal(await secondsOf(Buffer.concat([ftyp, mdat])), undefined);
  const moov = box("moov", mvhd(0, 1000, 6000), trak("vide", 0, 6000));
  const lying = Buffer.concat([ftyp, mdat, moov]);
  lying.writeUInt32BE(moov.length + 50, ftyp.length + mdat.length);
  assert.equal(await secondsOf(lying), undefined);
  assert.equal(await secondsOf(Buffer.concat([ftyp, box("moov", mvhd(0, 1000, 0xffffffff), trak("vide", 0, 0xffffffff))])), undefined);
  const v2 = mvhd(0, 1000, 6000);
  v2.writeUInt8(2, 8);
  assert.equal(await secondsOf(Buffer.concat([ftyp, box("moov", v2)])), undefined);
  assert.equal(await secondsOf(Buffer.from("RIFF....WAVEfmt not an mp4 at all", "latin1")), undefined);
  assert.equal(await secondsOf(Buffer.alloc(0)), undefined);
});
