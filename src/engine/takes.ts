/**
 * The takes of a step kept in the action cache (StepSpec.take). Records of
 * one step that differ only in their take are one family: the takes a
 * director compares, `gc` keeps together, and `retake` counts on from.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ActionRecord, OutputRef } from "./actions.js";
import { canonicalJson } from "./canonical.js";
import { layout } from "./layout.js";
import { readLockfile } from "./lockfile.js";
import type { Json } from "./step.js";

export interface Take {
  readonly take: number;
  readonly key: string;
  readonly cost: number;
  readonly outputs: Readonly<Record<string, OutputRef>>;
  /** Same family: takes of the same step from the same parameters and inputs. */
  readonly family: string;
  readonly created: string;
  /** The parameters it was made with (what was asked of the provider: the prompt's parts). */
  readonly params: Json;
}

/** A record's identity apart from its take. */
export function takeFamily(r: Pick<ActionRecord, "id" | "kind" | "version" | "params" | "inputs" | "files">): string {
  return canonicalJson({ id: r.id, kind: r.kind, version: r.version, params: r.params, inputs: r.inputs, files: r.files });
}

/** Every take of step `id` in the local action cache, in take order. */
export async function listTakes(root: string, id: string): Promise<Take[]> {
  return takesOf(root, new Set([id])).get(id) ?? [];
}

/**
 * The takes of several steps in one pass over the action cache, each step's
 * in take order. Every record is read (an index would be one more file to
 * keep consistent), synchronously as readAction does: the storyboard asks
 * after every build, and for thousands of tiny records one blocking read
 * each costs a fraction of the promise API's round trips (bench/takes). A
 * record of another step is skipped by its id before it is parsed.
 */
function takesOf(root: string, ids: ReadonlySet<string>): Map<string, Take[]> {
  const dir = layout(root).actions;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return new Map();
  }
  const found = new Map<string, Take[]>();
  for (const name of names) {
    if (name.startsWith(".tmp-")) continue;
    try {
      const text = readFileSync(join(dir, name), "utf8");
      if (!ids.has(recordId(text) ?? "")) continue;
      const r = JSON.parse(text) as ActionRecord;
      if (!ids.has(r.id) || r.key !== name) continue;
      const take: Take = { take: r.take ?? 1, key: r.key, cost: r.cost, outputs: r.outputs, family: takeFamily(r), created: r.created, params: r.params };
      found.set(r.id, [...(found.get(r.id) ?? []), take]);
    } catch {
      // An unreadable record is no take.
    }
  }
  for (const takes of found.values()) takes.sort((a, b) => a.take - b.take || a.created.localeCompare(b.created));
  return found;
}

/** A record's step id without parsing it (writeAction writes `"id":` among the first fields), or undefined. */
function recordId(text: string): string | undefined {
  const at = text.indexOf('"id":');
  if (at < 0) return undefined;
  try {
    // The id is a JSON string: read just that token.
    const start = at + 5;
    let end = start + 1;
    while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
    return JSON.parse(text.slice(start, end + 1)) as string;
  } catch {
    return undefined;
  }
}

export interface StepTakes {
  /** The take drama.lock says the last build used, when its record is still in the cache. */
  readonly chosen?: Take;
  /**
   * The takes made from the same parameters and inputs as the chosen one,
   * one per take number: the ones choosing restores for nothing, the ones a
   * director compares.
   */
  readonly family: readonly Take[];
  /** Every take of the step ever recorded (other inputs too): what a new take's number counts on from. */
  readonly all: readonly Take[];
}

/** For each step id, its takes as drama.lock's last build sees them. */
export async function chosenTakes(root: string, ids: readonly string[]): Promise<Map<string, StepTakes>> {
  const lock = await readLockfile(layout(root).lockfile);
  const all = takesOf(root, new Set(ids));
  const out = new Map<string, StepTakes>();
  for (const id of ids) {
    const takes = all.get(id) ?? [];
    const key = lock.get(id)?.key;
    const chosen = takes.find((t) => t.key === key);
    // Two records of one take number and family cannot differ in key; keep the first of each number anyway.
    const family = chosen ? takes.filter((t, i) => t.family === chosen.family && takes.findIndex((u) => u.family === t.family && u.take === t.take) === i) : [];
    out.set(id, { ...(chosen ? { chosen } : {}), family, all: takes });
  }
  return out;
}

/** The number of a new take: one past every take ever made of the step, and past the one chosen. */
export function nextTake(takes: readonly Take[], chosen: number): number {
  return Math.max(chosen, ...takes.map((t) => t.take)) + 1;
}
