/**
 * What a build tells the world, as data (wireit's Event union). Reporters in
 * src/report turn these into terminal lines or JSON; the engine never prints.
 */
import type { Reason } from "./reasons.js";
import type { CacheSource } from "./cache/cache.js";
import type { RemoteTally } from "./cache/remote.js";
import type { Failure } from "./step-failure.js";

export type StepEndState = "ran" | "cached" | "failed" | "skipped";

export type EngineEvent =
  | { readonly type: "started"; readonly id: string; readonly reasons: readonly Reason[]; readonly remote: boolean }
  | { readonly type: "progress"; readonly id: string; readonly fraction: number; readonly message?: string }
  /** `source` is absent for the local cache. */
  | { readonly type: "cached"; readonly id: string; readonly saved: number; readonly source?: CacheSource }
  | { readonly type: "finished"; readonly id: string; readonly ms: number; readonly cost: number; readonly reasons: readonly Reason[]; /** The queue worker that ran it. */ readonly worker?: string }
  /**
   * `message` is the sentence for people, `failure` the same as data (its kind is the step's, see step-failure.ts).
   * `key` is the failed step's key when it had one (a step that failed before its key was known has none).
   */
  | {
      readonly type: "failed";
      readonly id: string;
      readonly ms: number;
      readonly cost: number;
      readonly message: string;
      readonly failure: Failure;
      readonly key?: string;
    }
  /** Not run: blocked by a failed input, or the build stopped first. */
  | { readonly type: "skipped"; readonly id: string; readonly why: string }
  | { readonly type: "notice"; readonly id?: string; readonly message: string }
  | { readonly type: "summary"; readonly summary: BuildSummary };

export interface BuildSummary {
  readonly total: number;
  readonly ran: number;
  readonly cached: number;
  readonly failed: number;
  readonly skipped: number;
  readonly estimated: number;
  readonly spent: number;
  readonly saved: number;
  /** Build-relative final output, if the graph names one and it was built. */
  readonly output: string | undefined;
  readonly ms: number;
  readonly aborted: boolean;
  /** Set when a remote cache was configured: hits from it, bytes moved. */
  readonly remote?: RemoteTally;
  /** Per step group (a series' episodes), when the graph has groups: only groups with steps in this build. */
  readonly groups?: Readonly<Record<string, GroupSummary>>;
}

export interface GroupSummary {
  readonly estimated: number;
  readonly spent: number;
  readonly saved: number;
  /** Build-relative, when the group names an output and it was built. */
  readonly output: string | undefined;
}
