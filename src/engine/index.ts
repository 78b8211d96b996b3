/**
 * The generic make core: content-hashed steps, object store, action cache,
 * lockfile, stat cache, scheduler, plan/explain, gc. Knows nothing of dramas.
 */
export type { Artifact, Json, StepContext, StepSpec } from "./step.js";
export type { EngineGraph, GraphFailure, CheckedGraph } from "./graph.js";
export type { StepGroup, GroupCost } from "./targets.js";
export { stepCone, targetCone } from "./targets.js";
export { checkGraph, describeGraphFailure, matchSteps } from "./graph.js";
export type { EngineEvent, BuildSummary, StepEndState } from "./events.js";
export type { Reason, FieldChange } from "./reasons.js";
export { describeReason, describeReasons, diffParams, shorten } from "./reasons.js";
export type { Plan, PlanStep, PlanFailure, PlanOptions } from "./plan.js";
export { computePlan } from "./plan.js";
export type { BuildOptions, BuildFailure, BuildReport, KnownFailure, StepFailure } from "./build.js";
export type { Failure, EngineFailure } from "./step-failure.js";
export { StepFailed, failureOf } from "./step-failure.js";
export { build, overBudget } from "./build.js";
export type { StepTakes, Take } from "./takes.js";
export { chosenTakes, listTakes, nextTake, takeFamily } from "./takes.js";
export type { LockFailure, LockHolder } from "./project-lock.js";
export { describeLockFailure } from "./project-lock.js";
export type { CleanOptions, CleanReport, GcOptions, GcReport } from "./gc.js";
export { gc, clean } from "./gc.js";
export type { NoopIdentity, NoopHit } from "./noop.js";
export { checkNoop } from "./noop.js";
export type { LockEntry } from "./lockfile.js";
export { readLockfile } from "./lockfile.js";
export { canonicalJson } from "./canonical.js";
export { layout } from "./layout.js";
export { describeFailure } from "./failures.js";
export type { CacheSource } from "./cache/cache.js";
export type { RemoteCacheMode, RemoteCacheOptions } from "./cache/endpoint.js";
export { REMOTE_CACHE_MODES, remoteEndpoint, redactUserinfo } from "./cache/endpoint.js";
export type { RemoteTally } from "./cache/remote.js";
export type { Executor, JobHooks, JobResult, JournalStore, StepJob, StepJournal } from "./execute/types.js";
export { LocalExecutor, type LocalExecutorOptions, type StepRun } from "./execute/local.js";
export { FileJournalStore } from "./execute/journal-store.js";
export { stepJob } from "./build.js";
export { registerOp, opNamed, type Op } from "./ops.js";
