/**
 * The queue at the command line (issue 30), with `dramake worker` CHILD
 * processes, a real redis-server (with a password) and nginx cache, against
 * the fake OpenAI server:
 * - workers put each step's outputs AND its action record in the remote
 *   cache: the coordinator (behind a proxy that logs it) uploads no record,
 *   and a second clone's plain build gets every step from the remote cache,
 *   no provider request; a worker's `--max-store` keeps its directory bounded;
 * - `watch` with DRAMAKE_QUEUE builds through the queue, the first build and
 *   the rebuild after a save;
 * - Redis stopped mid-build: the coordinator stops with the URL (password
 *   hidden) and how to resume; the next build runs only what had not finished;
 * - a poisoned job (its worker process crashes every time) fails its step
 *   with the crash named; --keep-going carries on with the rest.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer, request, type Server } from "node:http";
import { mkdir, mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { Redis } from "ioredis";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildProcess } from "node:child_process";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
import { noRedis, REDIS_PASSWORD, startRedis, type RedisServer } from "./fixtures/redis-server.js";
import { CLOUD, KEY, build, copyFixture, editProject, events, inState, parseBuild, spawnDramake, startOpenAIServer, waitUntil } from "./build-openai-helpers.js";

const skip = noRedis || (hasNginx() ? false : "nginx is not installed");
const POISON = pathToFileURL(fileURLToPath(new URL("./fixtures/queue/poison.mjs", import.meta.url))).href;
/** Short locks: a dead worker's job is handed on within about three seconds. */
const FAST = { DRAMAKE_WORKER_LOCK_MS: "2000", DRAMAKE_WORKER_STALL_MS: "500" };

let redis: RedisServer;
let cache: NginxCache;
const children: ChildProcess[] = [];

before(async () => {
  if (skip) return;
  [redis, cache] = await Promise.all([startRedis({ password: REDIS_PASSWORD }), startNginxCache()]);
});
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await Promise.all([redis?.close(), cache?.close()]);
});

interface Spawned {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  readonly dir: string;
}

async function workers(server: OpenAIServer, names: string[], args: string[] = [], env: NodeJS.ProcessEnv = {}, url = redis.url): Promise<Spawned[]> {
  const out: Spawned[] = [];
  for (const name of names) {
    const dir = await mkdtemp(join(tmpdir(), "dramake-worker-"));
    const w = spawnDramake(server, ["worker", "--queue", url, "--remote-cache", cache.authUrl, "-j", "2", "--name", name, "--dir", dir, ...args], { ...FAST, ...env });
    children.push(w.child);
    out.push({ ...w, dir });
  }
  return out;
}

async function stop(ws: Spawned[]): Promise<void> {
  for (const w of ws) if (w.child.exitCode === null) w.child.kill("SIGTERM");
  await Promise.all(ws.map((w) => w.done));
}

/** Bytes of the object files under a store's objects directory. */
async function storeBytes(objects: string): Promise<number> {
  let total = 0;
  for (const d of await readdir(objects).catch(() => [] as string[])) {
    for (const f of await readdir(join(objects, d)).catch(() => [] as string[])) total += (await stat(join(objects, d, f))).size;
  }
  return total;
}

