/**
 * The queue executor (issue 30) at engine level: a build over a real
 * redis-server and nginx cache hands its op steps to a worker (in this
 * process, its own store and environment), and ends with the same lockfile
 * and outputs as a local build; every queued step names its worker, secrets
 * travel as `${VAR}` references and are expanded by the worker; a worker
 * without the variable fails the step naming provider, variable and worker.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { build, layout, registerOp, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
import { LocalExecutor } from "../src/engine/execute/local.js";
import { FileJournalStore } from "../src/engine/execute/journal-store.js";
import { QueueExecutor } from "../src/engine/execute/queue-executor.js";
import { Cas } from "../src/engine/execute/queue/cas.js";
import { openCoordinator } from "../src/engine/execute/queue/coordinator.js";
import { startWorker, type RunningWorker } from "../src/engine/execute/queue/worker.js";
import { opRunner } from "../src/engine/execute/queue/run-job.js";
import { CacheHttp } from "../src/engine/cache/http.js";
import { remoteEndpoint } from "../src/engine/cache/endpoint.js";
import { ObjectStore } from "../src/engine/store.js";
import { StatCache } from "../src/engine/stat-cache.js";
import { noRedis, startRedis, type RedisServer } from "./fixtures/redis-server.js";
import { hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
import { StepFailed } from "../src/engine/step-failure.js";
import { interpolate } from "../src/project/env.js";

const SECRET = "sk-QUEUE-EXEC-SECRET-31337";
let keyRuns = 0;

registerOp({
  name: "test/q-shout",
  async run(params, io) {
    // A paid op: it needs its key, which only the worker's environment has.
    if (io.secrets["api_key"] !== SECRET) throw new StepFailed("wrong or no key", { kind: "auth" });
    keyRuns++;
    const from = Object.values(io.inputs)[0]?.["text"];
    const file = Object.values(io.files)[0];
    const base = from ? await readFile(from.path, "utf8") : String((params as { text: string }).text);
    const extra = file ? `+${await readFile(file.path, "utf8")}` : "";
    await io.output("text", { bytes: `${base}${extra}`.toUpperCase() });
  },
});

let redis: RedisServer;
let cache: NginxCache;
before(async () => {
  if (noRedis || !hasNginx()) return;
  [redis, cache] = await Promise.all([startRedis(), startNginxCache()]);
});
after(async () => {
  await Promise.all([redis?.close(), cache?.close()]);
});

function graph(root: string): EngineGraph {
  writeFileSync(join(root, "note.txt"), "from a file");
  const step = (id: string, params: Record<string, string>, inputs: string[], files: string[] = [], op = "test/q-shout") => ({
    id,
    op,
    kind: "text",
    version: 1,
    params,
    inputs,
    files,
    pool: "fake:text",
    remote: true,
    secrets: { api_key: SECRET },
  });
  const closure = {
    ...step("c", {}, ["b"], [], "test/not-an-op"),
    pool: "local",
    remote: false,
    secrets: {},
    async run(ctx: import("../src/engine/index.js").StepContext) {
      await ctx.output("text", { bytes: `${await readFile(ctx.inputs["b"]!["text"]!.path, "utf8")}.` });
    },
  };
  return { root, steps: [step("a", { text: "hello" }, [], ["note.txt"]), step("b", {}, ["a"]), closure], pools: { "fake:text": 2, local: 2 } };
}

async function storeAt(root: string) {
  const l = layout(root);
  return { l, store: new ObjectStore(l, await StatCache.load(l.statCache)) };
}

/** The CLI's expansion (project/env.ts), as `dramake worker` does it. */
function expand(ref: string, env: Record<string, string>): { value: string; unset?: string } {
  const x = interpolate(ref, env);
  const unset = x.problems.find((p) => p.kind === "unset");
  return unset?.kind === "unset" ? { value: "", unset: unset.name } : { value: x.value };
}

async function worker(env: Record<string, string>, prefix: string): Promise<RunningWorker> {
  const dir = mkdtempSync(join(tmpdir(), "dramake-qworker-"));
  const { l, store } = await storeAt(dir);
  const ep = remoteEndpoint(cache.authUrl);
  assert.ok(ep.ok);
  const cas = new Cas(new CacheHttp(ep.value, 10_000, 4, () => undefined), store, ep.value.shown);
  const w = await startWorker({ url: redis.url, prefix, concurrency: 2, name: `w-${Object.keys(env).length}`, runJob: opRunner({ store, cas, tmp: l.tmp, expand: (ref) => expand(ref, env) }) });
  assert.ok(w.ok, JSON.stringify(!w.ok && w.error));
  return w.value;
}

