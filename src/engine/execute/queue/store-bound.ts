/**
 * A size bound on a worker's object store (`dramake worker --max-store`). A
 * worker keeps no lockfile and no action records: its store is only a local
 * copy of what the remote cache holds (inputs it fetched, outputs it put
 * there), so anything in it may go; a long-lived worker would otherwise grow
 * its disk without bound. After each job the least recently used objects are
 * removed until the store fits again, never one a running job reads or makes:
 * its inputs are held by digest, and what it makes is newer than its start
 * (an object's ctime is when it was renamed into the store, also when the
 * store already had those bytes), so nothing made since the oldest running
 * job began is touched.
 * "Used" is the last time a job of this process held it (`hold`), else the
 * file's mtime: kept in memory, since touching the file would make the stat
 * cache hash it again.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export class StoreBound {
  /** Digest -> how many running jobs hold it. */
  private readonly held = new Map<string, number>();
  /** Start times of the running jobs (ms since the epoch). */
  private readonly running: number[] = [];
  /** Digest -> when a job last held it (ms since the epoch). */
  private readonly used = new Map<string, number>();
  private trimming: Promise<void> | undefined;
  private again = false;
  /** What trims removed so far. */
  removed = { objects: 0, bytes: 0 };

  constructor(
    /** The store's objects directory (`ab/cdef…` under it). */
    private readonly objects: string,
    private readonly maxBytes: number,
  ) {}

  /** A job starts: its inputs are held, what it makes is kept until it ends. Returns its release. */
  begin(digests: readonly string[]): () => void {
    const started = Date.now();
    this.running.push(started);
    this.hold(digests);
    return () => {
      this.running.splice(this.running.indexOf(started), 1);
      this.release(digests);
    };
  }

  private hold(digests: Iterable<string>): void {
    const now = Date.now();
    for (const d of digests) {
      this.held.set(d, (this.held.get(d) ?? 0) + 1);
      this.used.set(d, now);
    }
  }

  private release(digests: Iterable<string>): void {
    const now = Date.now();
    for (const d of digests) {
      this.used.set(d, now);
      const n = (this.held.get(d) ?? 0) - 1;
      if (n <= 0) this.held.delete(d);
      else this.held.set(d, n);
    }
  }

  /** Removes least recently used objects until the store fits; one trim at a time (a call meanwhile runs one more after). */
  trim(): Promise<void> {
    if (this.trimming) {
      this.again = true;
      return this.trimming;
    }
    this.trimming = (async () => {
      do {
        this.again = false;
        await this.trimOnce();
      } while (this.again);
    })().finally(() => (this.trimming = undefined));
    return this.trimming;
  }

  private async trimOnce(): Promise<void> {
    // Made by a running job (or one that started at the same tick): not ours yet. A second of slack for coarse clocks.
    const since = this.running.length === 0 ? Infinity : Math.min(...this.running) - 1000;
    const all: { digest: string; path: string; size: number; used: number; made: number }[] = [];
    let total = 0;
    for (const dir of await readdir(this.objects).catch(() => [] as string[])) {
      if (dir.length !== 2) continue;
      for (const rest of await readdir(join(this.objects, dir)).catch(() => [] as string[])) {
        // A temp file is an object being written: not ours to judge.
        if (rest.startsWith(".")) continue;
        const path = join(this.objects, dir, rest);
        const s = await stat(path).catch(() => undefined);
        if (!s?.isFile()) continue;
        all.push({ digest: dir + rest, path, size: s.size, used: this.used.get(dir + rest) ?? s.mtimeMs, made: s.ctimeMs });
        total += s.size;
      }
    }
    if (total <= this.maxBytes) return;
    all.sort((a, b) => a.used - b.used);
    for (const o of all) {
      if (total <= this.maxBytes) break;
      if (this.held.has(o.digest) || o.made >= since) continue;
      await rm(o.path, { force: true });
      this.used.delete(o.digest);
      total -= o.size;
      this.removed = { objects: this.removed.objects + 1, bytes: this.removed.bytes + o.size };
    }
  }
}
