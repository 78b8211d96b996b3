/**
 * `drama.lock`, committed beside the project: per step its key and output
 * digests. JSON, sorted, one step per line and free of times, so an edit shows
 * in `git diff` as exactly the steps it touched.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./atomic.js";
import type { OutputRef } from "./actions.js";

export interface LockEntry {
  readonly key: string;
  readonly outputs: Readonly<Record<string, OutputRef>>;
  /** The chosen take, when above 1: a reviewer sees "take 2" in the diff. */
  readonly take?: number;
}

export type Lockfile = ReadonlyMap<string, LockEntry>;

export async function readLockfile(path: string): Promise<Map<string, LockEntry>> {
  return lockEntries(await readFile(path, "utf8").catch(() => undefined));
}

/** `readLockfile` in one blocking read, for a caller that wants it only on demand (plan, when a step is not cached). */
export function readLockfileSync(path: string): Map<string, LockEntry> {
  try {
    return lockEntries(readFileSync(path, "utf8"));
  } catch {
    return new Map();
  }
}

function lockEntries(text: string | undefined): Map<string, LockEntry> {
  try {
    const parsed = JSON.parse(text ?? "") as { lockfile?: number; steps?: Record<string, LockEntry> };
    if (parsed.lockfile === 1 && parsed.steps) return new Map(Object.entries(parsed.steps));
  } catch {
    // No lockfile yet (or a hand-mangled one): every step counts as new.
  }
  return new Map();
}

/** One line per step: a `git diff` of the lockfile lists exactly the steps that changed. */
export function renderLockfile(entries: Lockfile): string {
  const lines: string[] = [];
  for (const id of [...entries.keys()].sort()) {
    const e = entries.get(id)!;
    const outputs: Record<string, OutputRef> = {};
    for (const name of Object.keys(e.outputs).sort()) {
      const o = e.outputs[name]!;
      outputs[name] = { digest: o.digest, size: o.size };
    }
    lines.push(`    ${JSON.stringify(id)}: ${JSON.stringify({ key: e.key, outputs, ...(e.take !== undefined && e.take > 1 ? { take: e.take } : {}) })}`);
  }
  return `{\n  "lockfile": 1,\n  "steps": {${lines.length ? `\n${lines.join(",\n")}\n  ` : ""}}\n}\n`;
}

/** Writes only when the content changed, so a no-op leaves the file (and git) alone. */
export async function writeLockfile(path: string, entries: Lockfile): Promise<void> {
  const text = renderLockfile(entries);
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== text) await writeFileAtomic(path, text);
}
