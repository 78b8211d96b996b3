/**
 * The worker side (`dramake worker`): takes jobs from every dramake queue on
 * one Redis, runs each through `runJob`, and completes it with a StepResult
 * or fails it with the failure as data. Queues are found in the pools hash
 * the coordinators write, re-read every `discoverMs`, so a worker started
 * before any build serves the pools that build opens.
 *
 * Concurrency: a provider pool's queue has a BullMQ global concurrency (the
 * pool's size, set by the coordinator); local work is limited per worker by
 * `concurrency` (-j). A step failure is final (UnrecoverableError: retrying a
 * refused paid job would pay again); a worker that dies mid-job is BullMQ's
 * stalled-job case: after `lockDurationMs` another worker takes the job, up to
 * `maxStalledCount` times, and resumes from the journal.
 */
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ok, type Result } from "../../../result.js";
import { failureOf } from "../../step-failure.js";
import { connect, DEFAULT_PREFIX, redactor, redactUrl, type QueueError } from "./connection.js";
import type { JobIO, JournalStore, Lane, RunJob, RunOutcome, StepResult } from "./contract.js";
import { RedisJournal } from "./journal.js";
import { poolsKey, queueName } from "./names.js";
import { parseJob } from "./payload.js";
import { encodeFailure } from "./wire.js";

