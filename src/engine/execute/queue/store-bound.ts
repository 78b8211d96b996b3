/**
 * A size bound on a worker's object store (`dramake worker --max-store`). A
 * worker keeps no lockfile and no action records: its store is only a local
 * copy of what the remote cache holds (inputs it fetched, outputs it put
 * there), so anything in it may go; a long-lived worker would otherwise grow
 * its disk without bound. After each job the least recently used objects are
 * removed until the store fits again, never one a running job reads or makes.
 * "Used" is the last time a job of this process held it (`hold`), else the
 * file's mtime: kept in memory, since touching the file would make the stat
 * cache hash it again.
 */
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";

export class StoreBound {
  /** Digest -> how many running jobs hold it. */
  private readonly held = new Map<string, number>();
  /** Digest -> when a job last held it (ms since the epoch). */
  private readonly used = new Map<string, number>();
  private trimming: Promise<void> | undefined;
  private again = false;
  /** What the last trim removed, for the worker's log and tests. */
  removed = { objects: 0, bytes: 0 };

  constructor(
    /** The store's objects directory (`ab/cdef…` under it). */
    private readonly objects: string,
    private readonly maxBytes: number,
  ) {}

  hold(digests: Iterable<string>): void {
    const now = Date.now();
    for (const d of digests) {
      this.held.set(d, (this.held.get(d) ?? 0) + 1);
      this.used.set(d, now);
    }
  }

  release(digests: Iterable<string>): void {
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
    const all: { digest: string; path: string; size: number; used: number }[] = [];
    let total = 0;
    for (const dir of await readdir(this.objects).catch(() => [] as string[])) {
      if (dir.length !== 2) continue;
      for (const rest of await readdir(join(this.objects, dir)).catch(() => [] as string[])) {
        // A temp file is an object being written: not ours to judge.
        if (rest.startsWith(".")) continue;
        const path = join(this.objects, dir, rest);
        const s = await stat(path).catch(() => undefined);
        if (!s?.isFile()) continue;
        all.push({ digest: dir + rest, path, size: s.size, used: this.used.get(dir + rest) ?? s.mtimeMs });
        total += s.size;
      }
    }
    if (total <= this.maxBytes) return;
    all.sort((a, b) => a.used - b.used);
    for (const o of all) {
      if (total <= this.maxBytes) break;
      if (this.held.has(o.digest)) continue;
      await rm(o.path, { force: true });
      this.used.delete(o.digest);
      total -= o.size;
      this.removed = { objects: this.removed.objects + 1, bytes: this.removed.bytes + o.size };
    }
  }
}
