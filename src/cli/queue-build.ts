/**
 * `build --queue` / DRAMAKE_QUEUE: the build as a coordinator (issue 30). The
 * engine's Executor becomes a QueueExecutor: op steps go to workers through
 * Redis, inputs and outputs through the remote cache (which a queued build
 * therefore needs), closures run here. Provider secrets go as the project
 * writes them, `${VAR}` references read from the project file itself, never
 * their values; a key written literally cannot go, and its steps say so.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { err, ok, type Result } from "../result.js";
import type { BuildGraph } from "../graph/load.js";
import type { RemoteCacheOptions } from "../engine/cache/endpoint.js";
import type { Executor, StepJob } from "../engine/execute/types.js";
import type { StepSpec } from "../engine/step.js";

export const QUEUE_ENV = "DRAMAKE_QUEUE";

/** The queue URL of a command line: `--queue` or DRAMAKE_QUEUE (an empty variable is unset). */
export function queueUrlFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = (flag ?? env[QUEUE_ENV] ?? "").trim();
  return url === "" ? undefined : url;
}

export interface QueueBuild {
  readonly executor: Executor;
  /** The queue's URL, password hidden. */
  readonly url: string;
  /** True once Redis was lost mid-build (the build stopped; see `lostMessage`). */
  lost(): boolean;
  close(): Promise<void>;
}

/** The line a build or watch ends with after losing Redis: what is kept and how to resume. */
export function lostMessage(url: string, finished: number): string {
  return `lost the queue at ${url} mid-build and stopped: the ${finished} step(s) that finished are cached (jobs still running on workers finish and go to the remote cache); when Redis is back, run the build again to resume where it stopped`;
}

