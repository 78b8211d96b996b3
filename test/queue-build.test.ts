/**
 * `dramake build` as a coordinator and `dramake worker` CHILD processes
 * (issue 30), over a real redis-server and nginx cache, against the fake
 * OpenAI server: the cloud fixture built by workers gives the same lockfile
 * and MP4 as a local build, with the same provider requests; every queued
 * step names its worker in --json; a worker killed with -9 mid video poll
 * costs no second video; two coordinators at once buy each paid step once.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
import { noRedis, startRedis, type RedisServer } from "./fixtures/redis-server.js";
import { CLOUD, build, copyFixture, dramake, routes, spawnDramake, startOpenAIServer, waitUntil, type BuildResult } from "./build-openai-helpers.js";

const skip = noRedis || (hasNginx() ? false : "nginx is not installed");
const MP4 = "build/cloud-test.mp4";

let server: OpenAIServer;
let redis: RedisServer;
let cache: NginxCache;
let local: { dir: string; build: BuildResult; requests: ReturnType<typeof routes> };
const workers: ChildProcess[] = [];

const sha = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");

before(async () => {
  if (skip) return;
  [server, redis, cache] = await Promise.all([startOpenAIServer(), startRedis(), startNginxCache()]);
  const dir = await copyFixture(CLOUD);
  const mark = server.log.length;
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  local = { dir, build: b, requests: routes(server.log.slice(mark)) };
});
after(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill("SIGKILL");
  await Promise.all([server?.close(), redis?.close(), cache?.close()]);
});

async function spawnWorkers(names: string[], extra: NodeJS.ProcessEnv = {}, at: OpenAIServer = server) {
  const out = [];
  for (const name of names) {
    const dir = await mkdtemp(join(tmpdir(), "dramake-worker-"));
    const w = spawnDramake(at, ["worker", "--queue", redis.url, "--remote-cache", cache.authUrl, "-j", "2", "--name", name, "--dir", dir], extra);
    workers.push(w.child);
    out.push(w);
  }
  return out;
}

async function stopWorkers(ws: { child: ChildProcess; done: Promise<unknown> }[]) {
  for (const w of ws) if (w.child.exitCode === null) w.child.kill("SIGTERM");
  await Promise.all(ws.map((w) => w.done));
}

test("one coordinator and three workers: same lock, same MP4, same provider requests as a local build", { skip }, async () => {
  const ws = await spawnWorkers(["w1", "w2", "w3"]);
  try {
    const dir = await copyFixture(CLOUD);
    const mark = server.log.length;
    const b = await build(server, dir, "--queue", redis.url, "--remote-cache", cache.authUrl);
    assert.equal(b.code, 0, b.stderr + b.stdout);
    assert.deepEqual(routes(server.log.slice(mark)), local.requests, "provider requests equal a local build's");
    assert.equal(await readFile(join(dir, "drama.lock"), "utf8"), await readFile(join(local.dir, "drama.lock"), "utf8"));
    assert.equal(await sha(join(dir, MP4)), await sha(join(local.dir, MP4)));
    const ran = [...b.steps.values()].filter((s) => s.state === "ran");
    const onWorkers = ran.filter((s) => typeof (s as { worker?: string }).worker === "string");
    // Every paid step is an op, so it went to a worker; closures (local steps not yet ops) ran here and said so.
    const paid = [...b.steps.keys()].filter((id) => /\/(portrait|keyframe|clip|lines|polish|voice)(\/|$)/.test(id));
    assert.ok(paid.length > 5);
    for (const id of paid) assert.match(String((b.steps.get(id) as { worker?: string }).worker), /^w[123]$/, `${id} ran on a worker`);
    const per: Record<string, number> = {};
    for (const s of onWorkers) per[String((s as { worker?: string }).worker)] = (per[String((s as { worker?: string }).worker)] ?? 0) + 1;
    assert.ok(Object.keys(per).length >= 2, `the work spread over workers: ${JSON.stringify(per)}`);
    console.log(`queued: ${onWorkers.length} of ${ran.length} steps on workers, by worker ${JSON.stringify(per)}`);
    // status --queue: the three workers, connected, nothing waiting or running.
    const st = await dramake(server, ["status", "--queue", redis.url, "--json"]);
    assert.equal(st.code, 0, st.stderr);
    const lines = st.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; worker?: string; connected?: boolean; running?: string[]; waiting?: string[] });
    assert.deepEqual(lines.filter((l) => l.event === "queue-worker" && l.connected).map((l) => l.worker).sort(), ["w1", "w2", "w3"]);
    assert.ok(lines.every((l) => l.event !== "queue-worker" || l.running!.length === 0));
    assert.deepEqual(lines.find((l) => l.event === "queue-summary")!.waiting, []);
  } finally {
    await stopWorkers(ws);
  }
});

test("Redis down at start: a clear error naming the URL without its password, exit 2", { skip }, async () => {
  const dir = await copyFixture(CLOUD);
  const r = await dramake(server, ["build", dir, "--queue", "redis://:hunter2-SECRET@127.0.0.1:1", "--remote-cache", cache.authUrl]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  assert.ok(!r.stderr.includes("hunter2") && !r.stderr.includes("    at "), r.stderr);
  const w = await dramake(server, ["worker", "--queue", "redis://:hunter2-SECRET@127.0.0.1:1", "--remote-cache", cache.authUrl]);
  assert.equal(w.code, 2);
  assert.match(w.stderr, /cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  assert.ok(!w.stderr.includes("hunter2"));
  const st = await dramake(server, ["status", "--queue", "redis://:hunter2-SECRET@127.0.0.1:1"]);
  assert.equal(st.code, 2);
  assert.match(st.stderr, /cannot reach the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:1/);
  assert.ok(!st.stderr.includes("hunter2"));
});

test("kill -9 of a worker during a video poll: the build finishes, one video create per clip", { skip }, async () => {
  // 50 status checks 20 ms apart: time to kill the worker mid-poll. Short locks: its jobs are handed on within seconds.
  const slow = await startOpenAIServer({ videoPolls: 50 });
  const fast = { DRAMAKE_WORKER_LOCK_MS: "2000", DRAMAKE_WORKER_STALL_MS: "500" };
  const ws: { child: ChildProcess; done: Promise<unknown> }[] = [];
  try {
    ws.push(...(await spawnWorkers(["doomed"], fast, slow)));
    const dir = await copyFixture(CLOUD);
    const coordinator = spawnDramake(slow, ["build", dir, "--json", "--queue", redis.url, "--remote-cache", cache.authUrl]);
    await waitUntil("a video job polled by the worker", 60_000, () => slow.log.some((e) => e.route === "videos.retrieve"));
    ws[0]!.child.kill("SIGKILL");
    const jobOf = (path: string) => path.split("/")[3];
    const polledAtKill = new Set(slow.log.filter((e) => e.route === "videos.retrieve").map((e) => jobOf(e.path)));
    ws.push(...(await spawnWorkers(["heir"], fast, slow)));
    const r = await coordinator.done;
    assert.equal(r.code, 0, r.stderr);
    const creates = slow.log.filter((e) => e.route === "videos.create").map((e) => e.prompt);
    assert.ok(creates.length >= 2);
    assert.equal(new Set(creates).size, creates.length, `one video create per clip: ${creates.length} creates`);
    // The job polled when its worker died was resumed by the heir and downloaded: not bought again.
    for (const job of polledAtKill) assert.ok(slow.log.some((e) => e.route === "videos.content" && jobOf(e.path) === job), `video job ${job} resumed and downloaded`);
    assert.match(r.stdout, /"worker":"heir"/);
    assert.ok((await readFile(join(dir, MP4))).length > 1000, "the MP4 is there");
  } finally {
    await stopWorkers(ws);
    await slow.close();
  }
});

test("two coordinators at once on two clones: every paid step bought once", { skip }, async () => {
  // A server of its own: its URL is in every paid step's key, so nothing is cached from the tests before.
  const fresh = await startOpenAIServer();
  const ws = await spawnWorkers(["a1", "a2"], {}, fresh);
  try {
    const [one, two] = await Promise.all([copyFixture(CLOUD), copyFixture(CLOUD)]);
    const mark = fresh.log.length;
    const [b1, b2] = await Promise.all([build(fresh, one, "--queue", redis.url, "--remote-cache", cache.authUrl), build(fresh, two, "--queue", redis.url, "--remote-cache", cache.authUrl)]);
    // The failed step's event says why (a step failure is on stdout with --json, not stderr).
    const why = (b: BuildResult) => b.stderr + [...b.steps].filter(([, e]) => e.state === "failed").map(([id, e]) => `${id}: ${e.reason}`).join("\n");
    assert.equal(b1.code, 0, why(b1));
    assert.equal(b2.code, 0, why(b2));
    const bought = fresh.log.slice(mark);
    const creates = bought.filter((e) => e.route === "videos.create").map((e) => e.prompt);
    assert.ok(creates.length >= 2);
    assert.equal(new Set(creates).size, creates.length, "each clip bought once");
    const paidRoutes = (r: ReturnType<typeof routes>) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== "videos.retrieve"));
    assert.deepEqual(paidRoutes(routes(bought)), paidRoutes(local.requests), "as many provider requests as one local build");
    assert.equal(await readFile(join(one, "drama.lock"), "utf8"), await readFile(join(two, "drama.lock"), "utf8"));
  } finally {
    await stopWorkers(ws);
    await fresh.close();
  }
});
