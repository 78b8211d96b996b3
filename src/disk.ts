/**
 * The file-system calls the engine's cache writes make (object store, atomic
 * writes, stat cache), behind one small interface like ninja's DiskInterface:
 * node:fs by default; a test puts in one that fails a chosen write with
 * ENOSPC or EIO, or counts the calls a build makes. Errors are node's: thrown
 * with a `code`, as the callers already expect from node:fs. At the root of
 * src/ beside atomic.ts, which project/ shares.
 */
import { statSync, type BigIntStats } from "node:fs";
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { processWide } from "./process-wide.js";

export interface Disk {
  stat(path: string): Promise<BigIntStats>;
  /** Undefined when nothing is there (the no-op path asks often; no exception per miss). */
  statSync(path: string): BigIntStats | undefined;
  readFile(path: string): Promise<string>;
  /** `mode` only for a file that does not exist yet, as node's. */
  writeFile(path: string, data: string | Uint8Array, mode?: number): Promise<void>;
  /** Recursive: parents too, no error if it exists. */
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  /** Recursive and forced: no error if it is not there. */
  remove(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
}

export const nodeDisk: Disk = {
  stat: (path) => stat(path, { bigint: true }),
  statSync: (path) => statSync(path, { bigint: true, throwIfNoEntry: false }),
  readFile: (path) => readFile(path, "utf8"),
  writeFile: (path, data, mode) => writeFile(path, data, mode === undefined ? {} : { mode }),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  rename,
  copyFile: (from, to) => copyFile(from, to),
  remove: (path) => rm(path, { recursive: true, force: true }),
  chmod,
};

/** Process-wide (see process-wide.ts): tests replace it. */
const slot = processWide<Disk>("dramake.disk", nodeDisk);

export function disk(): Disk {
  return slot.get();
}

/** Replace the process-wide disk (tests), returning the previous one so it can be put back. */
export function setDisk(next: Disk): Disk {
  return slot.set(next);
}
