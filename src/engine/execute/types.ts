/**
 * The executor seam (issue 26, DESIGN §3): how a step that must run is run.
 * A step reaches an executor as a `StepJob`, plain JSON: its op, params,
 * the digests of its input artifacts and files, its take and its key. That
 * is everything its run may read, so any executor (this process: local.ts;
 * later a BullMQ queue whose workers run anywhere) gets the same outputs.
 * Secrets are not in a job: each executor holds them itself and hands them
 * to the op; they never reach a job payload, a record or a log.
 *
 * The build (build.ts) keeps what is the same for every executor: planning,
 * pools, budget, events, the action record, the lockfile, materializing.
 */
import type { Json } from "../step.js";
import type { OutputRef } from "../actions.js";
import type { Failure } from "../step-failure.js";

/** A step as data, ready to run anywhere. Serializable with JSON.stringify, secret-free. */
export interface StepJob {
  /** The step's id (`scene/the-call/clip`): for progress and messages only, never for what is made. */
  readonly id: string;
  /** The step's key: the job's identity (a queue dedupes on it) and its journal's name. */
  readonly key: string;
  /** Which registered op runs it (engine/ops.ts). */
  readonly op: string;
  /** Hashed into the key with `kind` and `version`. */
  readonly kind: string;
  readonly version: number;
  readonly params: Json;
  /**
   * What the run reads besides params that is not hashed because a key already
   * holds it (e.g. a provider's prices and timeouts, which change no output; a
   * value an input step's key covers). Undefined for most ops.
   */
  readonly args?: Json;
  /** Input artifacts by producing step id, then output name. */
  readonly inputs: Readonly<Record<string, Readonly<Record<string, OutputRef>>>>;
  /** Input files by project-relative path: their digests. */
  readonly files: Readonly<Record<string, string>>;
  /** Which generation this run makes (1 for the first). */
  readonly take: number;
  /** Paid remote work: a stop lets it finish. */
  readonly remote: boolean;
  /**
   * For a queued job (execute/queue-executor.ts): where each input and file is
   * in the remote cache, local digest -> sha256 (its `cas/` name). Derived from
   * content only, so two coordinators adding one job add the same data.
   */
  readonly cas?: Readonly<Record<string, string>>;
  /**
   * For a queued job: the secrets the op is handed, as the project writes them
   * (`{ api_key: "${OPENAI_API_KEY}" }`), never a value. A worker expands them
   * from its own environment or `.env`.
   */
  readonly secretRefs?: Readonly<Record<string, string>>;
  /** For a queued job: the provider the secrets are for, to name in a failure. */
  readonly provider?: string;
}

/** What the build hears while a job runs. */
export interface JobHooks {
  /** Aborts local work; a paid remote job is handed a signal that never fires (it finishes and is cached). */
  readonly signal: AbortSignal;
  progress(fraction: number, message?: string): void;
  notice(message: string): void;
}

/** How a job ended: its outputs, what it cost, its journal (remote job ids), or why it failed. */
export type JobResult =
  | {
      readonly ok: true;
      readonly outputs: Readonly<Record<string, OutputRef>>;
      readonly cost: number;
      readonly ms: number;
      readonly journal: Readonly<Record<string, string>>;
      /** The worker that ran it (a queue executor); absent for a run in this process. */
      readonly worker?: string;
      /** Its outputs and action record are in the remote cache already (a queue worker put them there): the build does not upload them again. */
      readonly shared?: boolean;
    }
  | {
      readonly ok: false;
      /** The error as thrown (a StepFailed carries its `failure` data). */
      readonly error: unknown;
      readonly cost: number;
      readonly ms: number;
    };

export interface Executor {
  /** Runs one job; never throws (a failure is a result). Outputs are in the build's store when it returns ok. */
  execute(job: StepJob, hooks: JobHooks): Promise<JobResult>;
  /** Called once the build has recorded a job's result: its journal may go. */
  settled?(key: string): Promise<void>;
}

/**
 * A step's durable journal, by key: small strings such as a provider's job id,
 * written the moment they exist so a killed run resumes the paid job instead of
 * buying it again. A file per key today (journal.ts); a Redis hash for workers.
 */
export interface JournalStore {
  open(key: string): Promise<StepJournal>;
}

export interface StepJournal {
  get(name: string): string | undefined;
  set(name: string, value: string): Promise<void>;
  snapshot(): Record<string, string>;
  /** Once the result is recorded the journal has served its purpose. */
  remove(): Promise<void>;
}

export type { Failure };
