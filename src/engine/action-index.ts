/**
 * One file holding what the last whole build's action records say about their
 * hits (key, outputs, cost: not the parameters `explain` reads), so `plan`
 * (and the build after it) over ten thousand steps reads one file instead of
 * ten thousand: ninja's single .ninja_log, as a cache in front of
 * `.dramake/cache/actions/<key>`.
 *
 * It is trusted only while the actions directory is as it was when the index
 * was written (same mtime and inode): every record is written by a rename
 * into that flat directory and every removal unlinks one there, and either
 * changes its mtime. A build drops the index before it writes anything and
 * writes it again after the whole graph is done, under the project lock, so
 * no record can arrive between the write and the stat that vouches for it,
 * and only once the directory's mtime is a clock tick old.
 * On any doubt the index is ignored: the per-key files stay the truth.
 */
import { readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { actionHit, type ActionHit } from "./actions.js";
import { writeFileAtomic } from "./atomic.js";
import type { Layout } from "./layout.js";

interface IndexFile {
  readonly v: 1;
  readonly dir: { readonly mtimeMs: number; readonly ino: number };
  readonly records: Readonly<Record<string, ActionHit>>;
}

const indexPath = (l: Layout): string => join(l.dramake, "actions-index.json");

/** The hits of the last whole build by key. */
export interface ActionIndex {
  get(key: string): ActionHit | undefined;
}

const EMPTY: ActionIndex = { get: () => undefined };

/**
 * The hits of a valid index by key; empty when there is none or it no longer
 * matches the directory. Looked up in the parsed object itself: a Map of it
 * would copy ten thousand entries that a plan reads once each.
 */
export function loadActionIndex(l: Layout): ActionIndex {
  try {
    const dir = statSync(l.actions, { throwIfNoEntry: false });
    if (!dir) return EMPTY;
    const index = JSON.parse(readFileSync(indexPath(l), "utf8")) as IndexFile;
    if (index.v !== 1 || index.dir.mtimeMs !== dir.mtimeMs || index.dir.ino !== dir.ino) return EMPTY;
    const records = index.records;
    return { get: (key) => (Object.hasOwn(records, key) ? records[key] : undefined) };
  } catch {
    return EMPTY;
  }
}

export function dropActionIndex(l: Layout): void {
  rmSync(indexPath(l), { force: true });
}

/**
 * Directory times come from the kernel's coarse clock: a change within the
 * same tick as the last record write would leave the mtime as it is. Past
 * this margin, any later change shows.
 */
const TICK_MS = 25;

/** Called with the project lock held, after the build's last record write. */
export async function writeActionIndex(l: Layout, records: Iterable<ActionHit>): Promise<void> {
  let dir = statSync(l.actions, { throwIfNoEntry: false });
  if (!dir) return;
  const wait = dir.mtimeMs + TICK_MS - Date.now();
  if (wait > 0) {
    await sleep(Math.ceil(wait));
    dir = statSync(l.actions, { throwIfNoEntry: false });
    if (!dir) return;
  }
  const byKey: Record<string, ActionHit> = {};
  for (const r of records) byKey[r.key] = actionHit(r);
  const index: IndexFile = { v: 1, dir: { mtimeMs: dir.mtimeMs, ino: dir.ino }, records: byKey };
  await writeFileAtomic(indexPath(l), JSON.stringify(index));
}