/** A pass-through proxy in front of the cache that logs what goes through it: what one client sent. */
async function loggingProxy(target: string): Promise<{ url: string; log: string[]; close(): Promise<void> }> {
  const to = new URL(target);
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const up = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on("error", () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.port = String(port);
  return { url: url.toString(), log, close: () => new Promise((ok) => server.close(() => ok())) };
}

/** The cloud fixture as a series: its scenes in an included episode file. */
async function cloudSeries(): Promise<string> {
  const dir = await copyFixture(CLOUD);
  const text = await readFile(join(dir, "drama.yaml"), "utf8");
  const at = text.indexOf("\nscenes:");
  await mkdir(join(dir, "episodes"));
  await writeFile(join(dir, "episodes", "01.yaml"), `id: "01"\ntitle: One${text.slice(at)}`);
  await writeFile(join(dir, "drama.yaml"), `${text.slice(0, at)}\nepisodes:\n  - include: episodes/01.yaml\n`);
  return dir;
}

/** Every string Redis holds under dramake's prefix. */
async function everythingInRedis(url: string): Promise<string> {
  const client = new Redis(url);
  const parts: string[] = [];
  try {
    for (const k of await client.keys("dramake:*")) {
      const type = await client.type(k);
      if (type === "hash") parts.push(JSON.stringify(await client.hgetall(k)));
      else if (type === "stream") parts.push(JSON.stringify(await client.xrange(k, "-", "+")));
      else if (type === "string") parts.push(String(await client.get(k)));
    }
  } finally {
    client.disconnect();
  }
  return parts.join("\n");
}

test("a coordinator without provider keys: workers share outputs and the record themselves, another clone gets every step from the cache without the coordinator; --max-store bounds a worker", { skip }, async () => {
  // A server of its own: its URL is in every paid step's key, so nothing is cached before.
  const server = await startOpenAIServer();
  const proxy = await loggingProxy(cache.authUrl);
  const BOUND = 150_000;
  const ws = await workers(server, ["s1", "s2"], ["--max-store", String(BOUND)]);
  try {
    const one = await cloudSeries();
    // No key here (a CI coordinator without secrets): the workers hold it.
    const b = parseBuild(await spawnDramake(server, ["build", one, "--json", "--queue", redis.url, "--remote-cache", proxy.url], { OPENAI_API_KEY: "" }).done);
    assert.equal(b.code, 0, b.stderr + b.stdout);
    assert.ok(!b.stderr.includes("OPENAI_API_KEY"), `no warning about the key: ${b.stderr}`);
    const stored = await everythingInRedis(redis.url);
    assert.ok(stored.includes("${OPENAI_API_KEY}"), "the jobs carry the reference");
    assert.ok(!stored.includes(KEY), "never the key");
    const ran = inState(b, "ran");
    assert.ok(ran.length > 10 && ran.every((id) => typeof (b.steps.get(id) as { worker?: string }).worker === "string"), "every step ran on a worker");
    // The coordinator made sure each job's inputs are shared (the workers' own outputs: there already) and restored outputs; it put no record.
    assert.ok(proxy.log.some((l) => l.startsWith("HEAD ") && l.includes("/cas/")), "the coordinator went through the proxy");
    assert.deepEqual(proxy.log.filter((l) => l.startsWith("PUT ") && l.includes("/ac/")), [], "the coordinator uploaded no record");
    const records = (await cache.requests()).filter((r) => r.method === "PUT" && r.path.includes("/ac/") && r.status < 300);
    assert.equal(records.length, ran.length, "one record per step, put by the workers");

    const mark = server.log.length;
    const two = await cloudSeries();
    const r = await dramake2(server, two);
    assert.equal(r.code, 0, r.stderr);
    const cached = events(r.stdout).filter((e) => e.event === "step");
    assert.equal(cached.length, ran.length);
    assert.ok(cached.every((e) => e.state === "cached" && e.source === "remote"), "every step came from the remote cache");
    assert.deepEqual(server.log.slice(mark), [], "no provider request");

    // The workers made and fetched far more than the bound; what they keep fits it (the last trim may still run).
    const made = await storeBytes(join(one, ".dramake", "cache", "objects"));
    assert.ok(made > 3 * BOUND, `the build's objects (${made} bytes) exceed the bound several times`);
    for (const w of ws) {
      const objects = join(w.dir, ".dramake", "cache", "objects");
      const end = Date.now() + 5000;
      while ((await storeBytes(objects)) > BOUND && Date.now() < end) await new Promise((ok) => setTimeout(ok, 50));
      assert.ok((await storeBytes(objects)) <= BOUND, `worker store ${await storeBytes(objects)} bytes <= ${BOUND}`);
    }
  } finally {
    await stop(ws);
    await Promise.all([server.close(), proxy.close()]);
  }
});

/** A plain build (no queue) reading the same cache without credentials. */
async function dramake2(server: OpenAIServer, dir: string) {
  const w = spawnDramake(server, ["build", dir, "--json", "--remote-cache", cache.url, "--remote-cache-mode", "read"]);
  return w.done;
}

test("watch with DRAMAKE_QUEUE builds through the queue: the first build and the rebuild after a save run on workers", { skip }, async () => {
  const server = await startOpenAIServer();
  const ws = await workers(server, ["v1", "v2"]);
  const dir = await copyFixture(CLOUD);
  const w = spawnDramake(server, ["watch", dir, "--json", "--remote-cache", cache.authUrl], { DRAMAKE_QUEUE: redis.url, OPENAI_API_KEY: "" });
  children.push(w.child);
  let out = "";
  w.child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  const lines = () => events(out);
  const idles = () => lines().filter((e) => e.event === "watch" && e.state === "idle").length;
  try {
    await waitUntil("the first build", 90_000, () => idles() >= 1 || w.child.exitCode !== null);
    const first = lines().filter((e) => e.event === "step" && e.state === "ran");
    assert.ok(first.length > 10, out);
    assert.ok(first.every((e) => /^v[12]$/.test(String(e.worker))), "the first build's steps ran on workers");
    const mark = lines().length;
    await editProject(dir, "Take my umbrella.", "Take my old umbrella.");
    await waitUntil("the rebuild", 60_000, () => idles() >= 2 || w.child.exitCode !== null);
    const again = lines().slice(mark).filter((e) => e.event === "step" && e.state === "ran");
    assert.ok(again.some((e) => String(e.id).startsWith("scene/hello/voice/")), JSON.stringify(again));
    assert.ok(again.every((e) => /^v[12]$/.test(String(e.worker))), "the rebuild's steps ran on workers");
    assert.equal(lines().filter((e) => e.event === "step" && e.state === "failed").length, 0, out);
    w.child.kill("SIGINT");
    assert.equal((await w.done).code, 0);
  } finally {
    if (w.child.exitCode === null) w.child.kill("SIGKILL");
    await stop(ws);
    await server.close();
  }
});

test("Redis stopped mid-build: the coordinator stops naming the URL (password hidden) and how to resume; the next build runs only the rest", { skip }, async () => {
  const own = await startRedis({ password: REDIS_PASSWORD });
  // Slow video polls: Redis goes while clips are still being made.
  const server = await startOpenAIServer({ videoPolls: 40 });
  const ws = await workers(server, ["r1", "r2"], [], {}, own.url);
  try {
    const dir = await copyFixture(CLOUD);
    const c = spawnDramake(server, ["build", dir, "--json", "--queue", own.url, "--remote-cache", cache.authUrl], { DRAMAKE_QUEUE_RECONNECT_MS: "1000" });
    let out = "";
    c.child.stdout!.on("data", (x: Buffer) => (out += x.toString()));
    await waitUntil("a video job polled", 60_000, () => server.log.some((e) => e.route === "videos.retrieve"));
    await own.stop();
    const t0 = Date.now();
    const r = await c.done;
    assert.ok(Date.now() - t0 < 10_000, "it stopped soon");
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /lost the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ mid-build and stopped: the \d+ step\(s\) that finished are cached .*when Redis is back, run the build again to resume/);
    assert.ok(!(r.stdout + r.stderr).includes(REDIS_PASSWORD), "no password");
    assert.ok(!r.stderr.includes("    at "), "no stack trace");
    const first = parseBuild(r);
    const finished = inState(first, "ran");
    assert.ok(finished.length > 0, "some steps finished before Redis went");
    assert.equal(first.summary.steps.ran, finished.length);

    await own.restart();
    const again = await build(server, dir, "--queue", own.url, "--remote-cache", cache.authUrl);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    const ranAgain = inState(again, "ran");
    for (const id of finished) assert.equal(again.steps.get(id)?.state, "cached", `${id} finished before: kept`);
    assert.deepEqual(ranAgain.filter((id) => finished.includes(id)), [], "nothing finished is run again");
    assert.equal(ranAgain.length + inState(again, "cached").length, again.summary.steps.total);
    assert.ok(ranAgain.length > 0 && ranAgain.length < again.summary.steps.total, `ran the rest: ${ranAgain.length} of ${again.summary.steps.total}`);
    // A paid step that had finished is not bought twice.
    const creates = server.log.filter((e) => e.route === "videos.create").map((e) => e.prompt);
    assert.equal(new Set(creates).size, creates.length, "one video create per clip");
  } finally {
    await stop(ws);
    await server.close();
    await own.close();
  }
});