async function queuedBuild(root: string, prefix: string) {
  const { l, store } = await storeAt(root);
  const ep = remoteEndpoint(cache.authUrl);
  assert.ok(ep.ok);
  const c = await openCoordinator({ url: redis.url, prefix });
  assert.ok(c.ok);
  const local = new LocalExecutor({ store, journals: new FileJournalStore(l.journals), tmp: l.tmp, fileAt: (p) => join(root, p), secrets: () => ({}) });
  const g = graph(root);
  const byId = new Map(g.steps.map((s) => [s.id, s]));
  const executor = new QueueExecutor({
    coordinator: c.value,
    cas: new Cas(new CacheHttp(ep.value, 10_000, 4, () => undefined), store, ep.value.shown),
    local: {
      // The build's closures need the step's own run: a local executor holding the graph.
      execute: (job, hooks) => new LocalExecutor({ store, journals: new FileJournalStore(l.journals), tmp: l.tmp, fileAt: (p) => join(root, p), secrets: () => ({}), code: (j) => { const s = byId.get(j.id)!; return s.run ? (ctx) => s.run!(ctx) : undefined; } }).execute(job, hooks),
      settled: (key) => local.settled(key),
    },
    fileAt: (p) => join(root, p),
    lane: (job) => (byId.get(job.id)!.pool === "local" ? { kind: "local" } : { kind: "provider", pool: byId.get(job.id)!.pool, concurrency: 2 }),
    secretRefs: () => ({ provider: "fake", refs: { api_key: "${FAKE_KEY}" } }),
  });
  const events: EngineEvent[] = [];
  const r = await build(g, { onEvent: (e) => events.push(e), executor });
  await c.value.close();
  assert.ok(r.ok);
  return events;
}

test("a queued build: workers run the ops, the lockfile equals a local build's, no secret in Redis", { skip: noRedis || (!hasNginx() && "no nginx") }, async () => {
  const prefix = "qexec1";
  const w = await worker({ FAKE_KEY: SECRET }, prefix);
  try {
    const queued = mkdtempSync(join(tmpdir(), "dramake-qexec-"));
    const events = await queuedBuild(queued, prefix);
    const finished = events.filter((e) => e.type === "finished") as Extract<EngineEvent, { type: "finished" }>[];
    assert.deepEqual(finished.map((e) => e.id).sort(), ["a", "b", "c"], JSON.stringify(events.filter((e) => e.type === "failed")));
    assert.deepEqual(finished.filter((e) => e.worker).map((e) => [e.id, e.worker]).sort(), [["a", "w-1"], ["b", "w-1"]]);
    assert.equal(finished.find((e) => e.id === "c")!.worker, undefined, "a closure runs here");
    assert.ok(events.some((e) => e.type === "notice" && /test\/not-an-op are not operations yet/.test(e.message)));
    assert.equal(keyRuns, 2);

    const plain = mkdtempSync(join(tmpdir(), "dramake-qexec-"));
    const g = graph(plain);
    const lr = await build(g, { onEvent: () => undefined });
    assert.ok(lr.ok);
    assert.equal(readFileSync(layout(queued).lockfile, "utf8"), readFileSync(layout(plain).lockfile, "utf8"));
    // Nothing in Redis holds the key's value: the job carried its reference.
    const client = new Redis(redis.url);
    const keys = await client.keys("*");
    let dump = "";
    for (const k of keys) dump += JSON.stringify(await client.dump(k).catch(() => "")) + (await client.type(k) === "hash" ? JSON.stringify(await client.hgetall(k)) : "");
    await client.quit();
    assert.ok(keys.length > 0 && !dump.includes(SECRET) && dump.includes("${FAKE_KEY}"));
  } finally {
    await w.close();
  }
});

test("a worker without the variable fails the step naming the provider, the variable and the worker", { skip: noRedis || (!hasNginx() && "no nginx") }, async () => {
  const prefix = "qexec2";
  const w = await worker({}, prefix);
  try {
    const root = mkdtempSync(join(tmpdir(), "dramake-qexec-"));
    const events = await queuedBuild(root, prefix);
    const failed = events.find((e) => e.type === "failed") as Extract<EngineEvent, { type: "failed" }>;
    assert.equal(failed.id, "a");
    assert.deepEqual(failed.failure, { kind: "worker-missing-secret", provider: "fake", variable: "FAKE_KEY", worker: "w-0" });
    assert.match(failed.message, /provider fake needs FAKE_KEY, which is not set on worker w-0/);
  } finally {
    await w.close();
  }
});
