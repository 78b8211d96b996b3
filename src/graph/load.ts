/**
 * Turns a project (dir or drama.yaml) into the engine's step graph.
 * Owned by the graph work (issue 4); this stub fixes the signature the CLI uses.
 */
import type { Result } from "../result.js";
import type { StepSpec } from "../engine/step.js";

export interface BuildGraph {
  /** Project directory: the engine keeps `.dramake/`, `build/` and `drama.lock` here. */
  readonly root: string;
  /** The project file and every file it references: the no-op fast path stats them. */
  readonly configFiles: readonly string[];
  readonly steps: readonly StepSpec[];
  /** Concurrency per pool name. Pools not listed default to the number of cores. */
  readonly pools: Readonly<Record<string, number>>;
  /** Budget in USD from the project file, if any. */
  readonly budget?: number;
  /** The final output, build-relative (e.g. `new-year-surprise.mp4`). */
  readonly output?: string;
}

export interface LoadOptions {
  /** Force the offline provider for every modality. */
  readonly offline?: boolean;
}

/** A printable failure: already formatted diagnostics (file:line:col, frame, what is allowed). */
export interface LoadFailure {
  readonly message: string;
}

export async function loadBuildGraph(_target: string, _options: LoadOptions = {}): Promise<Result<BuildGraph, LoadFailure>> {
  return { ok: false, error: { message: "the drama step graph is not built yet" } };
}
