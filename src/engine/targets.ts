/**
 * Build targets, make-style: a step id or an id prefix (`episode/02`) names
 * the steps under it; a targeted build plans and runs only their cone (the
 * targets and everything they read), and leaves every other step's lockfile
 * entry and build/ output as they are.
 *
 * Step groups: named sets of steps (a series' episodes) whose cost plan and
 * the build summary report on their own, each with an optional budget.
 */
import { err, ok, type Result } from "../result.js";
import { checkGraph, matchSteps, type CheckedGraph } from "./graph.js";
import type { StepSpec } from "./step.js";
import { sum } from "./money.js";

export interface StepGroup {
  readonly name: string;
  /** The group's own steps: what its cost is the sum of. */
  readonly steps: readonly string[];
  /** USD: refused when running the group's steps is estimated to cost more. */
  readonly budget?: number;
  /** Build-relative output the group stands for (an episode's video), reported when built. */
  readonly output?: string;
}

export interface GroupCost {
  readonly estimated: number;
  readonly saved: number;
}

export type TargetFailure = { readonly kind: "unknown-target"; readonly pattern: string };

/** The targets' cone: every step a pattern names, and what those steps read, transitively. */
export function targetCone(checked: CheckedGraph, patterns: readonly string[]): Result<Set<string>, TargetFailure> {
  const ids = [...checked.byId.keys()];
  const cone = new Set<string>();
  const stack: string[] = [];
  for (const pattern of patterns) {
    const hit = matchSteps(ids, pattern);
    if (hit.length === 0) return err({ kind: "unknown-target", pattern });
    stack.push(...hit);
  }
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (cone.has(id)) continue;
    cone.add(id);
    stack.push(...checked.byId.get(id)!.inputs);
  }
  return ok(cone);
}

/** Per group, sums over the steps it owns that are in the plan (a targeted build leaves some out). */
export function groupCosts(
  groups: readonly StepGroup[],
  cost: ReadonlyMap<string, { readonly estimated: number; readonly saved: number }>,
): Record<string, GroupCost> {
  const out: Record<string, GroupCost> = {};
  for (const g of groups) {
    const mine = g.steps.map((id) => cost.get(id)).filter((c) => c !== undefined);
    if (mine.length === 0) continue;
    out[g.name] = { estimated: sum(mine.map((c) => c.estimated)), saved: sum(mine.map((c) => c.saved)) };
  }
  return out;
}

/** The targets' cone of a list of steps (for drawing a subgraph); empty when the graph is broken or a target unknown. */
export function stepCone(steps: readonly StepSpec[], patterns: readonly string[]): Set<string> {
  const checked = checkGraph(steps);
  if (!checked.ok) return new Set();
  const cone = targetCone(checked.value, patterns);
  return cone.ok ? cone.value : new Set();
}
