/**
 * The library API: what the CLI calls (DESIGN §5).
 *
 *   import { loadProject, plan, build } from "dramake";
 *   const result = await build("examples/new-year-surprise", { onEvent: console.log });
 *
 * Every function returns a Result: bad input and refused builds are data,
 * never exceptions.
 */
import type { Result } from "./result.js";
import { err } from "./result.js";
import type { BuildFailure, BuildOptions, BuildReport, Plan, PlanFailure, PlanOptions } from "./engine/index.js";
import { build as buildGraph, computePlan } from "./engine/index.js";
import type { LoadFailure, LoadOptions } from "./graph/load.js";
import { loadBuildGraph } from "./graph/load.js";

export type { Result, Ok, Err } from "./result.js";
export { ok, err } from "./result.js";
export * from "./project/index.js";
export type {
  Provider,
  CallContext,
  Usage,
  Size,
  CastMemberRef,
  SpeakerRef,
  LinesRequest,
  PolishRequest,
  PortraitRequest,
  KeyframeRequest,
  KeyframeReference,
  ClipRequest,
  SpeechRequest,
  MusicRequest,
} from "./providers/types.js";
export { registerProvider, providerTypes } from "./providers/registry.js";
export type { ProviderType, ProviderConfig, ProviderSecrets } from "./providers/registry.js";
export { loadBuildGraph } from "./graph/load.js";
export type { BuildGraph, LoadFailure, LoadOptions } from "./graph/load.js";
export { computePlan, describeFailure, describeReason, describeReasons, gc, clean } from "./engine/index.js";
export type {
  Artifact,
  BuildFailure,
  BuildOptions,
  BuildReport,
  BuildSummary,
  EngineEvent,
  Json,
  Plan,
  PlanFailure,
  PlanStep,
  Reason,
  StepContext,
  StepSpec,
  CacheSource,
  RemoteCacheMode,
  RemoteCacheOptions,
  RemoteTally,
} from "./engine/index.js";
export type { StoryboardModel } from "./report/storyboard/index.js";

/** What `build` would run for a project, why, and what it would cost; runs nothing. */
export async function plan(target: string, options: LoadOptions & PlanOptions = {}): Promise<Result<Plan, LoadFailure | PlanFailure>> {
  const graph = await loadBuildGraph(target, options);
  if (!graph.ok) return graph;
  return computePlan(graph.value, options);
}

/** Builds everything out of date in a project (dir or drama.yaml). */
export async function build(
  target: string,
  options: LoadOptions & BuildOptions,
): Promise<Result<BuildReport, LoadFailure | BuildFailure>> {
  const graph = await loadBuildGraph(target, options);
  if (!graph.ok) return err(graph.error);
  return buildGraph(graph.value, options);
}
