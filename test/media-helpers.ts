/** Shared by the media and offline-provider tests: scratch dirs, digests, frames as pixels. */
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import assert from "node:assert/strict";
import { runFfmpeg } from "../src/media/run.js";
import { probe, type MediaInfo } from "../src/media/probe.js";
import type { CallContext } from "../src/providers/types.js";

export const signal = new AbortController().signal;
export const run = { signal };
export const TINY = { width: 180, height: 320 } as const;
export const FPS = 12;

/**
 * A scratch directory removed when the test process exits (KEEP_MEDIA=1 keeps
 * it to look at). Not node:test's after(): called from a before() hook it would
 * remove the directory before the tests run.
 */
export async function scratch(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `dramake-${name}-`));
  if (!process.env.KEEP_MEDIA) process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  else console.log(`# media kept in ${dir}`);
  return dir;
}

export async function digest(file: string): Promise<string> {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

export function must<T, E>(r: { ok: true; value: T } | { ok: false; error: E }): T {
  if (!r.ok) assert.fail(`expected ok, got ${JSON.stringify(r.error, null, 1)}`);
  return r.value;
}

export async function probed(file: string): Promise<MediaInfo> {
  return must(await probe(file, signal));
}

/** One frame at `seconds` as raw RGB24 bytes (width*height*3). */
export async function frameAt(file: string, seconds: number, out: string): Promise<Uint8Array> {
  must(await runFfmpeg(["-i", file, "-ss", String(seconds), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", out], run));
  return readFile(out);
}

/** A file's first audio track decoded to 48 kHz mono 16-bit samples. */
export async function soundOf(file: string, out: string): Promise<Int16Array> {
  must(await runFfmpeg(["-i", file, "-map", "0:a:0", "-ac", "1", "-ar", "48000", "-f", "s16le", out], run));
  const bytes = await readFile(out);
  return new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
}

/** Signal-to-noise ratio in dB of `got` against `want` over samples [from, to). */
export function snrDb(want: Int16Array, got: Int16Array, from: number, to: number): number {
  let signal = 0;
  let noise = 0;
  for (let i = from; i < to; i++) {
    const d = (want[i] ?? 0) - (got[i] ?? 0);
    signal += (want[i] ?? 0) ** 2;
    noise += d * d;
  }
  return 10 * Math.log10(signal / noise);
}

/** Mean absolute difference per byte between two images' rows [fromRow, toRow). */
export function rowDiff(a: Uint8Array, b: Uint8Array, width: number, fromRow: number, toRow: number): number {
  let sum = 0;
  const start = fromRow * width * 3;
  const end = toRow * width * 3;
  for (let i = start; i < end; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / (end - start);
}

export interface FakeContext extends CallContext {
  readonly notices: string[];
  readonly progressed: number[];
}

export function callContext(dir: string, outFile: string, opts: { signal?: AbortSignal } = {}): FakeContext {
  const notices: string[] = [];
  const progressed: number[] = [];
  let job: string | undefined;
  return {
    signal: opts.signal ?? signal,
    tmpDir: dir,
    outFile,
    notices,
    progressed,
    progress: (f) => progressed.push(f),
    notice: (m) => notices.push(m),
    spent: () => undefined,
    job: {
      get: () => job,
      set: async (id) => {
        job = id;
      },
    },
  };
}
