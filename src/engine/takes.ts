/**
 * The takes of a step kept in the action cache (StepSpec.take). Records of
 * one step that differ only in their take are one family: the takes a
 * director compares, `gc` keeps together, and `retake` counts on from.
 */
import { readdir, readFile } from "node:fs/promises";
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

/**
 * Every take of step `id` in the local action cache, in take order. Reads
 * every record: a retake or a storyboard is rare next to a build, and an
 * index would be one more file to keep consistent.
 */
export async function listTakes(root: string, id: string): Promise<Take[]> {
  return (await takesOf(root, new Set([id]))).get(id) ?? [];
}

/** The takes of several steps in one pass over the action cache, each step's in take order. */
async function takesOf(root: string, ids: ReadonlySet<string>): Promise<Map<string, Take[]>> {
  const dir = layout(root).actions;
  const names = await readdir(dir).catch(() => [] as string[]);
  const found = new Map<string, Take[]>();
  await Promise.all(
    names
      .filter((n) => !n.startsWith(".tmp-"))
      .map(async (name) => {
        try {
          const r = JSON.parse(await readFile(join(dir, name), "utf8")) as ActionRecord;
          if (!ids.has(r.id) || r.key !== name) return;
          const take: Take = { take: r.take ?? 1, key: r.key, cost: r.cost, outputs: r.outputs, family: takeFamily(r), created: r.created, params: r.params };
          found.set(r.id, [...(found.get(r.id) ?? []), take]);
        } catch {
          // An unreadable record is no take.
        }
      }),
  );
  for (const takes of found.values()) takes.sort((a, b) => a.take - b.take || a.created.localeCompare(b.created));
  return found;
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
  const [lock, all] = await Promise.all([readLockfile(layout(root).lockfile), takesOf(root, new Set(ids))]);
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