test("a poisoned job (its worker process crashes every time) fails its step with the crash named; --keep-going builds the rest", { skip }, async () => {
  const server = await startOpenAIServer();
  // One job per pool per worker: a crash takes as few innocent jobs with it as a crash can.
  const ws = await workers(server, ["p1", "p2", "p3", "p4"], ["-j", "1", "--pool-jobs", "1"], { NODE_OPTIONS: `--import ${POISON}`, POISON: "Character portrait of Bob" });
  try {
    const dir = await copyFixture(CLOUD);
    const b = await build(server, dir, "--keep-going", "--queue", redis.url, "--remote-cache", cache.authUrl);
    assert.equal(b.code, 1, b.stderr + b.stdout);
    const poisoned = b.steps.get("cast/bob/portrait")!;
    assert.equal(poisoned.state, "failed");
    assert.equal(poisoned.failure?.kind, "worker-crashed");
    assert.equal(poisoned.failure?.attempts, 2);
    assert.match(String(poisoned.failure?.crash), /^Error: poisoned request \(Character portrait of Bob\)$/);
    assert.match(String(poisoned.reason), /cast\/bob\/portrait: the worker process running it died 2 time\(s\) \(last on p\d: Error: poisoned request \(Character portrait of Bob\)\); the queue gave up after 2 attempt\(s\)/);
    // Carried on: Ann's scene does not need Bob's portrait and was built.
    for (const id of ["cast/ann/portrait", "scene/bye/keyframe", "scene/bye/clip"]) assert.equal(b.steps.get(id)?.state, "ran", `${id} built`);
    assert.equal(b.steps.get("scene/hello/keyframe")?.state, "skipped", "what needs Bob's portrait waits");
    assert.ok(inState(b, "failed").every((id) => b.steps.get(id)!.failure?.kind === "worker-crashed"), "only crashes failed");
    assert.ok(!server.log.some((e) => JSON.stringify(e).includes("Character portrait of Bob")), "the poisoned request never left a worker");
    await Promise.all(ws.filter((w) => w.child.exitCode !== null).map((w) => w.done));
    assert.equal(ws.filter((w) => w.child.exitCode === 70).length, 2, "two workers died of it");
  } finally {
    await stop(ws);
    await server.close();
  }
});

