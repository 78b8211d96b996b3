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

export interface Take {
  readonly take: number;
  readonly key: string;
  readonly cost: number;
  readonly outputs: Readonly<Record<string, OutputRef>>;
  /** Same family: takes of the same step from the same parameters and inputs. */
  readonly family: string;
  readonly created: string;
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
  const dir = layout(root).actions;
  const names = await readdir(dir).catch(() => [] as string[]);
  const takes: Take[] = [];
  await Promise.all(
    names
      .filter((n) => !n.startsWith(".tmp-"))
      .map(async (name) => {
        try {
          const r = JSON.parse(await readFile(join(dir, name), "utf8")) as ActionRecord;
          if (r.id !== id || r.key !== name) return;
          takes.push({ take: r.take ?? 1, key: r.key, cost: r.cost, outputs: r.outputs, family: takeFamily(r), created: r.created });
        } catch {
          // An unreadable record is no take.
        }
      }),
  );
  return takes.sort((a, b) => a.take - b.take || a.created.localeCompare(b.created));
}

/** The number of a new take: one past every take ever made of the step, and past the one chosen. */
export function nextTake(takes: readonly Take[], chosen: number): number {
  return Math.max(chosen, ...takes.map((t) => t.take)) + 1;
}
