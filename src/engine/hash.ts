/**
 * xxhash64 digests as 16 lowercase hex digits. The wasm module is loaded once,
 * lazily, so commands that never hash (the no-op fast path) never pay for it.
 */
import { readFileSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import type { XXHashAPI } from "xxhash-wasm";
import pLimit from "p-limit";

let api: Promise<XXHashAPI> | undefined;
let loaded: XXHashAPI | undefined;

export function xxhash(): Promise<XXHashAPI> {
  api ??= import("xxhash-wasm").then(async (m) => (loaded = await m.default()));
  return api;
}

/** The hasher once `xxhash()` has resolved, else undefined: hashing in a loop over 10,000 steps without a promise each. */
export const loadedXxhash = (): XXHashAPI | undefined => loaded;

/** A 64-bit digest as the 16 hex digits every digest in the engine is. */
export const hex = (n: bigint): string => n.toString(16).padStart(16, "0");

export async function digestString(text: string): Promise<string> {
  return hex((await xxhash()).h64(text));
}

export async function digestBytes(bytes: Uint8Array): Promise<string> {
  return hex((await xxhash()).h64Raw(bytes));
}

const CHUNK = 1 << 20;

/** Whole-file reads at once, across the graph: thousands of steps may verify together. */
const reading = pLimit(16);

/** Streams a file through the hasher: media files can be large. */
export function digestFile(path: string): Promise<{ digest: string; size: number }> {
  return reading(() => digestWholeFile(path));
}

/** Below this, one blocking read beats the promise API's round trips; above it, stream. */
const SMALL = 1 << 20;

async function digestWholeFile(path: string): Promise<{ digest: string; size: number }> {
  if (statSync(path).size <= SMALL) {
    const bytes = readFileSync(path);
    return { digest: hex((await xxhash()).h64Raw(bytes)), size: bytes.byteLength };
  }
  const hasher = (await xxhash()).create64();
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hasher.update(bytesRead === CHUNK ? buffer : buffer.subarray(0, bytesRead));
      size += bytesRead;
    }
    return { digest: hex(hasher.digest()), size };
  } finally {
    await handle.close();
  }
}