test("a worker sends its keys only to origins it trusts: a project naming another base_url fails the step on the worker, nothing sent", { skip }, async () => {
  const server = await startOpenAIServer();
  const ws = await workers(server, ["t1"]);
  try {
    const dir = await copyFixture(CLOUD);
    // The coordinator's project points elsewhere; the worker holds the key.
    const b = parseBuild(await spawnDramake(server, ["build", dir, "--json", "--queue", redis.url, "--remote-cache", cache.authUrl], { OPENAI_API_KEY: "", OPENAI_BASE_URL: "http://keys.invalid:9/v1" }).done);
    assert.equal(b.code, 1, b.stderr);
    const failed = inState(b, "failed").map((id) => b.steps.get(id)!);
    assert.ok(failed.length > 0);
    for (const f of failed) {
      assert.deepEqual(f.failure, { kind: "untrusted-origin", provider: "cloud", origin: "http://keys.invalid:9", worker: "t1" });
      assert.match(String(f.reason), /worker t1 does not send provider cloud's keys to http:\/\/keys\.invalid:9, which it has not trusted; nothing was sent\. .*dramake trust http:\/\/keys\.invalid:9/);
    }
    assert.deepEqual(server.log, [], "no request anywhere the fake can see");
  } finally {
    await stop(ws);
    await server.close();
  }
});
