import { join, resolve } from "node:path";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { numberFlag, sizeFlag, usageError } from "../options.js";
import { remoteCacheFrom } from "../remote-cache.js";
import { queueUrlFrom } from "../queue-build.js";

/** A worker's store is a copy of what the remote cache holds: a few GB of recent objects saves most downloads. */
const DEFAULT_MAX_STORE = 5 * 1024 ** 3;

const command = defineCommand({
  name: "worker",
  summary: "take steps from a BullMQ queue on Redis and run them (--queue, --remote-cache, -j)",
  details:
    "Runs until interrupted. Provider keys come from this machine: each job names its ${VAR}s, expanded from\nthe environment or a .env in the working directory. Objects are kept under --dir (default .dramake-worker).",
  args: [],
  flags: {
    queue: { value: "URL", description: "the Redis to take jobs from: redis://host:6379, redis://:password@host, rediss:// (default: $DRAMAKE_QUEUE)" },
    "remote-cache": { value: "URL", description: "the shared cache inputs come from and outputs go to (default: $DRAMAKE_REMOTE_CACHE; token: $DRAMAKE_REMOTE_CACHE_TOKEN)" },
    jobs: { short: "j", value: "N", description: "local jobs (ffmpeg) at once on this worker (default: the number of cores)" },
    "pool-jobs": { value: "N", description: "most jobs of one provider pool this worker runs at once (default: the pool's whole concurrency, which holds across all workers either way)" },
    name: { value: "NAME", description: "this worker's name in status and messages (default: host:pid)" },
    dir: { value: "DIR", description: "where this worker keeps fetched and made objects (default: .dramake-worker)" },
    "max-store": { value: "SIZE", description: "keep --dir under SIZE (500M, 2G; default 5G): least recently used objects go after each job (the remote cache has them)" },
  },
  async run(input): Promise<number> {
    const v = input.flags;
    const url = queueUrlFrom(v.queue);
    if (url === undefined) return usageError(command, "a worker needs a queue: --queue redis://host:6379 or DRAMAKE_QUEUE");
    const jobs = numberFlag(v.jobs, "-j", { integer: true, min: 1 });
    if (!jobs.ok) return usageError(command, jobs.error.message);
    const poolJobs = numberFlag(v["pool-jobs"], "--pool-jobs", { integer: true, min: 1 });
    if (!poolJobs.ok) return usageError(command, poolJobs.error.message);
    const maxStore = sizeFlag(v["max-store"], "--max-store");
    if (!maxStore.ok) return usageError(command, maxStore.error.message);
    const remote = remoteCacheFrom({ url: v["remote-cache"] });
    if (!remote.ok) return usageError(command, remote.error.message);
    if (!remote.value) return usageError(command, "a worker needs the remote cache its builds use: --remote-cache URL or DRAMAKE_REMOTE_CACHE");
    const [{ startWorker }, { opRunner }, { Cas }, { CacheHttp }, { remoteEndpoint }, { ObjectStore }, { StatCache }, { layout }, { loadDotEnv, interpolate }, os, { StoreBound }] = await Promise.all([
      import("../../engine/execute/queue/worker.js"),
      import("../../engine/execute/queue/run-job.js"),
      import("../../engine/execute/queue/cas.js"),
      import("../../engine/cache/http.js"),
      import("../../engine/cache/endpoint.js"),
      import("../../engine/store.js"),
      import("../../engine/stat-cache.js"),
      import("../../engine/layout.js"),
      import("../../project/env.js"),
      import("node:os"),
      import("../../engine/execute/queue/store-bound.js"),
      // The drama's ops: what this worker can run.
      import("../../graph/ops/index.js"),
    ]);
    const ep = remoteEndpoint(remote.value.url, remote.value.token);
    if (!ep.ok) return usageError(command, ep.error);
    // The environment wins over .env, as for drama.yaml.
    const dotenv = await loadDotEnv(join(process.cwd(), ".env"));
    if (dotenv.kind === "loaded") for (const p of dotenv.problems) process.stderr.write(`dramake worker: .env line ${p.line}: ${p.message}\n`);
    const env = { ...(dotenv.kind === "loaded" ? dotenv.values : {}), ...process.env };
    // Trust is this machine's: read from the real environment and the user's trust file, never from .env.
    const { userTrustedOrigins, isTrustedOrigin } = await import("../../project/trusted-origins.js");
    const trusted = await userTrustedOrigins(process.env);
    const l = layout(resolve(v.dir ?? ".dramake-worker"));
    const store = new ObjectStore(l, await StatCache.load(l.statCache));
    const say = (line: string) => input.quiet || process.stderr.write(`${line}\n`);
    const cas = new Cas(new CacheHttp(ep.value, 30_000, 4, (m) => say(`dramake worker: ${m}`)), store, ep.value.shown);
    const ms = (name: string) => {
      const n = Number(process.env[name]);
      return Number.isFinite(n) && n > 0 ? n : undefined;
    };
    const lockMs = ms("DRAMAKE_WORKER_LOCK_MS");
    const stallMs = ms("DRAMAKE_WORKER_STALL_MS");
    const started = await startWorker({
      url,
      concurrency: jobs.value ?? Math.max(1, os.availableParallelism()),
      ...(v.name ? { name: v.name } : {}),
      ...(poolJobs.value !== undefined ? { poolConcurrency: poolJobs.value } : {}),
      ...(lockMs ? { lockDurationMs: lockMs } : {}),
      ...(stallMs ? { stalledIntervalMs: stallMs } : {}),
      recordCrashes: true,
      runJob: opRunner({
        store,
        cas,
        tmp: l.tmp,
        trusts: (origin) => isTrustedOrigin(origin, trusted),
        bound: new StoreBound(l.objects, maxStore.value ?? DEFAULT_MAX_STORE),
        expand: (ref) => {
          const x = interpolate(ref, env);
          const unset = x.problems.find((p) => p.kind === "unset");
          return unset?.kind === "unset" ? { value: "", unset: unset.name } : { value: x.value };
        },
      }),
      onEvent: (e) => {
        if (e.type === "took") say(`took ${e.id} (${e.queue})`);
        else if (e.type === "finished") say(`finished ${e.id} in ${(e.ms / 1000).toFixed(1)} s`);
        else if (e.type === "failed") say(`failed ${e.id}: ${e.message}`);
        else say(e.type === "queue-down" ? "lost the queue; retrying" : "the queue is back");
      },
    });
    if (!started.ok) {
      process.stderr.write(`dramake worker: ${started.error.message}\n`);
      return EXIT_USAGE;
    }
    const w = started.value;
    say(`worker ${w.name} takes jobs from ${(await import("../../engine/execute/queue/connection.js")).redactUrl(url)}; cache ${ep.value.shown}`);
    await new Promise<void>((done) => {
      const stop = () => done();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    say(`worker ${w.name} stopping: running jobs finish first`);
    await w.close();
    return EXIT_OK;
  },
});
export default command;
