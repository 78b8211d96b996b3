/**
 * `clean` and `gc` (DVC gc, wireit #71). gc keeps whatever drama.lock
 * references (its keys, their records and objects) and removes the rest; with
 * a size cap it instead keeps unreferenced history too, evicting the least
 * recently used records (record mtime = last use) until the store fits.
 * Both run under the project lock, so no build is writing meanwhile, which
 * also makes leftover temp files from killed builds safe to sweep.
 */
import { readdir, readFile, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ok, type Result } from "../result.js";
import { layout, type Layout } from "./layout.js";
import { readLockfile } from "./lockfile.js";
import type { ActionRecord } from "./actions.js";
import { acquireProjectLock, type LockFailure, type LockOptions } from "./project-lock.js";
import { dropNoopSnapshot } from "./noop.js";
import { dropActionIndex } from "./action-index.js";
import { isMissing } from "./stat-cache.js";
import { takeFamily } from "./takes.js";

export interface GcOptions extends LockOptions {
  /** Bytes; keep unreferenced entries while the store fits, evicting least recently used first. */
  readonly maxSize?: number;
  /** Count what would go, remove nothing (`gc --dry-run`). */
  readonly dryRun?: boolean;
  /**
   * Also remove the takes drama.lock does not choose. Without it every take of
   * a locked step (the same step, parameters and inputs, another take) is kept:
   * a director may go back to one without paying for it again.
   */
  readonly dropTakes?: boolean;
}

