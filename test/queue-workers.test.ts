/**
 * The queue layer (issue 30) against a real redis-server (with a password, so
 * `redis://:password@host` is exercised everywhere) and worker CHILD
 * processes running fake ops at a fake paid job API. Money rules are counted
 * at the fake provider; leaks are checked by scanning everything stored in
 * Redis and everything the workers printed.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import type { Lane, StepJob, StepResult } from "../src/engine/execute/queue/contract.js";
import { openCoordinator, type Coordinator } from "../src/engine/execute/queue/coordinator.js";
import { jobId, queueName } from "../src/engine/execute/queue/names.js";
import { queueStatus } from "../src/engine/execute/queue/status.js";
import { bytesOf, PROVIDER_TOKEN, startFakeProvider, type FakeProvider } from "./fixtures/queue/fake-provider.js";
import { spawnWorker, type WorkerProcess } from "./fixtures/queue/spawn.js";
import { hasOpenssl, noRedis, REDIS_PASSWORD, startRedis, type RedisServer } from "./fixtures/redis-server.js";
import { createHash } from "node:crypto";

const VIDEO: Lane = { kind: "provider", pool: "fake:video", concurrency: 2 };
/**
 * Short locks, so a dead worker's job is handed on within about three seconds.
 * Not shorter, and the tests run one at a time: on a loaded 2-core machine a
 * worker's event loop can lag past a 1.5 s lock, and BullMQ then hands on a job
 * whose worker is alive (seen when these tests ran four at once).
 */
const FAST = { LOCK_MS: "2000", STALL_MS: "500" };

let prefixes = 0;

interface Rig {
  readonly prefix: string;
  readonly provider: FakeProvider;
  readonly store: string;
  readonly workers: WorkerProcess[];
  coordinator(options?: { reconnectForMs?: number }): Promise<Coordinator>;
  spawn(n: number, extra?: Record<string, string | undefined>): Promise<WorkerProcess[]>;
  close(): Promise<void>;
}

function renderJob(prompt: string, key = keyOf(prompt)): StepJob {
  return {
    key,
    id: `scene/${prompt}/clip`,
    op: "render",
    kind: "render",
    version: 1,
    // The provider's config as the project has it: references, never values.
    params: { prompt, provider: { name: "fake", base_url: "${FAKE_BASE}", api_key: "${FAKE_KEY}" } },
    inputs: { [`scene/${prompt}/keyframe`]: { image: { digest: createHash("sha256").update(`keyframe ${prompt}`).digest("hex"), size: 1 } } },
    files: { "refs/grandpa.png": createHash("sha256").update("png").digest("hex") },
    take: 1,
    remote: true,
  };
}

/** A stand-in step key: hex, as the engine's are. */
const keyOf = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);
const digestOf = (prompt: string) => createHash("sha256").update(bytesOf(prompt)).digest("hex");

