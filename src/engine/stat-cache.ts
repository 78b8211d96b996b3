/**
 * Stat cache (git index / DVC state): path -> (size, mtime ns, inode) -> digest,
 * so a no-op build never re-reads media. Racy-timestamp rule: a file whose
 * mtime is not clearly older than the moment we stat it may be written again
 * within the same timestamp tick after we hash it, leaving identical stat data
 * over different bytes; such a digest is used once but never remembered, so
 * the next run hashes it again (by then its mtime is safely in the past).
 */
import { disk } from "../disk.js";
import { digestFile } from "./hash.js";
import { writeFileAtomic } from "./atomic.js";


/** [size, mtime ns, inode, digest]; bigints kept as decimal strings in JSON. */
type Entry = readonly [size: string, mtimeNs: string, ino: string, digest: string];

export interface FileStat {
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

export async function statFile(path: string): Promise<FileStat | undefined> {
  try {
    const s = await disk().stat(path);
    return s.isFile() ? { size: s.size, mtimeNs: s.mtimeNs, ino: s.ino } : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

export class StatCache {
  private dirty = false;
  private constructor(
    private readonly file: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  static async load(file: string): Promise<StatCache> {
    try {
      const parsed = JSON.parse(await disk().readFile(file)) as { v?: number; entries?: Record<string, Entry> };
      if (parsed.v === 1 && parsed.entries) return new StatCache(file, new Map(Object.entries(parsed.entries)));
    } catch {
      // A missing or unreadable cache only costs re-hashing.
    }
    return new StatCache(file, new Map());
  }

  /**
   * The remembered digest of the file at `path` while its stat data match,
   * "missing" when it does not exist, undefined when only hashing can tell:
   * the synchronous common case of `digest`, with no promise per file.
   */
  known(name: string, path: string): { digest: string; size: number } | "missing" | undefined {
    const s = statFileSync(path);
    if (!s) {
      if (this.entries.delete(name)) this.dirty = true;
      return "missing";
    }
    const known = this.entries.get(name);
    if (known && known[0] === String(s.size) && known[1] === String(s.mtimeNs) && known[2] === String(s.ino)) return { digest: known[3], size: Number(s.size) };
    return undefined;
  }

  /**
   * Digest of the file at `path` (keyed by `name`), or undefined if it does not
   * exist. Hashes only when stat data changed or the entry is racy.
   */
  async digest(name: string, path: string): Promise<{ digest: string; size: number } | undefined> {
    // A synchronous stat: the common case (unchanged file) then costs no thread-pool round trip.
    const s = statFileSync(path);
    if (!s) {
      if (this.entries.delete(name)) this.dirty = true;
      return undefined;
    }
    const known = this.entries.get(name);
    if (
      known &&
      known[0] === String(s.size) &&
      known[1] === String(s.mtimeNs) &&
      known[2] === String(s.ino)
    ) {
      return { digest: known[3], size: Number(s.size) };
    }
    const statedAt = nowNs();
    const { digest, size } = await digestFile(path);
    // Only remember what we hashed if the file did not change while we read it.
    const after = await statFile(path);
    if (after && after.mtimeNs === s.mtimeNs && after.size === s.size && after.ino === s.ino) {
      this.remember(name, s, digest, statedAt);
    } else {
      this.forget(name);
    }
    return { digest, size };
  }

  /**
   * Record a digest known to match the content seen at stat time `statedAt`
   * (wall clock ns), or "immutable" for store objects: we wrote them through a
   * temp file and rename and made them read-only, so the same-tick rewrite the
   * racy rule guards against does not happen to them.
   */
  remember(name: string, s: FileStat, digest: string, statedAt: bigint | "immutable"): void {
    if (statedAt !== "immutable" && isRacy(s.mtimeNs, statedAt)) return this.forget(name);
    this.entries.set(name, [String(s.size), String(s.mtimeNs), String(s.ino), digest]);
    this.dirty = true;
  }

  forget(name: string): void {
    if (this.entries.delete(name)) this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty) return;
    const entries: Record<string, Entry> = {};
    for (const k of [...this.entries.keys()].sort()) entries[k] = this.entries.get(k)!;
    await writeFileAtomic(this.file, JSON.stringify({ v: 1, entries }));
    this.dirty = false;
  }
}

/**
 * Filesystem timestamps come from a coarse kernel clock that can lag the wall
 * clock by a tick; anything within this margin of "now" counts as racy.
 */
const RACY_MARGIN_NS = 100_000_000n;

export const nowNs = (): bigint => BigInt(Date.now()) * 1_000_000n;

export const isRacy = (mtimeNs: bigint, statedAtNs: bigint): boolean => mtimeNs + RACY_MARGIN_NS >= statedAtNs;

/** Synchronous stat used by the no-op fast path (no promise overhead per file). */
export function statFileSync(path: string): FileStat | undefined {
  const s = disk().statSync(path);
  return s && s.isFile() ? { size: s.size, mtimeNs: s.mtimeNs, ino: s.ino } : undefined;
}
