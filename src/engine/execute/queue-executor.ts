/**
 * The queue executor (issue 30): the build becomes a coordinator. Each job
 * whose op is registered goes to Redis as a BullMQ job (id = step key, so two
 * coordinators wanting one step share its one run) on its lane: the step's
 * provider pool with the project's concurrency, held across every worker, or
 * the local lane. Its inputs and files go to the remote cache first; when a
 * worker has run it, its outputs come back from there into the build's store,
 * and the build records it as it records a local run. A step that is still a
 * closure (no registered op) can only run here: it runs locally, said once.
 */
import { opNamed } from "../ops.js";
import type { OutputRef } from "../actions.js";
import { StepFailed } from "../step-failure.js";
import type { Executor, JobHooks, JobResult, StepJob } from "./types.js";
import type { Coordinator } from "./queue/coordinator.js";
import type { Lane } from "./queue/contract.js";
import type { Cas } from "./queue/cas.js";

export interface QueueExecutorOptions {
  readonly coordinator: Coordinator;
  /** The remote cache over the build's store. */
  readonly cas: Cas;
  /** Runs what cannot be queued (steps without a registered op). */
  readonly local: Executor;
  /** The absolute path of a project file the job lists. */
  fileAt(path: string): string;
  /** The job's lane: its provider pool with its concurrency, or local work. */
  lane(job: StepJob): Lane;
  /** The secrets a job's op is handed, as `${VAR}` references, and the provider they are for. */
  secretRefs?(job: StepJob): { readonly provider: string; readonly refs: Readonly<Record<string, string>> } | undefined;
}

export class QueueExecutor implements Executor {
  private readonly toldLocal = new Set<string>();

  constructor(private readonly options: QueueExecutorOptions) {}

  async execute(job: StepJob, hooks: JobHooks): Promise<JobResult> {
    const o = this.options;
    if (!opNamed(job.op)) {
      if (!this.toldLocal.has(job.op)) {
        this.toldLocal.add(job.op);
        hooks.notice(`steps of kind ${job.op} are not operations yet; they run on this machine, not on workers`);
      }
      return o.local.execute(job, hooks);
    }
    const t0 = performance.now();
    const elapsed = () => Math.round(performance.now() - t0);
    const failed = (message: string, failure: StepFailed["failure"], cost = 0): JobResult => ({ ok: false, error: new StepFailed(message, failure), cost, ms: elapsed() });
    // Content before the job: a worker must find every input and file it is told of.
    const cas: Record<string, string> = {};
    const pushes: Promise<string | undefined>[] = [];
    for (const outs of Object.values(job.inputs)) {
      for (const r of Object.values(outs)) {
        pushes.push(o.cas.pushObject(r.digest).then((p) => (p.ok ? void (cas[r.digest] = p.value) : p.error)));
      }
    }
    for (const [path, digest] of Object.entries(job.files)) {
      pushes.push(o.cas.pushFile(o.fileAt(path)).then((p) => (p.ok ? void (cas[digest] = p.value) : p.error)));
    }
    const problem = (await Promise.all(pushes)).find((p) => p !== undefined);
    if (problem !== undefined) return failed(`step ${job.id}: its inputs could not be shared with workers: ${problem}`, { kind: "queue-upload", reason: problem });
    const secrets = o.secretRefs?.(job);
    const queued: StepJob = { ...job, cas: sortedRecord(cas), ...(secrets ? { secretRefs: secrets.refs, provider: secrets.provider } : {}) };
    const lane = o.lane(job);
    const r = await o.coordinator.enqueue(queued, lane);
    for (const n of r.notices) hooks.notice(r.worker ? `${r.worker}: ${n}` : n);
    if (!r.ok) return failed(r.message, r.worker ? { ...r.failure, worker: r.failure["worker"] ?? r.worker } : r.failure, r.cost);
    // The worker put its outputs in the cache before it completed the job: bring them into this store.
    const outputs: Record<string, OutputRef> = {};
    for (const [name, ref] of Object.entries(r.outputs)) {
      const sha = (ref as OutputRef & { sha256?: string }).sha256;
      const got = sha ? await o.cas.ensure(ref.digest, ref.size, sha) : undefined;
      if (!got?.ok || got.value.size !== ref.size) {
        // Gone from the cache (evicted, wiped): forget the job, so the next build runs it again.
        await o.coordinator.forget(job.key, lane).catch(() => undefined);
        const why = got && !got.ok ? got.error : "the worker named no cache object for it";
        return failed(`step ${job.id}: its output '${name}' could not be fetched from the remote cache: ${why}; build again to run it again`, { kind: "queue-download", output: name, reason: why }, r.cost);
      }
      outputs[name] = { digest: ref.digest, size: ref.size };
    }
    return { ok: true, outputs, cost: r.cost, ms: r.ms || elapsed(), journal: r.journal, worker: r.worker, ...(r.recorded ? { shared: true } : {}) };
  }

  async settled(key: string): Promise<void> {
    await this.options.local.settled?.(key);
  }
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
