/**
 * How `dramake worker` runs a job (the RunJob of worker.ts): the op from this
 * process's op registry, its inputs and files fetched from the remote cache
 * into the worker's own store, the provider's `${VAR}`s expanded from the
 * worker's own environment (never from the job, which holds references
 * only), the run itself by the LocalExecutor with the job's Redis journal,
 * then its outputs put in the cache before the job completes.
 */
import { copyFile, mkdir, rm } from "node:fs/promises";
import { basename, join } from "node:path";
import { opNamed } from "../../ops.js";
import type { ObjectStore } from "../../store.js";
import { failureOf } from "../../step-failure.js";
import { LocalExecutor } from "../local.js";
import type { StepJournal } from "../types.js";
import type { Cas } from "./cas.js";
import type { StoreBound } from "./store-bound.js";
import type { ActionRecord } from "../../actions.js";
import type { JobResult } from "../types.js";
import type { JobIO, OutputRef, RunJob, RunOutcome, StepJob } from "./contract.js";

export interface OpRunnerOptions {
  readonly store: ObjectStore;
  readonly cas: Cas;
  /** The worker's scratch directory (job files are copied under it by digest). */
  readonly tmp: string;
  /**
   * Expands a `${VAR}` reference from the worker's environment (its own
   * variables, then its `.env`: project/env.ts, which the engine does not
   * import): the value, or the name of a variable that is not set.
   */
  expand(ref: string): { readonly value: string; readonly unset?: string };
  /** Keeps the worker's store under a size: objects a job reads or makes are held while it runs, the rest may go after. */
  readonly bound?: StoreBound;
  /**
   * Whether this worker sends its keys to an origin (`https://host:port`):
   * the vendors' own, loopback, and what `dramake trust` or
   * DRAMAKE_TRUSTED_ORIGINS names on this machine (project/trusted-origins.ts,
   * which the engine does not import). A job's URLs are the coordinator's
   * project's choice; the keys are this worker's.
   */
  trusts?(origin: string): boolean;
}

export function opRunner(o: OpRunnerOptions): RunJob {
  const run = runner(o);
  if (!o.bound) return run;
  const bound = o.bound;
  return async (job, io) => {
    const held = [...Object.values(job.inputs).flatMap((outs) => Object.values(outs).map((r) => r.digest)), ...Object.values(job.files)];
    const done = bound.begin(held);
    try {
      return await run(job, io);
    } finally {
      done();
      // Its outputs are in the remote cache by now. Another job's new outputs are the newest objects
      // here, so they would go last, and only if everything older could not make the store fit.
      void bound.trim().catch(() => undefined);
    }
  };
}

