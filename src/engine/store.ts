/**
 * Content-addressed object store: `.dramake/cache/objects/ab/cdef…`, one file
 * per distinct output, read-only so a hardlink in build/ cannot be edited into
 * corrupting it. Objects enter by rename from a temp file in the same
 * directory; readers verify size and digest (through the stat cache, so an
 * unchanged object is not re-read) and treat a mismatch as a miss.
 */
import { dirname, relative, sep } from "node:path";
import { disk } from "../disk.js";
import type { Artifact } from "./step.js";
import { tempBeside } from "./atomic.js";
import { digestBytes, digestFile } from "./hash.js";
import { objectPath, type Layout } from "./layout.js";
import { statFile, type StatCache } from "./stat-cache.js";

export type ObjectState = "ok" | "missing" | "corrupt";

/** A digest as the engine writes them: for these, objectPath is plain concatenation (nothing to normalize). */
const HEX = /^[0-9a-f]{3,64}$/;

export class ObjectStore {
  /** `objects/` absolute and project-relative: path.join and path.relative per object show up over 10,000 steps. */
  private readonly absolute: string;
  private readonly relative: string;

  /** Objects this command found intact by their stat data (digest -> size); a failed verify takes one out. */
  private readonly intact = new Map<string, number>();

  constructor(
    private readonly l: Layout,
    private readonly stats: StatCache,
  ) {
    this.absolute = l.objects + sep;
    this.relative = relative(l.root, l.objects) + sep;
  }

  path(digest: string): string {
    return HEX.test(digest) ? this.absolute + digest.slice(0, 2) + sep + digest.slice(2) : objectPath(this.l, digest);
  }

  artifact(digest: string, size: number): Artifact {
    return { digest, size, path: this.path(digest) };
  }

  /** Moves `file` into the store (it is consumed). Copies when rename cannot (another device). */
  async putFile(file: string): Promise<Artifact> {
    const { digest, size } = await digestFile(file);
    return this.adopt(file, digest, size);
  }

  /** `putFile` for a file whose digest the caller has just computed (a verified download). */
  async adopt(file: string, digest: string, size: number): Promise<Artifact> {
    const fs = disk();
    const target = this.path(digest);
    await fs.mkdir(dirname(target));
    const temp = tempBeside(target);
    try {
      await fs.rename(file, temp);
    } catch (error) {
      if ((error as { code?: string }).code !== "EXDEV") throw error;
      await fs.copyFile(file, temp);
      await fs.remove(file);
    }
    return this.commit(temp, target, digest, size);
  }

  async putBytes(bytes: Uint8Array): Promise<Artifact> {
    const digest = await digestBytes(bytes);
    const fs = disk();
    const target = this.path(digest);
    await fs.mkdir(dirname(target));
    const temp = tempBeside(target);
    try {
      await fs.writeFile(temp, bytes);
    } catch (error) {
      // A short write (ENOSPC) must not leave a partial temp behind.
      await fs.remove(temp);
      throw error;
    }
    return this.commit(temp, target, digest, bytes.byteLength);
  }

  private async commit(temp: string, target: string, digest: string, size: number): Promise<Artifact> {
    const fs = disk();
    try {
      await fs.chmod(temp, 0o444);
      // Renaming over an existing object with equal content is harmless and
      // also repairs one that was corrupted on disk.
      await fs.rename(temp, target);
    } catch (error) {
      await fs.remove(temp);
      throw error;
    }
    const s = await statFile(target);
    if (s) this.stats.remember(this.statName(digest), s, digest, "immutable");
    return this.artifact(digest, size);
  }

  /** `check` when the stat cache can answer without hashing (the no-op case): no promise. */
  checkKnown(digest: string, size: number): ObjectState | undefined {
    // Steps that made the same bytes share one object: stat it once per command (ninja stats a node once per run).
    if (this.intact.get(digest) === size) return "ok";
    const found = this.stats.known(this.statName(digest), this.path(digest));
    if (found === undefined || found === "missing") return found;
    const state = found.size === size && found.digest === digest ? "ok" : "corrupt";
    if (state === "ok") this.intact.set(digest, size);
    return state;
  }

  /** Is the object there with the expected size and content? */
  async check(digest: string, size: number): Promise<ObjectState> {
    const found = await this.stats.digest(this.statName(digest), this.path(digest));
    if (!found) return "missing";
    return found.size === size && found.digest === digest ? "ok" : "corrupt";
  }

  /**
   * Full check before an object is restored (handed to a running step or
   * linked into build/): reads and hashes it whatever its stat data say, since
   * bit rot keeps mtime and size. A bad object is removed so it is rewritten.
   */
  async verify(digest: string, size: number): Promise<ObjectState> {
    const path = this.path(digest);
    const s = await statFile(path);
    if (!s) {
      this.intact.delete(digest);
      return "missing";
    }
    const found = await digestFile(path);
    if (found.digest === digest && found.size === size) {
      this.stats.remember(this.statName(digest), s, digest, "immutable");
      return "ok";
    }
    this.intact.delete(digest);
    this.stats.forget(this.statName(digest));
    await disk().remove(path);
    return "corrupt";
  }

  private statName(digest: string): string {
    return HEX.test(digest) ? this.relative + digest.slice(0, 2) + sep + digest.slice(2) : relative(this.l.root, this.path(digest));
  }
}
