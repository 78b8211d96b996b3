/**
 * One build per project at a time (DVC #755): `.dramake/lock` created with
 * O_EXCL holds the owner's pid. A second build waits (saying so once) or, with
 * noWait, fails with who holds it. A lock whose pid is dead on this host is
 * taken over; the takeover itself is serialised through `lock.break` so two
 * waiters cannot both break the same stale lock and both believe they won.
 */
import { mkdir, open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { err, ok, type Result } from "../result.js";

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

export type LockFailure = { readonly kind: "locked"; readonly holder: LockHolder; readonly path: string };

export interface LockOptions {
  readonly noWait?: boolean;
  readonly signal?: AbortSignal;
  /** Called once when we start waiting. */
  readonly onWait?: (holder: LockHolder) => void;
  readonly pollMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

const me = (): LockHolder => ({ pid: process.pid, host: hostname() });

async function tryCreate(path: string): Promise<boolean> {
  try {
    const h = await open(path, "wx");
    await h.writeFile(JSON.stringify(me()));
    await h.close();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === "EEXIST") return false;
    throw error;
  }
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" ? { pid: parsed.pid, host: String(parsed.host ?? "") } : undefined;
  } catch {
    return undefined;
  }
}

function alive(holder: LockHolder): boolean {
  // A pid on another host cannot be checked: assume it lives.
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Remove `path` if it still names a dead holder. Only one breaker at a time. */
async function breakIfStale(path: string): Promise<void> {
  const breaker = `${path}.break`;
  if (!(await tryCreate(breaker))) {
    // A breaker that died mid-break leaves this file; it is young for only moments.
    const s = await stat(breaker).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > 10_000) await rm(breaker, { force: true });
    return;
  }
  try {
    const holder = await readHolder(path);
    if (holder === undefined) {
      // Unreadable: either being written this instant or garbage. Only garbage stays old.
      const s = await stat(path).catch(() => undefined);
      if (s && Date.now() - s.mtimeMs > 2_000) await rm(path, { force: true });
    } else if (!alive(holder)) {
      await rm(path, { force: true });
    }
  } finally {
    await rm(breaker, { force: true });
  }
}

export async function acquireProjectLock(dramakeDir: string, options: LockOptions = {}): Promise<Result<HeldLock, LockFailure>> {
  await mkdir(dramakeDir, { recursive: true });
  const path = `${dramakeDir}/lock`;
  let told = false;
  for (;;) {
    if (await tryCreate(path)) {
      return ok({ release: () => rm(path, { force: true }) });
    }
    await breakIfStale(path);
    if (await tryCreate(path)) return ok({ release: () => rm(path, { force: true }) });
    const holder = (await readHolder(path)) ?? { pid: 0, host: "" };
    if (options.noWait || options.signal?.aborted) return err({ kind: "locked", holder, path });
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 50));
  }
}

export function describeLockFailure(f: LockFailure): string {
  const who = f.holder.pid ? `process ${f.holder.pid}${f.holder.host && f.holder.host !== hostname() ? ` on ${f.holder.host}` : ""}` : "another process";
  return `another dramake command (${who}) is using this project (${f.path}); run again when it ends, or drop --no-wait to wait for it`;
}