export async function openQueueBuild(
  graph: BuildGraph,
  url: string,
  remote: RemoteCacheOptions | undefined,
  onNotice: (message: string) => void,
  /** Called once when Redis is lost mid-build: the build should stop (each step would fail the same way). */
  onLost: () => void = () => undefined,
): Promise<Result<QueueBuild, string>> {
  if (!remote || remote.mode === "read") {
    return err(`a queued build needs a remote cache it can write (--remote-cache URL or DRAMAKE_REMOTE_CACHE): workers fetch inputs and leave outputs there`);
  }
  const [{ openCoordinator }, { QueueExecutor }, { Cas }, { CacheHttp }, { remoteEndpoint }, { LocalExecutor }, { FileJournalStore }, { ObjectStore }, { StatCache }, { layout }] = await Promise.all([
    import("../engine/execute/queue/coordinator.js"),
    import("../engine/execute/queue-executor.js"),
    import("../engine/execute/queue/cas.js"),
    import("../engine/cache/http.js"),
    import("../engine/cache/endpoint.js"),
    import("../engine/execute/local.js"),
    import("../engine/execute/journal-store.js"),
    import("../engine/store.js"),
    import("../engine/stat-cache.js"),
    import("../engine/layout.js"),
  ]);
  const ep = remoteEndpoint(remote.url, remote.token);
  if (!ep.ok) return err(ep.error);
  const steps = new Map<string, StepSpec>(graph.steps.map((s) => [s.id, s]));
  const secretValues = [...new Set(graph.steps.flatMap((s) => Object.values(s.secrets ?? {})))];
  // How long Redis may be away before the build stops (tests shorten it).
  const reconnect = Number(process.env["DRAMAKE_QUEUE_RECONNECT_MS"]);
  const coordinator = await openCoordinator({
    url,
    forbidden: { secrets: secretValues, paths: [graph.root] },
    onNotice,
    ...(Number.isFinite(reconnect) && reconnect > 0 ? { reconnectForMs: reconnect } : {}),
  });
  if (!coordinator.ok) return err(coordinator.error.message);
  const l = layout(graph.root);
  // The build's own store directory: objects are written by atomic rename, so a second handle is safe.
  const store = new ObjectStore(l, await StatCache.load(l.statCache));
  const refs = await secretRefs(graph);
  const told = new Set<string>();
  const stepOf = (job: StepJob) => steps.get(job.id)!;
  const local = new LocalExecutor({
    store,
    journals: new FileJournalStore(l.journals),
    tmp: l.tmp,
    fileAt: (path) => join(graph.root, path),
    secrets: (job) => stepOf(job).secrets ?? {},
    code: (job) => {
      const step = stepOf(job);
      return step.run ? (ctx) => step.run!(ctx) : undefined;
    },
    required: (job) => Object.keys(stepOf(job).materialize ?? {}),
  });
  let toldLost = false;
  const c = coordinator.value;
  const watched: typeof c = {
    url: c.url,
    lost: () => c.lost(),
    forget: (key, lane) => c.forget(key, lane),
    close: () => c.close(),
    enqueue: async (job, lane) => {
      const r = await c.enqueue(job, lane);
      if (!r.ok && r.failure.kind === "queue-lost" && !toldLost) {
        toldLost = true;
        onLost();
      }
      return r;
    },
  };
  const executor = new QueueExecutor({
    coordinator: watched,
    cas: new Cas(new CacheHttp(ep.value, remote.timeoutMs ?? 30_000, remote.concurrency ?? 4, onNotice), store, ep.value.shown),
    local,
    fileAt: (path) => join(graph.root, path),
    lane: (job) => {
      const step = stepOf(job);
      return step.remote ? { kind: "provider", pool: step.pool, concurrency: graph.pools[step.pool] ?? 1 } : { kind: "local" };
    },
    // From the project file as written, not from the step's secrets: a coordinator without the keys
    // (a CI job without secrets) has none, and its workers still need to know which variables to read.
    secretRefs: (job): { provider: string; refs: Record<string, string> } | undefined => {
      const [provider = "", modality = ""] = stepOf(job).pool.split(":");
      const own = refs.get(provider);
      if (!own) return undefined;
      const written: Record<string, string> = { ...own, ...(refs.get(`${provider}:${modality}`) ?? {}) };
      const out: Record<string, string> = {};
      for (const [field, ref] of Object.entries(written)) {
        if (ref.includes("${")) {
          out[field] = ref;
        } else if (!told.has(`${provider}.${field}`)) {
          told.add(`${provider}.${field}`);
          onNotice(`provider ${provider}'s ${field} is not written as \${VAR} in the project file: workers get no ${field} for it (write ${field}: \${SOME_VAR} and set SOME_VAR on each worker)`);
        }
      }
      return { provider, refs: out };
    },
  });
  return ok({ executor, url: c.url, lost: () => c.lost(), close: () => c.close() });
}

/**
 * `provider` -> its secrets as written (api_key, access_key, secret_key, upload_token: a `${VAR}`
 * reference, or a literal that must not travel), and `provider:modality` -> an endpoint's own api_key.
 * Only the project file: providers are the series' own, never an included file's.
 */
async function secretRefs(graph: BuildGraph): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const file = graph.project?.file;
  if (!file) return out;
  type Written = { api_key?: unknown; access_key?: unknown; secret_key?: unknown; uploads?: { token?: unknown }; endpoints?: Record<string, { api_key?: unknown }> };
  let doc: { providers?: Record<string, Written> };
  try {
    doc = parse(await readFile(file, "utf8")) as typeof doc;
  } catch {
    return out;
  }
  for (const [name, p] of Object.entries(doc?.providers ?? {})) {
    const own: Record<string, string> = {};
    for (const [field, value] of [["api_key", p?.api_key], ["access_key", p?.access_key], ["secret_key", p?.secret_key], ["upload_token", p?.uploads?.token]] as const) {
      if (typeof value === "string") own[field] = value;
    }
    out.set(name, own);
    for (const [m, e] of Object.entries(p?.endpoints ?? {})) if (typeof e?.api_key === "string") out.set(`${name}:${m}`, { api_key: e.api_key });
  }
  return out;
}
