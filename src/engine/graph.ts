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
  // Steps by position, colours and the DFS stack in plain arrays: this runs on every plan and build,
  // and Maps of colours and a stack of frame objects were a tenth of a 10,000-step plan.
  const byId = new Map<string, StepSpec>();
  const at = new Map<string, number>();
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (at.has(s.id)) return err({ kind: "duplicate-step", id: s.id });
    at.set(s.id, i);
    byId.set(s.id, s);
  }
  for (const s of steps) {
    for (const input of s.inputs) if (!at.has(input)) return err({ kind: "unknown-input", id: s.id, input });
  }
  // Iterative DFS with colours (1 grey, 2 black); the grey stack is the path, so a back edge names the cycle.
  const colour = new Uint8Array(steps.length);
  const order: StepSpec[] = [];
  const stack: number[] = [];
  const next: number[] = [];
  for (let start = 0; start < steps.length; start++) {
    if (colour[start] !== 0) continue;
    stack.push(start);
    next.push(0);
    colour[start] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const step = steps[stack[top]!]!;
      if (next[top]! < step.inputs.length) {
        const input = at.get(step.inputs[next[top]!++]!)!;
        if (colour[input] === 1) {
          const from = stack.indexOf(input);
          return err({ kind: "cycle", cycle: [...stack.slice(from).map((i) => steps[i]!.id), steps[input]!.id] });
        }
        if (colour[input] === 0) {
          colour[input] = 1;
          stack.push(input);
          next.push(0);
        }
      } else {
        colour[stack[top]!] = 2;
        order.push(step);
        stack.pop();
        next.pop();
      }
    }
  }
  // Only a caller that walks downstream needs it: made on first use.
  let dependents: Map<string, string[]> | undefined;
  return ok({
    order,
    byId,
    get dependents(): ReadonlyMap<string, readonly string[]> {
      if (!dependents) {
        const made = new Map<string, string[]>();
        for (const s of steps) made.set(s.id, []);
        for (const s of steps) for (const input of s.inputs) made.get(input)!.push(s.id);
        dependents = made;
      }
      return dependents;
    },
  });
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
