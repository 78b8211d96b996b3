/**
 * The local executor: runs a job in this process, its outputs into the local
 * store, its scratch space under `.dramake/tmp/`, its journal in a
 * JournalStore. What a step's run may read is in the job; the code comes from
 * the step itself when it was built in this process with its own run
 * (`code`), else from the op registry by the job's op.
 */
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import type { Artifact, StepContext } from "../step.js";
import type { OutputRef } from "../actions.js";
import type { ObjectStore } from "../store.js";
import { opNamed } from "../ops.js";
import { scratchDir } from "../scratch.js";
import { StepFailed } from "../step-failure.js";
import type { Executor, JobHooks, JobResult, JournalStore, StepJob } from "./types.js";

/** Journal entries naming a kept answer: `kept:<name>` = `<digest>:<size>`. */
const KEPT = "kept:";

export type StepRun = (ctx: StepContext) => Promise<void>;

export interface LocalExecutorOptions {
  readonly store: ObjectStore;
  readonly journals: JournalStore;
  /** Where scratch directories go (swept by pid when a build was killed). */
  readonly tmp: string;
  /** The absolute path of a listed file with this digest (the project's own file, or a copy fetched by digest). */
  fileAt(path: string, digest: string): string;
  /** The secrets this executor hands to a job's run: never from the job. */
  secrets(job: StepJob): Readonly<Record<string, string>>;
  /** A run for a job whose op is not registered (a step built in this process). */
  code?(job: StepJob): StepRun | undefined;
  /** Outputs a run must produce (a step's materialized outputs), checked before success. */
  required?(job: StepJob): readonly string[];
}

export class LocalExecutor implements Executor {
  constructor(private readonly options: LocalExecutorOptions) {}

  async execute(job: StepJob, hooks: JobHooks): Promise<JobResult> {
    const t0 = performance.now();
    const o = this.options;
    // A step built in this process may carry its own code; a job from elsewhere has only its op's.
    const op = opNamed(job.op);
    const run: StepRun | undefined = o.code?.(job) ?? (op ? (ctx) => op.run(job.params, ctx, job.args) : undefined);
    let cost = 0;
    const elapsed = () => Math.round(performance.now() - t0);
    if (!run) return { ok: false, error: new Error(`no op named ${job.op} is registered`), cost, ms: elapsed() };
    // Created on first use: most steps never need scratch space.
    let tmpDir: string | undefined;
    const journal = await o.journals.open(job.key);
    const outputs: Record<string, OutputRef> = {};
    const store = o.store;
    const ctx: StepContext = {
      signal: hooks.signal,
      inputs: Object.fromEntries(
        Object.entries(job.inputs).map(([id, outs]) => {
          const arts: Record<string, Artifact> = {};
          for (const [n, r] of Object.entries(outs)) arts[n] = store.artifact(r.digest, r.size);
          return [id, arts];
        }),
      ),
      files: Object.fromEntries(Object.entries(job.files).map(([f, digest]) => [f, { path: o.fileAt(f, digest), digest }])),
      get tmpDir() {
        return (tmpDir ??= scratchDir(o.tmp));
      },
      secrets: o.secrets(job),
      take: job.take,
      output: async (name, source) => {
        const a = "file" in source ? await store.putFile(source.file) : await store.putBytes(typeof source.bytes === "string" ? Buffer.from(source.bytes) : source.bytes);
        outputs[name] = { digest: a.digest, size: a.size };
        return a;
      },
      cost: (usd) => {
        if (Number.isFinite(usd) && usd > 0) cost += usd;
      },
      progress: (fraction, message) => hooks.progress(fraction, message),
      notice: (message) => hooks.notice(message),
      journal: {
        get: (n) => journal.get(n),
        set: (n, v) => journal.set(n, v),
        // Into the store (atomic: temp file and rename), the journal naming its digest: a kill
        // between a paid answer and the step's record no longer loses the answer (issue 33, item 2).
        keep: async (n, file) => {
          const a = await store.putBytes(await readFile(file));
          await journal.set(`${KEPT}${n}`, `${a.digest}:${a.size}`);
        },
        kept: (n) => {
          const [digest, size] = (journal.get(`${KEPT}${n}`) ?? "").split(":");
          if (!digest || !size) return undefined;
          const a = store.artifact(digest, Number(size));
          return existsSync(a.path) ? a.path : undefined;
        },
      },
    };
    try {
      await run(ctx);
      const missing = (o.required?.(job) ?? []).filter((n) => !outputs[n]);
      if (missing.length > 0) throw new StepFailed(`the step did not produce its output ${missing.join(", ")}`, { kind: "no-output", outputs: missing });
      return { ok: true, outputs, cost, ms: elapsed(), journal: journal.snapshot() };
    } catch (error) {
      return { ok: false, error, cost, ms: elapsed() };
    } finally {
      if (tmpDir) await rm(tmpDir, { recursive: true, force: true });
    }
  }

  /** Drops a job's journal once its result is recorded (the build calls this after writing the action record). */
  async settled(key: string): Promise<void> {
    await (await this.options.journals.open(key)).remove();
  }
}
