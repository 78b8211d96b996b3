/**
 * The queue layer's provisional contract (issue 30), in one file so that
 * wiring it to the real step-as-data types and Executor seam (issue 26) is a
 * small adapter: a StepJob is what goes over the wire, `runJob` is how a
 * worker runs one (A's op registry behind it), a StepResult is what the
 * coordinator gets back, and JournalStore is where provider job ids live.
 *
 * Nothing here may hold a secret, a key of the coordinator's environment or
 * an absolute path of the coordinator's machine: a job is stored in Redis and
 * read by every worker (`payload.ts` enforces it on enqueue).
 *
 * The adapter to the Executor seam, as planned: the queue executor turns a
 * step (op, params, input and file digests, take, key) into a StepJob and its
 * pool into a Lane (a provider pool with the project's concurrency, else
 * local), and `enqueue`s it; a StepResult's outputs are restored from the
 * remote cache and recorded (cost, journal, `worker` for the events) as a
 * local run records them; a failed one is the step's failure as is. On the
 * worker, `runJob` fetches the inputs from the remote cache, expands the
 * provider's `${VAR}`s from the worker's own environment or `.env`, runs the
 * op with `io.journal` as its journal, and uploads outputs, then the record.
 */
import type { Json } from "../../step.js";
import type { Failure } from "../../step-failure.js";

/**
 * A step as data: the engine's one StepJob (execute/types.ts). Its params and
 * args hold provider config with `${VAR}` references unexpanded, never a
 * value; `cas` says where its inputs and files are in the remote cache.
 */
export type { StepJob } from "../types.js";
import type { StepJob } from "../types.js";

/**
 * Where a job queues. A provider pool (`cloud:video`) is one BullMQ queue with
 * a global concurrency equal to the pool's size, so N workers never send a
 * provider more at once than the project allows. Local work (ffmpeg) shares
 * one queue, limited per worker by its `-j`.
 */
export type Lane =
  | { readonly kind: "provider"; readonly pool: string; readonly concurrency: number }
  | { readonly kind: "local" };

/** A stored output: what the action record keeps. */
export interface OutputRef {
  readonly digest: string;
  readonly size: number;
  /** Its name in the remote cache's `cas/`, once a worker put it there (the coordinator fetches it by this). */
  readonly sha256?: string;
}

/** What a worker hands runJob: the step's io, as StepContext has it, minus files and store (runJob's own). */
export interface JobIO {
  /** Fires when the worker shuts down. */
  readonly signal: AbortSignal;
  /** This worker's name (`host:pid` unless given), for messages such as a missing variable. */
  readonly worker: string;
  /** The step's journal, loaded from the JournalStore when the job starts here; `set` writes through at once. */
  readonly journal: {
    get(name: string): string | undefined;
    set(name: string, value: string): Promise<void>;
  };
  /** Money spent, USD; adds up (also on failure: a failed paid job may have cost something). */
  cost(usd: number): void;
  notice(message: string): void;
  progress(fraction: number, message?: string): void;
}

/** runJob's answer: outputs stored (and uploaded) by runJob, or a failure as data. Throwing is a failure of kind `error`. */
export type RunOutcome =
  | {
      readonly ok: true;
      readonly outputs: Readonly<Record<string, OutputRef>>;
      /** The worker put the step's action record in the remote cache (after its outputs): the coordinator only restores. */
      readonly recorded?: boolean;
    }
  | { readonly ok: false; readonly message: string; readonly failure: Failure };

/** Runs one job on a worker: fetch inputs, run the op, upload outputs and record (content before record). */
export type RunJob = (job: StepJob, io: JobIO) => Promise<RunOutcome>;

/** What the coordinator gets for a job, whichever coordinator added it. */
export type StepResult =
  | {
      readonly ok: true;
      readonly key: string;
      readonly outputs: Readonly<Record<string, OutputRef>>;
      readonly cost: number;
      readonly notices: readonly string[];
      /** The provider job ids the run journaled, for the action record. */
      readonly journal: Readonly<Record<string, string>>;
      readonly worker: string;
      readonly ms: number;
      /** The worker put the action record in the remote cache itself (RunOutcome.recorded). */
      readonly recorded?: boolean;
    }
  | {
      readonly ok: false;
      readonly key: string;
      readonly message: string;
      /** The op's own failure, or one of QueueFailure below. */
      readonly failure: Failure;
      readonly cost: number;
      readonly notices: readonly string[];
      /** The worker it failed on, when one is known. */
      readonly worker?: string;
    };

/** The failures the queue layer itself causes (beside whatever kinds ops name). */
export type QueueFailure =
  /** Redis could not be reached at start (`url` has its password redacted). */
  | { readonly kind: "queue-unreachable"; readonly url: string; readonly reason: string }
  /** Redis went away mid-build; the step's job may still finish on a worker and be cached. */
  | { readonly kind: "queue-lost"; readonly url: string }
  /** The worker process running the job died every time BullMQ handed it out. */
  | { readonly kind: "worker-crashed"; readonly attempts: number; readonly worker: string | null; readonly crash: string | null }
  /** BullMQ failed the job for a reason of its own (e.g. it was removed). */
  | { readonly kind: "queue-failed"; readonly reason: string }
  /** The job would carry a secret or a path of this machine; it was not enqueued. */
  | { readonly kind: "unsafe-job"; readonly field: string; readonly what: "secret" | "path" };

/** Provider job ids and such, by step key: survives the worker that wrote them. */
export interface JournalStore {
  get(key: string, name: string): Promise<string | undefined>;
  set(key: string, name: string, value: string): Promise<void>;
  /** Everything journaled for one key (loaded when a job starts). */
  entries(key: string): Promise<Record<string, string>>;
  /** Once the outputs are stored the journal has served its purpose. */
  clear(key: string): Promise<void>;
}
