/**
 * The coordinator side: a build that hands its steps to workers. `enqueue`
 * adds a step as a BullMQ job whose id is the step key, so two coordinators
 * (two writers, two CI jobs) that want one step add one job and both get its
 * one result, through QueueEvents. It never throws and never hangs: every
 * call ends in a StepResult, a lost Redis included (after `reconnectForMs`).
 *
 * Finished jobs stay in Redis for a while (completed: `keepCompletedS`, failed:
 * a week, for `status --queue`). A later build never gets an old failure: a
 * failed job found at enqueue is queued afresh (a failure is not a result;
 * the journal makes a paid rerun resume its provider job, not buy another).
 */
import { Job, Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { ok, type Result } from "../../../result.js";
import { connect, DEFAULT_PREFIX, redactor, redactUrl, type QueueError } from "./connection.js";
import type { Lane, StepJob, StepResult } from "./contract.js";
import { jobId, poolsKey, queueName } from "./names.js";
import { checkPayload, type Forbidden } from "./payload.js";
import { decodeFailure } from "./wire.js";

export interface CoordinatorOptions {
  readonly url: string;
  readonly prefix?: string;
  /** How long Redis may be away mid-build before waiting steps fail with `queue-lost` (default 10 s). */
  readonly reconnectForMs?: number;
  /** Secret values and paths that must never be in a job (this machine's temp, home and cwd are always added). */
  readonly forbidden?: Forbidden;
  /** Seconds a completed job is kept, so a coordinator arriving late still gets its result (default 1 h). */
  readonly keepCompletedS?: number;
  /** Told once when the first step is queued and no worker is connected: the build would otherwise wait in silence. */
  readonly onNotice?: (message: string) => void;
}

export interface Coordinator {
  /** The URL, password hidden. */
  readonly url: string;
  /** Queues the step (or joins the job already there) and resolves with its one result. */
  enqueue(job: StepJob, lane: Lane): Promise<StepResult>;
  /** Removes a finished job (e.g. its outputs are gone from the remote cache) so the next enqueue runs it again. */
  forget(key: string, lane: Lane): Promise<void>;
  /** True once Redis was lost: enqueue answers `queue-lost` at once, the build should stop. */
  lost(): boolean;
  close(): Promise<void>;
}

interface Waiter {
  readonly job: StepJob;
  readonly settle: (r: StepResult) => void;
}

interface Lanes {
  readonly name: string;
  readonly lane: Lane;
  readonly queue: Queue;
  readonly events: QueueEvents;
  /** By BullMQ job id: everyone in this process waiting for that job. */
  readonly waiters: Map<string, Set<Waiter>>;
  /** Settles everyone waiting for a job. */
  deliver(id: string, make: (job: StepJob) => StepResult): void;
}

export async function openCoordinator(options: CoordinatorOptions): Promise<Result<Coordinator, QueueError>> {
  const connected = await connect(options.url, { reconnectForMs: options.reconnectForMs ?? 10_000 });
  if (!connected.ok) return connected;
  return ok(new QueueCoordinator(connected.value, options));
}

class QueueCoordinator implements Coordinator {
  readonly url: string;
  private readonly prefix: string;
  private readonly lanes = new Map<string, Promise<Lanes>>();
  private readonly pending = new Set<Waiter>();
  private gone = false;
  private closing = false;
  private checkedWorkers = false;

  constructor(
    private readonly client: Redis,
    private readonly options: CoordinatorOptions,
  ) {
    this.url = redactUrl(options.url);
    this.prefix = options.prefix ?? DEFAULT_PREFIX;
    // Back after a drop: a Redis that restarted without persistence has lost the jobs, the pools
    // and the limits; put back what this build waits for (else it would wait forever).
    let dropped = false;
    client.on("close", () => (dropped = true));
    client.on("ready", () => {
      if (!dropped || this.closing) return;
      dropped = false;
      void this.recover().catch(() => undefined);
    });
    // ioredis gave up reconnecting: every waiting step ends now, with how to resume.
    client.on("end", () => {
      if (this.closing) return;
      this.gone = true;
      for (const w of [...this.pending]) w.settle(this.lostResult(w.job));
    });
  }

  lost(): boolean {
    return this.gone;
  }

  async enqueue(job: StepJob, lane: Lane): Promise<StepResult> {
    const safe = checkPayload(job, this.options.forbidden ?? {});
    if (!safe.ok) return { ok: false, key: job.key, message: safe.error.message, failure: safe.error.failure, cost: 0, notices: [] };
    if (this.gone) return this.lostResult(job);
    return new Promise<StepResult>((resolve) => {
      let done = false;
      const waiter: Waiter = {
        job,
        settle: (r) => {
          if (done) return;
          done = true;
          this.pending.delete(waiter);
          resolve(r);
        },
      };
      this.pending.add(waiter);
      this.run(waiter, lane).catch((e: unknown) => waiter.settle(this.gone ? this.lostResult(job) : this.brokenResult(job, e)));
    });
  }

  private async run(waiter: Waiter, lane: Lane): Promise<void> {
    const { job, settle } = waiter;
    const l = await this.lane(lane);
    const id = jobId(job.key);
    // Listening before adding: a job that finishes at once is still heard.
    const set = l.waiters.get(id) ?? new Set<Waiter>();
    l.waiters.set(id, set);
    set.add(waiter);
    const add = async () => {
      await this.add(l, job);
      const found = await Job.fromId(l.queue, id);
      return { found, state: found ? await found.getState() : "unknown" };
    };
    try {
      let { found, state } = await add();
      if (state === "failed") {
        // An old failure (an earlier build's): run it again rather than serve it. Removed and added
        // afresh, not retried: BullMQ's retry keeps the stall count and the log, so a job that once
        // lost its worker would fail at its next stall, and an old crash would be named for a new one.
        await found!.remove().catch(() => undefined);
        ({ found, state } = await add());
      }
      if (state === "completed") settle(resultOf(job, found!.returnvalue));
    } catch (e) {
      set.delete(waiter);
      settle(this.gone ? this.lostResult(job) : this.brokenResult(job, e));
    }
  }

  private async add(l: Lanes, job: StepJob): Promise<void> {
    await l.queue.add(job.op, job, {
      jobId: jobId(job.key),
      attempts: 1,
      removeOnComplete: { age: this.options.keepCompletedS ?? 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Workers find the queue in the pools hash; a provider pool's size is its global concurrency, for every worker at once. */
  private async register(name: string, lane: Lane, queue: Queue): Promise<void> {
    await this.client.hset(poolsKey(this.prefix), name, JSON.stringify(lane));
    if (lane.kind === "provider") await queue.setGlobalConcurrency(Math.max(1, lane.concurrency));
  }

  /** After a reconnect: each awaited job that Redis no longer has is added again; one that finished meanwhile is delivered. */
  private async recover(): Promise<void> {
    for (const pending of [...this.lanes.values()]) {
      const l = await pending;
      await this.register(l.name, l.lane, l.queue);
      for (const [id, set] of [...l.waiters]) {
        const first = [...set][0];
        if (!first) continue;
        const found = await Job.fromId(l.queue, id);
        if (!found) {
          await this.add(l, first.job);
          continue;
        }
        const state = await found.getState();
        if (state === "completed") l.deliver(id, (job) => resultOf(job, found.returnvalue));
        else if (state === "failed") l.deliver(id, await this.failedResult(l.queue, id, found.failedReason));
      }
    }
  }

  private lane(lane: Lane): Promise<Lanes> {
    const name = queueName(lane);
    let l = this.lanes.get(name);
    if (!l) {
      l = this.openLane(name, lane);
      this.lanes.set(name, l);
    }
    return l;
  }

  private async openLane(name: string, lane: Lane): Promise<Lanes> {
    const queue = new Queue(name, { connection: this.client, prefix: this.prefix });
    queue.on("error", () => undefined);
    await this.register(name, lane, queue);
    // Read events from the stream's current end, fixed before any add: none of ours can be missed.
    const last = await this.client.xrevrange(`${this.prefix}:${name}:events`, "+", "-", "COUNT", 1);
    const events = new QueueEvents(name, { connection: this.client, prefix: this.prefix, lastEventId: last[0]?.[0] ?? "0-0" });
    events.on("error", () => undefined);
    const waiters = new Map<string, Set<Waiter>>();
    const deliver = (id: string, make: (job: StepJob) => StepResult) => {
      const set = waiters.get(id);
      if (!set) return;
      waiters.delete(id);
      for (const w of set) w.settle(make(w.job));
    };
    events.on("completed", ({ jobId: id, returnvalue }) => deliver(id, (job) => resultOf(job, returnvalue)));
    events.on("failed", ({ jobId: id, failedReason }) => {
      if (!waiters.has(id)) return;
      void this.failedResult(queue, id, failedReason).then((make) => deliver(id, make));
    });
    await events.waitUntilReady();
    if (!this.checkedWorkers) {
      this.checkedWorkers = true;
      void this.noticeIfNoWorker();
    }
    return { name, lane, queue, events, waiters, deliver };
  }

  /** Every worker serves the local queue from its start, so its clients are the workers online. */
  private async noticeIfNoWorker(): Promise<void> {
    if (!this.options.onNotice) return;
    const local = new Queue(queueName({ kind: "local" }), { connection: this.client, prefix: this.prefix });
    local.on("error", () => undefined);
    try {
      if ((await local.getWorkersCount()) === 0) {
        this.options.onNotice(`no worker is connected to the queue at ${this.url} yet: queued steps wait until one starts (dramake worker --queue ${this.url})`);
      }
    } catch {
      // Only a courtesy; a real problem with Redis shows in the steps.
    } finally {
      await local.close().catch(() => undefined);
    }
  }

  /** A failed job as a StepResult: the op's own failure, or a crash named from the job's log. */
  private async failedResult(queue: Queue, id: string, reason: string): Promise<(job: StepJob) => StepResult> {
    const run = decodeFailure(reason);
    if (run) return (job) => ({ ok: false, key: job.key, message: run.message, failure: run.failure, cost: run.cost, notices: run.notices, worker: run.worker });
    const found = await Job.fromId(queue, id).catch(() => undefined);
    const logs = await queue.getJobLogs(id).catch(() => ({ logs: [] as string[] }));
    const crash = [...logs.logs].reverse().find((l) => l.startsWith("crash on "));
    const started = logs.logs.filter((l) => l.startsWith("started on "));
    const lastWorker = found?.processedBy ?? started.at(-1)?.slice("started on ".length) ?? null;
    if (/stalled/i.test(reason)) {
      const attempts = found?.stalledCounter ?? started.length;
      const crashText = crash === undefined ? null : crash.slice(crash.indexOf(": ") + 2);
      const said = crashText ?? "no error recorded: killed or out of memory?";
      const detail = lastWorker === null ? said : `last on ${lastWorker}${crashText === null ? ", " : ": "}${said}`;
      return (job) => ({
        ok: false,
        key: job.key,
        message: `step ${job.id}: the worker process running it died ${attempts} time(s) (${detail}); the queue gave up after ${attempts} attempt(s). Fix the crash, then build again`,
        failure: { kind: "worker-crashed", attempts, worker: lastWorker, crash: crashText },
        cost: 0,
        notices: [],
        ...(lastWorker ? { worker: lastWorker } : {}),
      });
    }
    return (job) => ({ ok: false, key: job.key, message: `step ${job.id}: the queue failed its job: ${reason}`, failure: { kind: "queue-failed", reason }, cost: 0, notices: [] });
  }

  /** Redis answered, but not as expected (e.g. a command refused): said plainly, URL hidden. */
  private brokenResult(job: StepJob, e: unknown): StepResult {
    const reason = redactor(this.options.url)(e instanceof Error ? e.message : String(e));
    return { ok: false, key: job.key, message: `step ${job.id}: the queue at ${this.url} refused its job: ${reason}`, failure: { kind: "queue-failed", reason }, cost: 0, notices: [] };
  }

  private lostResult(job: StepJob): StepResult {
    return {
      ok: false,
      key: job.key,
      message: `step ${job.id}: lost the queue at ${this.url} mid-build. Steps that finished are cached, and jobs already running on workers finish and are cached too; when Redis is back, run the build again to resume where it stopped`,
      failure: { kind: "queue-lost", url: this.url },
      cost: 0,
      notices: [],
    };
  }

  async forget(key: string, lane: Lane): Promise<void> {
    const l = await this.lane(lane);
    const job = await Job.fromId(l.queue, jobId(key));
    const state = job ? await job.getState() : "unknown";
    if (job && (state === "completed" || state === "failed")) await job.remove();
  }

  async close(): Promise<void> {
    this.closing = true;
    const lanes = await Promise.allSettled([...this.lanes.values()]);
    await Promise.allSettled(lanes.flatMap((l) => (l.status === "fulfilled" ? [l.value.events.close(), l.value.queue.close()] : [])));
    for (const w of [...this.pending]) {
      w.settle({ ok: false, key: w.job.key, message: `step ${w.job.id}: the build stopped before its job finished; it may still finish on a worker and be cached`, failure: { kind: "aborted" }, cost: 0, notices: [] });
    }
    this.client.disconnect();
  }
}

function resultOf(job: StepJob, returnvalue: unknown): StepResult {
  const value = typeof returnvalue === "string" ? safeParse(returnvalue) : returnvalue;
  const r = value as Partial<Extract<StepResult, { ok: true }>> | null;
  if (r && r.ok === true && r.outputs && typeof r.outputs === "object") {
    return { ok: true, key: job.key, outputs: r.outputs, cost: r.cost ?? 0, notices: r.notices ?? [], journal: r.journal ?? {}, worker: r.worker ?? "unknown", ms: r.ms ?? 0, ...(r.recorded === true ? { recorded: true } : {}) };
  }
  return { ok: false, key: job.key, message: `step ${job.id}: its job completed without a result this version can read`, failure: { kind: "queue-failed", reason: "unreadable result" }, cost: 0, notices: [] };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