function runner(o: OpRunnerOptions): RunJob {
  return async (job: StepJob, io: JobIO): Promise<RunOutcome> => {
    if (!opNamed(job.op)) {
      return { ok: false, message: `step ${job.id}: worker ${io.worker} has no op named ${job.op} (is it running another dramake version?)`, failure: { kind: "unknown-op", op: job.op, worker: io.worker } };
    }
    const refs = job.secretRefs ?? {};
    if (o.trusts && Object.keys(refs).length > 0) {
      const untrusted = keyDestinations(job, refs).find((origin) => !o.trusts!(origin));
      if (untrusted !== undefined) {
        const provider = job.provider ?? "its provider";
        return {
          ok: false,
          message: `step ${job.id}: worker ${io.worker} does not send provider ${provider}'s keys to ${untrusted}, which it has not trusted; nothing was sent. If you trust ${untrusted} with them, run on the worker: dramake trust ${untrusted} (or set DRAMAKE_TRUSTED_ORIGINS=${untrusted} there)`,
          failure: { kind: "untrusted-origin", provider, origin: untrusted, worker: io.worker },
        };
      }
    }
    const secrets: Record<string, string> = {};
    for (const [name, ref] of Object.entries(refs)) {
      const x = o.expand(ref);
      if (x.unset !== undefined) {
        const provider = job.provider ?? "its provider";
        return {
          ok: false,
          message: `step ${job.id}: provider ${provider} needs ${x.unset}, which is not set on worker ${io.worker}; set it in the worker's environment or in a .env in its working directory`,
          failure: { kind: "worker-missing-secret", provider, variable: x.unset, worker: io.worker },
        };
      }
      if (x.value !== "") secrets[name] = x.value;
    }
    const hide = (text: string) => Object.values(secrets).reduce((t, s) => (s.length >= 4 ? t.split(s).join("***") : t), text);
    const cas = job.cas ?? {};
    const fetch = async (digest: string, size: number | undefined): Promise<string | undefined> => {
      const sha = cas[digest];
      if (!sha) return `the job names no cache object for ${digest}`;
      const got = await o.cas.ensure(digest, size, sha);
      return got.ok ? undefined : got.error;
    };
    const wanted: Promise<string | undefined>[] = [];
    for (const outs of Object.values(job.inputs)) for (const r of Object.values(outs)) wanted.push(fetch(r.digest, r.size));
    for (const digest of Object.values(job.files)) wanted.push(fetch(digest, undefined));
    const missing = (await Promise.all(wanted)).find((p) => p !== undefined);
    if (missing !== undefined) {
      return { ok: false, message: `step ${job.id}: worker ${io.worker} could not fetch an input: ${missing}`, failure: { kind: "queue-download", reason: missing, worker: io.worker } };
    }
    // A file keeps its name (an op may read its extension) in a directory named by its digest.
    // Per job, removed after it: copies, which would otherwise pile up on a long-lived worker.
    const filesDir = join(o.tmp, "files", job.key);
    const filePaths: Record<string, string> = {};
    for (const [path, digest] of Object.entries(job.files)) {
      const dir = join(filesDir, digest);
      await mkdir(dir, { recursive: true });
      const at = join(dir, basename(path));
      await copyFile(o.store.path(digest), at);
      filePaths[path] = at;
    }
    const snapshot: Record<string, string> = {};
    const journal: StepJournal = {
      get: (n) => io.journal.get(n),
      set: async (n, v) => {
        snapshot[n] = v;
        await io.journal.set(n, v);
      },
      snapshot: () => ({ ...snapshot }),
      // The worker clears the Redis journal once BullMQ has recorded the job complete.
      remove: async () => undefined,
    };
    const local = new LocalExecutor({
      store: o.store,
      journals: { open: async () => journal },
      tmp: o.tmp,
      fileAt: (path) => filePaths[path]!,
      secrets: () => secrets,
    });
    const r = await local.execute(job, { signal: io.signal, progress: (f, m) => io.progress(f, m === undefined ? m : hide(m)), notice: (m) => io.notice(hide(m)) }).finally(() => rm(filesDir, { recursive: true, force: true }).catch(() => undefined));
    io.cost(r.cost);
    if (!r.ok) {
      const message = hide(r.error instanceof Error ? r.error.message : String(r.error));
      return { ok: false, message, failure: JSON.parse(hide(JSON.stringify(failureOf(r.error)))) as ReturnType<typeof failureOf> };
    }
    // Content before the job completes: the coordinator fetches what the result names.
    const outputs: Record<string, OutputRef> = {};
    const shas: Record<string, string> = {};
    for (const [name, ref] of Object.entries(r.outputs)) {
      const sent = await o.cas.pushObject(ref.digest);
      if (!sent.ok) return { ok: false, message: `step ${job.id}: worker ${io.worker} could not upload its output '${name}': ${sent.error}`, failure: { kind: "queue-upload", reason: sent.error, worker: io.worker } };
      outputs[name] = { digest: ref.digest, size: ref.size, sha256: sent.value };
      shas[name] = sent.value;
    }
    // Then the record, so any machine's next build gets a remote hit whether or not a coordinator
    // is still there to share it. A record the cache did not take is not a failed step: the
    // coordinator, told so, shares it as a local run's.
    const recorded = await o.cas.putRecord(recordOf(job, r), shas);
    return { ok: true, outputs, recorded };
  };
}

/** The action record of a job run here, as the build would write it (its key recomputes from these fields). */
function recordOf(job: StepJob, r: Extract<JobResult, { ok: true }>): ActionRecord {
  const inputs: Record<string, Record<string, string>> = {};
  for (const [id, outs] of Object.entries(job.inputs)) inputs[id] = Object.fromEntries(Object.entries(outs).map(([n, ref]) => [n, ref.digest]));
  return {
    v: 1,
    key: job.key,
    id: job.id,
    kind: job.kind,
    version: job.version,
    params: job.params,
    inputs,
    files: { ...job.files },
    outputs: Object.fromEntries(Object.entries(r.outputs).map(([n, ref]) => [n, { digest: ref.digest, size: ref.size }])),
    ...(job.take > 1 ? { take: job.take } : {}),
    cost: r.cost,
    ms: r.ms,
    journal: r.journal,
    created: new Date().toISOString(),
  };
}

/**
 * Where a job's op would send the keys it is handed: the provider's base URL
 * and its endpoints' (a preset without one uses the vendor's own, trusted),
 * and an upload store's `put` when its token travels. As the load-time check
 * on a build machine (project/key-origins.ts) picks them.
 */
function keyDestinations(job: StepJob, refs: Readonly<Record<string, string>>): string[] {
  const provider = (job.args as { provider?: Record<string, unknown> } | undefined)?.provider;
  if (!provider || typeof provider !== "object") return [];
  const urls: unknown[] = [provider["base_url"]];
  const endpoints = provider["endpoints"];
  if (endpoints && typeof endpoints === "object") for (const e of Object.values(endpoints as Record<string, { base_url?: unknown }>)) urls.push(e?.base_url);
  if (refs["upload_token"] !== undefined) urls.push((provider["uploads"] as { put?: unknown } | undefined)?.put);
  const origins = new Set<string>();
  for (const url of urls) {
    if (typeof url !== "string") continue;
    try {
      const u = new URL(url.replace(/\{[a-z0-9]+\}/g, "x"));
      if (u.protocol === "http:" || u.protocol === "https:") origins.add(u.origin);
    } catch {
      // Not a URL: the op reports it.
    }
  }
  return [...origins];
}