export interface GcReport {
  readonly removedActions: number;
  readonly removedObjects: number;
  readonly freedBytes: number;
  readonly keptBytes: number;
  /** Set when what drama.lock references alone exceeds the cap (never evicted). */
  readonly referencedOverCap: boolean;
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

interface ObjectInfo {
  readonly path: string;
  readonly size: number;
}

async function scanObjects(l: Layout): Promise<{ objects: Map<string, ObjectInfo>; temps: string[] }> {
  const objects = new Map<string, ObjectInfo>();
  const temps: string[] = [];
  for (const fan of await list(l.objects)) {
    for (const name of await list(join(l.objects, fan))) {
      const path = join(l.objects, fan, name);
      if (name.startsWith(".tmp-")) temps.push(path);
      else objects.set(fan + name, { path, size: (await stat(path)).size });
    }
  }
  return { objects, temps };
}

export async function gc(root: string, options: GcOptions = {}): Promise<Result<GcReport, LockFailure>> {
  const l = layout(root);
  const held = await acquireProjectLock(l.dramake, options);
  if (!held.ok) return held;
  const dry = options.dryRun === true;
  try {
    if (!dry) {
      dropActionIndex(l);
      await dropNoopSnapshot(l);
    }
    const lock = await readLockfile(l.lockfile);
    const pinnedKeys = new Set([...lock.values()].map((e) => e.key));
    const pinnedDigests = new Set([...lock.values()].flatMap((e) => Object.values(e.outputs).map((o) => o.digest)));

    const { objects, temps } = await scanObjects(l);
    const records: { key: string; path: string; size: number; used: number; digests: string[]; family?: string }[] = [];
    for (const name of await list(l.actions)) {
      const path = join(l.actions, name);
      if (name.startsWith(".tmp-")) {
        temps.push(path);
        continue;
      }
      const [text, s] = await Promise.all([readFile(path, "utf8"), stat(path)]);
      let digests: string[] = [];
      let family: string | undefined;
      try {
        const record = JSON.parse(text) as ActionRecord;
        digests = Object.values(record.outputs).map((o) => o.digest);
        family = takeFamily(record);
      } catch {
        // An unreadable record references nothing and is removed below.
      }
      records.push({ key: name, path, size: s.size, used: s.mtimeMs, digests, ...(family === undefined ? {} : { family }) });
    }
    // Temp files a killed process left beside the lockfile, the stat cache or a journal.
    for (const dir of [l.root, l.dramake, l.journals]) {
      for (const name of await list(dir)) if (name.startsWith(".tmp-")) temps.push(join(dir, name));
    }
    if (!dry) await Promise.all([...temps.map((t) => rm(t, { force: true })), rm(l.tmp, { recursive: true, force: true })]);

    if (!options.dropTakes) {
      // Every take of a locked step is as good as locked.
      const lockedFamilies = new Set(records.flatMap((r) => (pinnedKeys.has(r.key) && r.family !== undefined ? [r.family] : [])));
      for (const r of records) if (r.family !== undefined && lockedFamilies.has(r.family)) pinnedKeys.add(r.key);
    }
    // Reference counts of objects by kept records.
    const refs = new Map<string, number>();
    for (const r of records) for (const d of r.digests) refs.set(d, (refs.get(d) ?? 0) + 1);
    const referenced = (d: string) => pinnedDigests.has(d) || (refs.get(d) ?? 0) > 0;

    let removedActions = 0;
    let removedObjects = 0;
    let freed = 0;
    const removeObject = async (d: string) => {
      const o = objects.get(d);
      if (!o) return;
      if (!dry) await rm(o.path, { force: true });
      objects.delete(d);
      removedObjects++;
      freed += o.size;
    };
    const removeRecord = async (r: (typeof records)[number]) => {
      if (!dry) await rm(r.path, { force: true });
      removedActions++;
      freed += r.size;
      for (const d of r.digests) {
        const n = (refs.get(d) ?? 1) - 1;
        refs.set(d, n);
        if (!referenced(d)) await removeObject(d);
      }
    };

    const candidates = records.filter((r) => !pinnedKeys.has(r.key)).sort((a, b) => a.used - b.used);
    const total = () => [...objects.values()].reduce((a, o) => a + o.size, 0) + records.reduce((a, r) => a + r.size, 0);
    for (const d of [...objects.keys()]) if (!referenced(d)) await removeObject(d);
    if (options.maxSize === undefined) {
      for (const r of candidates) await removeRecord(r);
      records.length = 0;
    } else {
      for (const r of candidates) {
        if (total() <= options.maxSize) break;
        await removeRecord(r);
        records.splice(records.indexOf(r), 1);
      }
    }
    const kept = [...objects.values()].reduce((a, o) => a + o.size, 0);
    return ok({
      removedActions,
      removedObjects,
      freedBytes: freed,
      keptBytes: kept,
      referencedOverCap: options.maxSize !== undefined && kept > options.maxSize,
    });
  } finally {
    await held.value.release();
  }
}

export interface CleanOptions extends LockOptions {
  /** Also remove .dramake/ (cache, stat cache, journals): the next build pays again for whatever drama.lock does not hold elsewhere. */
  readonly all?: boolean;
}

export interface CleanReport {
  /** build/ existed and is gone. */
  readonly removed: boolean;
  /** .dramake/ held more than the lock and is gone (only with `all`). */
  readonly removedCache: boolean;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Removes build/ (outputs are hardlinks or copies; the store keeps the originals), and with `all` the whole .dramake/. */
export async function clean(root: string, options: CleanOptions = {}): Promise<Result<CleanReport, LockFailure>> {
  const l = layout(root);
  const held = await acquireProjectLock(l.dramake, options);
  if (!held.ok) return held;
  let removedCache = false;
  try {
    await dropNoopSnapshot(l);
    const existed = await exists(l.buildDir);
    await rm(l.buildDir, { recursive: true, force: true });
    if (options.all) {
      // Everything but the lock we hold, so no other command starts on a half-removed cache; the lock and the directory go last.
      const rest = (await list(l.dramake)).filter((name) => join(l.dramake, name) !== l.lock);
      await Promise.all(rest.map((name) => rm(join(l.dramake, name), { recursive: true, force: true })));
      removedCache = rest.length > 0;
    }
    return ok({ removed: existed, removedCache });
  } finally {
    await held.value.release();
    // Left in place if another command created its lock meanwhile (rmdir refuses a non-empty directory).
    if (options.all) await rmdir(l.dramake).catch(() => undefined);
  }
}