describe("queue: coordinators and worker processes on Redis", { skip: noRedis }, () => {
  let redis: RedisServer;
  const rigs: Rig[] = [];

  before(async () => {
    redis = await startRedis({ password: REDIS_PASSWORD });
  });
  after(async () => {
    for (const r of rigs) await r.close();
    await redis.close();
  });

  async function rig(jobMs = 50): Promise<Rig> {
    const prefix = `t${++prefixes}`;
    const provider = await startFakeProvider({ jobMs });
    const store = await mkdtemp(join(tmpdir(), "queue-store-"));
    const coordinators: Coordinator[] = [];
    const workers: WorkerProcess[] = [];
    const r: Rig = {
      prefix,
      provider,
      store,
      workers,
      async coordinator(options = {}) {
        const c = await openCoordinator({ url: redis.url, prefix, forbidden: { secrets: [PROVIDER_TOKEN, REDIS_PASSWORD] }, ...options });
        assert.ok(c.ok, c.ok ? "" : c.error.message);
        coordinators.push(c.value);
        return c.value;
      },
      async spawn(n, extra = {}) {
        const made = await Promise.all(
          Array.from({ length: n }, (_, i) =>
            spawnWorker(`w${workers.length + i + 1}`, { DRAMAKE_QUEUE: redis.url, QUEUE_PREFIX: prefix, STORE_DIR: store, FAKE_KEY: PROVIDER_TOKEN, FAKE_BASE: provider.url, ...FAST, ...extra }),
          ),
        );
        workers.push(...made);
        return made;
      },
      async close() {
        await Promise.all(coordinators.map((c) => c.close()));
        await Promise.all(workers.map((w) => w.kill("SIGKILL")));
        await provider.close();
      },
    };
    rigs.push(r);
    return r;
  }

  /** Every string Redis holds under a prefix: hashes, lists, streams, sets, strings. */
  async function everythingStored(prefix: string): Promise<string> {
    const client = new Redis(redis.url);
    const parts: string[] = [];
    try {
      let cursor = "0";
      do {
        const [next, keys] = await client.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
        cursor = next;
        for (const k of keys) {
          parts.push(k);
          const type = await client.type(k);
          if (type === "hash") parts.push(JSON.stringify(await client.hgetall(k)));
          else if (type === "list") parts.push(JSON.stringify(await client.lrange(k, 0, -1)));
          else if (type === "stream") parts.push(JSON.stringify(await client.xrange(k, "-", "+")));
          else if (type === "zset") parts.push(JSON.stringify(await client.zrange(k, 0, -1)));
          else if (type === "set") parts.push(JSON.stringify(await client.smembers(k)));
          else if (type === "string") parts.push(String(await client.get(k)));
        }
      } while (cursor !== "0");
    } finally {
      client.disconnect();
    }
    return parts.join("\n");
  }

  function assertNoLeaks(text: string, where: string) {
    for (const secret of [PROVIDER_TOKEN, REDIS_PASSWORD]) assert.ok(!text.includes(secret), `${where} holds a secret`);
    for (const path of [process.cwd(), homedir(), tmpdir()]) assert.ok(!text.includes(`${path}/`) && !text.includes(`"${path}"`), `${where} holds the coordinator's path ${path}`);
  }

  test("two coordinators enqueue the same steps at once: each op runs once, both get its one result; nothing secret or local is stored", async () => {
    const r = await rig();
    await r.spawn(2);
    const [a, b] = [await r.coordinator(), await r.coordinator()];
    const prompts = ["p1", "p2", "p3", "p4"];
    const results = await Promise.all([...prompts.map((p) => a.enqueue(renderJob(p), VIDEO)), ...prompts.map((p) => b.enqueue(renderJob(p), VIDEO))]);
    for (const [i, res] of results.entries()) {
      assert.ok(res.ok, JSON.stringify(res));
      const prompt = prompts[i % prompts.length]!;
      assert.equal(res.outputs.video!.digest, digestOf(prompt));
      // The bytes are really in the store, under the digest the result names.
      assert.equal(createHash("sha256").update(await readFile(join(r.store, res.outputs.video!.digest))).digest("hex"), digestOf(prompt));
      assert.equal(res.cost, 0.25);
      assert.match(res.journal.job!, /^job_\d+$/);
    }
    // Each coordinator's answer for a step is the same run's.
    for (let i = 0; i < prompts.length; i++) assert.deepEqual(results[i], results[i + prompts.length]);
    assert.deepEqual(Object.fromEntries(r.provider.creates()), { p1: 1, p2: 1, p3: 1, p4: 1 });
    const took = r.workers.flatMap((w) => w.events.filter((e) => e.event === "took"));
    assert.equal(took.length, 4, "each job was taken once");
    const stored = await everythingStored(r.prefix);
    assert.ok(stored.includes("${FAKE_KEY}"), "the job carries the reference");
    assertNoLeaks(stored, "Redis");
    for (const w of r.workers) assertNoLeaks(w.output(), `worker ${w.name}'s output`);
  });

  test("a provider pool's concurrency holds across three workers (the provider never sees more at once)", async () => {
    const r = await rig(200);
    // One slot each: without the queue's global limit three would run at once.
    await r.spawn(3, { POOL_J: "1" });
    const c = await r.coordinator();
    const prompts = Array.from({ length: 9 }, (_, i) => `g${i}`);
    const results = await Promise.all(prompts.map((p) => c.enqueue(renderJob(p), VIDEO)));
    assert.ok(results.every((x) => x.ok));
    assert.equal(r.provider.maxInFlight(), 2);
    const byWorker = new Set(results.map((x) => (x as Extract<StepResult, { ok: true }>).worker));
    assert.ok(byWorker.size >= 2, `the jobs were spread over workers: ${[...byWorker].join(", ")}`);
  });

  test("kill -9 of a worker mid-poll: another worker resumes the same provider job from the Redis journal, one create", async () => {
    const r = await rig();
    const [w1, w2] = await r.spawn(2, { J: "1" });
    r.provider.hold(true);
    const c = await r.coordinator();
    const done = c.enqueue(renderJob("resume-me"), VIDEO);
    const firstPoll = await r.provider.waitFor((q) => q.method === "GET" && q.job !== undefined);
    const victim = [w1!, w2!].find((w) => w.name === firstPoll.worker)!;
    const survivor = [w1!, w2!].find((w) => w !== victim)!;
    assert.equal(await victim.kill("SIGKILL"), "SIGKILL");
    const resumed = await r.provider.waitFor((q) => q.method === "GET" && q.worker === survivor.name);
    assert.equal(resumed.job, firstPoll.job, "the survivor polls the job the victim created");
    r.provider.hold(false);
    const res = await done;
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.worker, survivor.name);
    assert.equal(res.journal.job, firstPoll.job);
    assert.equal(res.outputs.video!.digest, digestOf("resume-me"));
    assert.equal(r.provider.creates().get("resume-me"), 1, "one purchase");
  });

  test("local work is limited per worker by -j, not across workers", async () => {
    const r = await rig();
    await r.spawn(2, { J: "2" });
    const c = await r.coordinator();
    const jobs = Array.from({ length: 10 }, (_, i): StepJob => ({ key: keyOf(`local${i}`), id: `scene/s${i}/cut`, op: "local", kind: "local", version: 1, params: { ms: 150 }, inputs: {}, files: {}, take: 1, remote: false }));
    // Both workers serve the local queue from their start: no pool to discover.
    const results = await Promise.all(jobs.map((j) => c.enqueue(j, { kind: "local" })));
    assert.ok(results.every((x) => x.ok));
    const { byWorker, total } = r.provider.maxBusy();
    assert.deepEqual(byWorker, { w1: 2, w2: 2 }, "each worker ran two at once, never more");
    assert.equal(total, 4, "no limit across workers for local work");
  });

  test("a worker stopped at once mid-poll (close(true)) reports nothing: the job is handed on and resumed, one create", async () => {
    const r = await rig();
    const [w1, w2] = await r.spawn(2, { J: "1" });
    r.provider.hold(true);
    const c = await r.coordinator();
    const done = c.enqueue(renderJob("handed-on"), VIDEO);
    const firstPoll = await r.provider.waitFor((q) => q.method === "GET" && q.job !== undefined);
    const leaving = [w1!, w2!].find((w) => w.name === firstPoll.worker)!;
    const staying = [w1!, w2!].find((w) => w !== leaving)!;
    assert.equal(await leaving.kill("SIGINT"), 0, "it left cleanly");
    await r.provider.waitFor((q) => q.method === "GET" && q.worker === staying.name);
    r.provider.hold(false);
    const res = await done;
    assert.ok(res.ok, JSON.stringify(res));
    assert.equal(res.worker, staying.name);
    assert.equal(r.provider.creates().get("handed-on"), 1);
    assert.ok(!leaving.events.some((e) => e.event === "failed"), "the leaving worker failed nothing");
  });

  test("a poisoned job (its worker process crashes every time) fails after BullMQ's attempts, with the crash named", async () => {
    const r = await rig();
    const workers = await r.spawn(3, { J: "1", MAX_STALLED: "1" });
    const c = await r.coordinator();
    const res = await c.enqueue({ ...renderJob("poison"), op: "crash" }, { kind: "local" });
    assert.equal(res.ok, false);
    assert.equal(res.failure.kind, "worker-crashed");
    assert.equal(res.failure.attempts, 2);
    assert.match(String(res.failure.crash), /poisoned op 'poison' blew up/);
    assert.match(res.message, /scene\/poison\/clip: the worker process running it died 2 time\(s\) \(last on w\d: Error: poisoned op 'poison' blew up\); the queue gave up after 2 attempt\(s\)/);
    const dead = [];
    for (const w of workers) if (w.child.exitCode !== null) dead.push(await w.exited);
    assert.deepEqual(dead, [70, 70], "two workers died of it, with the crash exit code; the third one failed the job");
    // The next build runs it afresh: two more deaths, not one (an old stall count would fail it at the first).
    await r.spawn(2, { J: "1", MAX_STALLED: "1" });
    const again = await c.enqueue({ ...renderJob("poison"), op: "crash" }, { kind: "local" });
    assert.equal(again.ok, false);
    assert.equal(again.failure.kind, "worker-crashed");
    assert.equal(again.failure.attempts, 2);
    assert.equal(r.workers.filter((w) => w.child.exitCode === 70).length, 4);
  });

  test("a step's own failure comes back as data, is not retried by the queue, and a later build runs it again", async () => {
    const r = await rig();
    await r.spawn(1);
    const c = await r.coordinator();
    const job: StepJob = { ...renderJob("refused"), op: "refuse" };
    const res = await c.enqueue(job, VIDEO);
    assert.equal(res.ok, false);
    assert.deepEqual(res.failure, { kind: "refused", provider: "fake", code: "content_policy" });
    assert.equal(res.message, "fake refused the request: the prompt was refused");
    assert.equal(res.worker, "w1");
    assert.equal(r.provider.requests.filter((q) => q.path === "/v1/refuse").length, 1, "not retried");
    const again = await c.enqueue(job, VIDEO);
    assert.equal(again.ok, false);
    assert.equal(r.provider.requests.filter((q) => q.path === "/v1/refuse").length, 2, "a failure is not served as a result");
  });

  test("a worker without the provider's variable fails the job naming provider, variable and worker", async () => {
    const r = await rig();
    await r.spawn(1, { FAKE_KEY: undefined });
    const c = await r.coordinator();
    const res = await c.enqueue(renderJob("no-key"), VIDEO);
    assert.equal(res.ok, false);
    assert.deepEqual(res.failure, { kind: "missing-variable", provider: "fake", variable: "FAKE_KEY", worker: "w1" });
    assert.equal(res.message, "provider fake needs FAKE_KEY, which is not set on worker w1");
    assert.equal(r.provider.requests.length, 0);
  });

  test("status lists waiting, running and failed jobs per worker", async () => {
    const r = await rig();
    const [w1] = await r.spawn(1, { J: "1" });
    r.provider.hold(true);
    const c = await r.coordinator();
    const one: Lane = { kind: "provider", pool: "fake:slow", concurrency: 1 };
    const failed = await c.enqueue({ ...renderJob("bad"), op: "refuse" }, one);
    assert.equal(failed.ok, false);
    const running = c.enqueue(renderJob("running"), one);
    const waiting = c.enqueue(renderJob("waiting"), one);
    await r.provider.waitFor((q) => q.method === "GET" && q.worker === w1!.name);
    const s = await queueStatus({ url: redis.url, prefix: r.prefix });
    assert.ok(s.ok);
    const w = s.value.workers[w1!.name]!;
    assert.equal(w.connected, true);
    assert.deepEqual(w.active.map((j) => j.id), ["scene/running/clip"]);
    assert.deepEqual(w.failed.map((j) => [j.id, j.reason]), [["scene/bad/clip", "fake refused the request: the prompt was refused"]]);
    assert.deepEqual(s.value.waiting.map((j) => [j.id, j.queue]), [["scene/waiting/clip", "pool-fake%3Aslow"]]);
    const q = s.value.queues.find((x) => x.name === "pool-fake%3Aslow")!;
    assert.deepEqual(q.lane, one);
    r.provider.hold(false);
    assert.ok((await running).ok);
    assert.ok((await waiting).ok);
  });

  test("a build queued with no worker connected is told so, and its step runs when a worker starts", async () => {
    const r = await rig();
    const notices: string[] = [];
    const c = await openCoordinator({ url: redis.url, prefix: r.prefix, onNotice: (m) => notices.push(m) });
    assert.ok(c.ok);
    const pending = c.value.enqueue(renderJob("late"), VIDEO);
    await r.spawn(1);
    const res = await pending;
    assert.ok(res.ok, JSON.stringify(res));
    assert.deepEqual(notices, [`no worker is connected to the queue at redis://:***@127.0.0.1:${redis.port} yet: queued steps wait until one starts (dramake worker --queue redis://:***@127.0.0.1:${redis.port})`]);
    await c.value.close();
    const told: string[] = [];
    const again = await openCoordinator({ url: redis.url, prefix: r.prefix, onNotice: (m) => told.push(m) });
    assert.ok(again.ok);
    assert.ok((await again.value.enqueue(renderJob("early"), VIDEO)).ok);
    assert.deepEqual(told, [], "a worker is there: nothing to say");
    await again.value.close();
  });

  test("a job that would carry a secret or a path of this machine is refused before it reaches Redis", async () => {
    const r = await rig();
    const c = await r.coordinator();
    const leaky = renderJob("leak");
    const withKey = await c.enqueue({ ...leaky, params: { prompt: "leak", provider: { name: "fake", base_url: "${FAKE_BASE}", api_key: PROVIDER_TOKEN } } }, VIDEO);
    assert.equal(withKey.ok, false);
    assert.deepEqual(withKey.failure, { kind: "unsafe-job", field: "job.params.provider.api_key", what: "secret" });
    assert.ok(!withKey.message.includes(PROVIDER_TOKEN));
    const withPath = await c.enqueue({ ...leaky, files: { [join(tmpdir(), "refs/a.png")]: "00" } }, VIDEO);
    assert.equal(withPath.ok, false);
    assert.equal(withPath.failure.what, "path");
    assert.equal(await everythingStored(r.prefix), "", "nothing was queued");
  });

  test("Redis stopped mid-build: waiting steps end with a failure saying how to resume; nothing hangs, nothing printed", async () => {
    const own = await startRedis({ password: REDIS_PASSWORD });
    // ioredis and BullMQ print through console when an error has no listener: the library must leave none.
    const printed: unknown[][] = [];
    const saved = { log: console.log, warn: console.warn, error: console.error };
    for (const k of ["log", "warn", "error"] as const) console[k] = (...args: unknown[]) => void printed.push(args);
    try {
      const provider = await startFakeProvider();
      provider.hold(true);
      const store = await mkdtemp(join(tmpdir(), "queue-store-"));
      const w = await spawnWorker("w-lost", { DRAMAKE_QUEUE: own.url, STORE_DIR: store, FAKE_KEY: PROVIDER_TOKEN, FAKE_BASE: provider.url, ...FAST });
      const c = await openCoordinator({ url: own.url, reconnectForMs: 500 });
      assert.ok(c.ok);
      const pending = [c.value.enqueue(renderJob("a"), VIDEO), c.value.enqueue(renderJob("b"), VIDEO)];
      await provider.waitFor((q) => q.method === "GET");
      const t0 = Date.now();
      await own.stop();
      const results = await Promise.all(pending);
      const ms = Date.now() - t0;
      assert.ok(ms < 5000, `ended in ${ms} ms`);
      for (const res of results) {
        assert.equal(res.ok, false);
        assert.deepEqual(res.failure, { kind: "queue-lost", url: `redis://:***@127.0.0.1:${own.port}` });
        assert.match(res.message, /lost the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ mid-build\. Steps that finished are cached.*run the build again to resume/);
        assert.ok(!res.message.includes(REDIS_PASSWORD));
      }
      assert.equal(c.value.lost(), true);
      const later = await c.value.enqueue(renderJob("c"), VIDEO);
      assert.equal(later.ok ? "ok" : later.failure.kind, "queue-lost", "answers at once after the loss");
      await c.value.close();
      await w.waitFor((e) => e.event === "queue-down");
      await w.kill("SIGKILL");
      assertNoLeaks(w.output(), "the worker's output");
      const stray = w.output().split("\n").filter((l) => l.trim() !== "" && !l.startsWith("{"));
      assert.deepEqual(stray, [], "the worker printed only its event lines");
      await provider.close();
      assert.deepEqual(printed, [], "the coordinator printed nothing");
    } finally {
      Object.assign(console, saved);
      await own.close();
    }
  });

  test("rediss:// (TLS): a worker on TLS runs a coordinator's job; an untrusted certificate is a clear error", { skip: hasOpenssl() ? false : "no /usr/bin/openssl to make a certificate" }, async () => {
    const own = await startRedis({ password: REDIS_PASSWORD, tls: true });
    const provider = await startFakeProvider();
    try {
      const store = await mkdtemp(join(tmpdir(), "queue-store-"));
      // The worker trusts the test's certificate; this process does not (NODE_EXTRA_CA_CERTS is read at start).
      const w = await spawnWorker("w-tls", { DRAMAKE_QUEUE: own.tlsUrl!, NODE_EXTRA_CA_CERTS: own.caFile!, STORE_DIR: store, FAKE_KEY: PROVIDER_TOKEN, FAKE_BASE: provider.url, ...FAST });
      const c = await openCoordinator({ url: own.url });
      assert.ok(c.ok);
      const res = await c.value.enqueue(renderJob("over-tls"), VIDEO);
      assert.ok(res.ok, JSON.stringify(res));
      assert.equal(res.worker, "w-tls");
      await c.value.close();
      await w.kill("SIGKILL");
      const untrusted = await openCoordinator({ url: own.tlsUrl! });
      assert.equal(untrusted.ok, false);
      if (!untrusted.ok) {
        assert.match(untrusted.error.message, /^cannot reach the queue at rediss:\/\/:\*\*\*@127\.0\.0\.1:\d+: .*self[- ]signed certificate/);
        assert.ok(!untrusted.error.message.includes(REDIS_PASSWORD));
      }
    } finally {
      await provider.close();
      await own.close();
    }
  });

  test("Redis restarted empty mid-build (no persistence): the coordinator queues its steps again, the build finishes", async () => {
    const own = await startRedis({ password: REDIS_PASSWORD });
    const provider = await startFakeProvider();
    try {
      const store = await mkdtemp(join(tmpdir(), "queue-store-"));
      const c = await openCoordinator({ url: own.url, reconnectForMs: 10_000 });
      assert.ok(c.ok);
      // Queued while no worker runs, so nothing was bought before the restart.
      const pending = c.value.enqueue(renderJob("survives"), VIDEO);
      const client = new Redis(own.url);
      // The job is in Redis once add() answered; there is no event for it on this side, so look.
      while ((await client.exists(`dramake:${queueName(VIDEO)}:${jobId(keyOf("survives"))}`)) === 0) await new Promise((r) => setTimeout(r, 20));
      client.disconnect();
      await own.restart();
      const w = await spawnWorker("w-after", { DRAMAKE_QUEUE: own.url, STORE_DIR: store, FAKE_KEY: PROVIDER_TOKEN, FAKE_BASE: provider.url, ...FAST });
      const res = await Promise.race([pending, new Promise<string>((r) => setTimeout(() => r("still waiting after 20 s"), 20_000).unref())]);
      assert.ok(typeof res !== "string" && res.ok, JSON.stringify(res));
      assert.equal(provider.creates().get("survives"), 1);
      await c.value.close();
      await w.kill("SIGKILL");
    } finally {
      await provider.close();
      await own.close();
    }
  });

  test("Redis down at start: a clear error naming the URL, password hidden", async () => {
    const dead = await startRedis();
    const port = dead.port;
    await dead.close();
    const url = `redis://:${REDIS_PASSWORD}@127.0.0.1:${port}`;
    const c = await openCoordinator({ url });
    assert.equal(c.ok, false);
    if (c.ok) return;
    assert.match(c.error.message, new RegExp(`^cannot reach the queue at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\(start Redis there, or fix DRAMAKE_QUEUE / --queue\\)$`));
    assert.ok(!JSON.stringify(c.error).includes(REDIS_PASSWORD));
    const wrong = await openCoordinator({ url: redis.url.replace(REDIS_PASSWORD, "not-the-password") });
    assert.equal(wrong.ok, false);
    if (!wrong.ok) {
      assert.match(wrong.error.message, /WRONGPASS|NOAUTH|invalid password/i);
      assert.ok(!wrong.error.message.includes("not-the-password"));
    }
    const http = await openCoordinator({ url: "http://127.0.0.1:6379" });
    assert.equal(http.ok, false);
    if (!http.ok) assert.match(http.error.message, /its scheme is http; use redis:\/\/ or rediss:\/\/ \(TLS\)/);
  });
});
