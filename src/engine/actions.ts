/**
 * Action cache: `.dramake/cache/actions/<key>` says what a step with that key
 * produced, what it cost and the parameters it ran with (so `explain` can
 * diff them later). Never holds secrets: StepSpec.secrets is not part of it.
 * Last use is the record file's mtime (touched by builds), which keeps hot
 * records from being rewritten just to bump a time.
 */
import { existsSync, readFileSync, utimesSync } from "node:fs";
import type { Json } from "./step.js";
import { writeFileAtomic } from "./atomic.js";
import { actionPath, type Layout } from "./layout.js";

export interface OutputRef {
  readonly digest: string;
  readonly size: number;
}

export interface ActionRecord {
  readonly v: 1;
  readonly key: string;
  readonly id: string;
  readonly kind: string;
  readonly version: number;
  readonly params: Json;
  /** Input step id -> output name -> digest, as hashed into the key. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Input file -> digest, as hashed into the key. */
  readonly files: Readonly<Record<string, string>>;
  readonly outputs: Readonly<Record<string, OutputRef>>;
  /** The take this record is, when above 1 (StepSpec.take). */
  readonly take?: number;
  readonly cost: number;
  readonly ms: number;
  /** Whatever the step journaled (provider job ids), kept for the record. */
  readonly journal: Readonly<Record<string, string>>;
  /** ISO time of the run: records are local, never committed, so a time is fine here. */
  readonly created: string;
}

/** What deciding "cached" and restoring the outputs need of a record: all the action index keeps. */
export type ActionHit = Pick<ActionRecord, "key" | "id" | "outputs" | "cost" | "take">;

export const actionHit = (r: ActionHit): ActionHit => ({ key: r.key, id: r.id, outputs: r.outputs, cost: r.cost, ...(r.take !== undefined ? { take: r.take } : {}) });

/** Actions directories known to exist (none is ever removed while a command runs but by `clean`, which reads nothing after). */
const actionsDirSeen = new Set<string>();

/**
 * Synchronous on purpose: a no-op over thousands of steps reads thousands of
 * tiny records, and one blocking read costs a fraction of the four
 * thread-pool round trips (open, fstat, read, close) of the promise API.
 */
export function readAction(l: Layout, key: string): ActionRecord | undefined {
  // A project never built has no records: a failed open throws (an Error and its stack per step, thousands
  // in a series' first plan), a failed existsSync does not. Asked again each time, so a record written since counts.
  if (!actionsDirSeen.has(l.actions)) {
    if (!existsSync(l.actions)) return undefined;
    actionsDirSeen.add(l.actions);
  }
  try {
    const record = JSON.parse(readFileSync(actionPath(l, key), "utf8")) as ActionRecord;
    return record.v === 1 && record.key === key ? record : undefined;
  } catch {
    // Missing or unreadable (never half-written: writes are atomic) is a miss.
    return undefined;
  }
}

export async function writeAction(l: Layout, record: ActionRecord): Promise<void> {
  await writeFileAtomic(actionPath(l, record.key), `${JSON.stringify(record)}\n`);
}

/** Marks records as used now (their mtime is the LRU clock for `gc --max-size`). */
export function touchActions(l: Layout, keys: readonly string[], when: Date): void {
  for (const key of keys) {
    try {
      utimesSync(actionPath(l, key), when, when);
    } catch {
      // A record collected meanwhile needs no touch.
    }
  }
}
