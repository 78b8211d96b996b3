/**
 * Graph checks before anything runs (wireit's analyzer): unique ids, known
 * inputs, no cycles. A cycle is refused with the cycle spelled out, since
 * "cycle detected" alone sends the user hunting.
 */
import type { StepSpec } from "./step.js";
import { err, ok, type Result } from "../result.js";
import type { StepGroup } from "./targets.js";

export type GraphFailure =
  | { readonly kind: "duplicate-step"; readonly id: string }
  | { readonly kind: "unknown-input"; readonly id: string; readonly input: string }
  | { readonly kind: "cycle"; readonly cycle: readonly string[] };

export interface CheckedGraph {
  /** Steps in a topological order (inputs before the steps that read them). */
  readonly order: readonly StepSpec[];
  readonly byId: ReadonlyMap<string, StepSpec>;
  /** Step id -> ids of the steps that read its outputs. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

export function checkGraph(steps: readonly StepSpec[]): Result<CheckedGraph, GraphFailure> {
  const byId = new Map<string, StepSpec>();
  for (const s of steps) {
    if (byId.has(s.id)) return err({ kind: "duplicate-step", id: s.id });
    byId.set(s.id, s);
  }
  const dependents = new Map<string, string[]>();
  for (const s of steps) dependents.set(s.id, []);
  for (const s of steps) {
    for (const input of s.inputs) {
      const list = dependents.get(input);
      if (!list) return err({ kind: "unknown-input", id: s.id, input });
      list.push(s.id);
    }
  }
  // Iterative DFS with colours; the grey stack is the path, so a back edge names the cycle.
  const colour = new Map<string, 1 | 2>();
  const order: StepSpec[] = [];
  for (const start of steps) {
    if (colour.has(start.id)) continue;
    const stack: { step: StepSpec; next: number }[] = [{ step: start, next: 0 }];
    colour.set(start.id, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.step.inputs.length) {
        const input = byId.get(top.step.inputs[top.next++]!)!;
        const c = colour.get(input.id);
        if (c === 1) {
          const from = stack.findIndex((f) => f.step.id === input.id);
          return err({ kind: "cycle", cycle: [...stack.slice(from).map((f) => f.step.id), input.id] });
        }
        if (c === undefined) {
          colour.set(input.id, 1);
          stack.push({ step: input, next: 0 });
        }
      } else {
        colour.set(top.step.id, 2);
        order.push(top.step);
        stack.pop();
      }
    }
  }
  return ok({ order, byId, dependents });
}

export function describeGraphFailure(f: GraphFailure): string {
  switch (f.kind) {
    case "duplicate-step":
      return `two steps have the id '${f.id}'; step ids must be unique`;
    case "unknown-input":
      return `step '${f.id}' reads '${f.input}', which is not a step in this graph`;
    case "cycle":
      // Inputs point upstream, so print the cycle in data-flow order.
      return `the steps form a cycle: ${[...f.cycle].reverse().join(" -> ")}`;
  }
}

/** Steps whose id is `pattern` or lies under it (`scene/a` matches `scene/a/clip`). */
export function matchSteps(steps: Iterable<string>, pattern: string): string[] {
  const prefix = pattern.endsWith("/") ? pattern : `${pattern}/`;
  return [...steps].filter((id) => id === pattern || id.startsWith(prefix));
}

/** What the engine builds. `BuildGraph` from src/graph satisfies it structurally. */
export interface EngineGraph {
  /** Project directory: `.dramake/`, `build/` and `drama.lock` live here. */
  readonly root: string;
  readonly steps: readonly StepSpec[];
  /** Concurrency per pool name; pools not listed get the number of cores. */
  readonly pools: Readonly<Record<string, number>>;
  readonly budget?: number;
  /** The final output, build-relative. */
  readonly output?: string;
  /**
   * Files the graph was read from: the no-op fast path watches their stat data.
   * May name files that do not exist (a project's `.env`): their appearing is a change.
   */
  readonly configFiles?: readonly string[];
  /**
   * Names of environment variables the graph's parameters depend on (e.g. a
   * `${OPENAI_BASE_URL}` in the project file). The no-op snapshot keeps a hash
   * of their values, so changing one forces the full path. Never list secrets:
   * they are not part of any key anyway.
   */
  readonly env?: readonly string[];
  /** Named step groups (a series' episodes): costed apart in plan and summary, each with an optional budget. */
  readonly groups?: readonly StepGroup[];
}