export interface WorkerOptions {
  readonly url: string;
  readonly runJob: RunJob;
  /** Local jobs (ffmpeg) this worker runs at once: `-j`. */
  readonly concurrency: number;
  /**
   * Most jobs of one provider pool this worker runs at once (default: the
   * pool's size). The pool's size holds across all workers either way; this
   * only keeps one machine from taking every slot.
   */
  readonly poolConcurrency?: number;
  /** Shown in status and messages; `host:pid` by default. */
  readonly name?: string;
  readonly prefix?: string;
  /** Where provider job ids go; Redis by default (the point: it outlives this worker). */
  readonly journal?: JournalStore;
  /** How long a job's lock lasts without renewal: a dead worker's job is handed on after this. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** How many times a job whose worker died is handed to another before it fails (BullMQ's attempts for crashes). */
  readonly maxStalledCount?: number;
  readonly discoverMs?: number;
  /** Applied to every message and failure string before it leaves this worker (the worker's secrets). */
  readonly redact?: (text: string) => string;
  /**
   * Note an uncaught exception on each job this process is running (in the
   * job's BullMQ log, which the coordinator reads when the job fails) before
   * the process exits: the crash gets named. For the worker process only.
   */
  readonly recordCrashes?: boolean;
  /** What the worker does, for its log: took, finished, failed. Messages are redacted. */
  readonly onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { readonly type: "took"; readonly key: string; readonly id: string; readonly queue: string }
  /** Redis went away (the worker keeps trying; its running jobs go on, their locks may lapse) / came back. */
  | { readonly type: "queue-down" }
  | { readonly type: "queue-up" }
  | { readonly type: "finished"; readonly key: string; readonly id: string; readonly ms: number }
  | { readonly type: "failed"; readonly key: string; readonly id: string; readonly message: string };

export interface RunningWorker {
  readonly name: string;
  /** Queue names served so far. */
  queues(): string[];
  /**
   * Stop taking jobs and disconnect. Running jobs finish first, or with
   * `force` they are abandoned (their signal fires, nothing is reported) and
   * handed to another worker once their lock lapses, which resumes them.
   */
  close(force?: boolean): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Result<RunningWorker, QueueError>> {
  const connected = await connect(options.url, { reconnectForMs: Infinity });
  if (!connected.ok) return connected;
  const client = connected.value;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const hideUrl = redactor(options.url);
  const redact = (text: string) => hideUrl(options.redact ? options.redact(text) : text);
  const journal = options.journal ?? new RedisJournal(client, prefix);
  let closing = false;
  let down = false;
  client.on("close", () => {
    if (down || closing) return;
    down = true;
    options.onEvent?.({ type: "queue-down" });
  });
  client.on("ready", () => {
    if (!down) return;
    down = false;
    options.onEvent?.({ type: "queue-up" });
  });
  const stop = new AbortController();
  const workers = new Map<string, Worker>();
  const active = new Map<string, Job>();

  const processor = async (job: Job): Promise<StepResult> => {
    const parsed = parseJob(job.data);
    if (!parsed.ok) {
      throw new UnrecoverableError(encodeFailure({ message: `a malformed job: ${parsed.error}`, failure: { kind: "queue-failed", reason: parsed.error }, cost: 0, notices: [], worker: name }));
    }
    const step = parsed.value;
    active.set(job.id!, job);
    options.onEvent?.({ type: "took", key: step.key, id: step.id, queue: job.queueName });
    // One line per attempt: which worker had it (a crash later names the last one).
    await job.log(`started on ${name}`).catch(() => undefined);
    const t0 = performance.now();
    const entries = await journal.entries(step.key);
    let cost = 0;
    const notices: string[] = [];
    const io: JobIO = {
      signal: stop.signal,
      worker: name,
      journal: {
        get: (n) => (Object.hasOwn(entries, n) ? entries[n] : undefined),
        set: async (n, v) => {
          entries[n] = v;
          await journal.set(step.key, n, v);
        },
      },
      cost: (usd) => {
        if (Number.isFinite(usd) && usd > 0) cost += usd;
      },
      notice: (m) => notices.push(redact(m)),
      progress: (fraction, message) => void job.updateProgress({ fraction, ...(message === undefined ? {} : { message: redact(message) }) }).catch(() => undefined),
    };
    let outcome: RunOutcome;
    try {
      outcome = await options.runJob(step, io);
    } catch (error) {
      outcome = { ok: false, message: error instanceof Error ? error.message : String(error), failure: failureOf(error) };
    } finally {
      active.delete(job.id!);
    }
    // Stopped under it (close(true)): report nothing. The job's lock lapses and another worker takes it
    // over, resuming from the journal; a failure here would fail the step for everyone.
    if (stop.signal.aborted) return new Promise<never>(() => undefined);
    const ms = Math.round(performance.now() - t0);
    if (!outcome.ok) {
      const message = redact(outcome.message);
      options.onEvent?.({ type: "failed", key: step.key, id: step.id, message });
      const failure = JSON.parse(redact(JSON.stringify(outcome.failure))) as typeof outcome.failure;
      throw new UnrecoverableError(encodeFailure({ message, failure, cost, notices, worker: name }));
    }
    options.onEvent?.({ type: "finished", key: step.key, id: step.id, ms });
    return { ok: true, key: step.key, outputs: outcome.outputs, cost, notices, journal: { ...entries }, worker: name, ms, ...(outcome.recorded ? { recorded: true } : {}) };
  };

  const serve = (queue: string, lane: Lane) => {
    const size = Math.max(1, lane.kind === "local" ? options.concurrency : Math.min(lane.concurrency, options.poolConcurrency ?? Infinity));
    const existing = workers.get(queue);
    if (existing) {
      // A coordinator resized the pool: a worker never needs more slots than the pool has.
      if (existing.concurrency !== size) existing.concurrency = size;
      return;
    }
    const w = new Worker(queue, processor, {
      connection: client,
      prefix,
      name,
      concurrency: size,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      maxStalledCount: options.maxStalledCount ?? 1,
      // Failures and completions are the coordinators' business; the queue keeps them (see coordinator.ts).
    });
    // An EventEmitter 'error' without a listener would crash the worker; connection trouble is retried by ioredis.
    w.on("error", () => undefined);
    // The journal has served once the job is recorded complete (not before: a death in between would re-buy).
    w.on("completed", (job: Job) => void journal.clear((job.data as { key: string }).key).catch(() => undefined));
    workers.set(queue, w);
  };

  const discover = async () => {
    const pools = await client.hgetall(poolsKey(prefix)).catch(() => ({}) as Record<string, string>);
    for (const [queue, json] of Object.entries(pools)) {
      try {
        serve(queue, JSON.parse(json) as Lane);
      } catch {
        // A pool entry this version cannot read: leave it to workers that can.
      }
    }
  };
  serve(queueName({ kind: "local" }), { kind: "local" });
  await discover();
  const timer = setInterval(() => void discover(), options.discoverMs ?? 1000);
  timer.unref();

  let onCrash: ((e: unknown) => void) | undefined;
  if (options.recordCrashes) {
    onCrash = (e: unknown) => {
      const what = redact(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      const notes = [...active.values()].map((job) => job.log(`crash on ${name}: ${what}`).catch(() => undefined));
      // Leave quickly either way: a crashed process must not linger holding locks it cannot renew honestly.
      const exit = () => process.exit(70);
      setTimeout(exit, 2000).unref();
      void Promise.allSettled(notes).then(exit);
    };
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
  }

  return ok({
    name,
    queues: () => [...workers.keys()],
    async close(force = false) {
      closing = true;
      clearInterval(timer);
      if (onCrash) {
        process.off("uncaughtException", onCrash);
        process.off("unhandledRejection", onCrash);
      }
      // Without force BullMQ waits for running jobs. With force it stops at once; the ops are told
      // after, so none of them can fail its job on the way out (see the processor).
      await Promise.allSettled([...workers.values()].map((w) => w.close(force)));
      if (force) stop.abort(new Error(`worker ${name} is shutting down`));
      client.disconnect();
    },
  });
}

/** For a worker's log line: where it takes jobs from, password hidden. */
export const describeQueue = (url: string): string => redactUrl(url);
