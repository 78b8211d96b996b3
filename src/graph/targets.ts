/**
 * `--target` names, checked before anything runs: a step id or a prefix of
 * one (`episode/02`, `cast/mei`). An unknown one is the user's typo, so it is
 * answered with the nearest id or prefix there is.
 */
import { matchSteps } from "../engine/graph.js";
import type { StepSpec } from "../engine/step.js";
import { closest } from "../project/suggest.js";

export interface UnknownTarget {
  readonly pattern: string;
  readonly suggestion?: string;
}

/** Every step id and every prefix of one: what a target may name. */
function targetNames(steps: readonly StepSpec[]): Set<string> {
  const names = new Set<string>();
  for (const { id } of steps) {
    const parts = id.split("/");
    for (let i = 1; i <= parts.length; i++) names.add(parts.slice(0, i).join("/"));
  }
  return names;
}

/** The first pattern that names no step, with the nearest name that does; undefined when all are known. */
export function unknownTarget(steps: readonly StepSpec[], patterns: readonly string[]): UnknownTarget | undefined {
  const ids = steps.map((s) => s.id);
  const missing = patterns.find((p) => matchSteps(ids, p.replace(/\/+$/, "")).length === 0);
  if (missing === undefined) return undefined;
  const suggestion = closest(missing.replace(/\/+$/, ""), targetNames(steps));
  return { pattern: missing, ...(suggestion !== undefined ? { suggestion } : {}) };
}

export function describeUnknownTarget(u: UnknownTarget): string {
  return `--target ${u.pattern}: no step has this id or lies under it${u.suggestion !== undefined ? ` (did you mean '${u.suggestion}'?)` : ""}`;
}
