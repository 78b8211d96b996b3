/**
 * The engine's remote cache against a real server: Debian's nginx with WebDAV
 * PUT (test/fixtures/nginx-cache.ts). Two project directories stand for two
 * machines sharing one cache. Synthetic steps (no ffmpeg, no providers) so
 * every case takes milliseconds; the CLI tests do the same with a cloud project.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, computePlan, remoteEndpoint, type EngineEvent, type EngineGraph, type RemoteCacheOptions } from "../src/engine/index.js";
import { CACHE_PASSWORD, hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const skip = hasNginx() ? false : "nginx is not installed (.ci/run installs it)";

const desc = {
  steps: [
    { id: "portrait", params: { look: "red coat" }, estimate: 0.04, cost: 0.04, remote: true },
    { id: "keyframe", params: { n: 1 }, inputs: ["portrait"], estimate: 0.04, cost: 0.04, remote: true, viaFile: true },
    { id: "cut", params: { n: 2 }, inputs: ["keyframe"], materialize: { out: "final.txt" } },
  ],
  output: "final.txt",
};
const IDS = ["cut", "keyframe", "portrait"];

function machine(): string {
  return mkdtempSync(join(tmpdir(), "dramake-remote-"));
}

function graph(root: string, runs: string[] = [], control?: (id: string) => Promise<void> | void): EngineGraph {
  return syntheticGraph(root, desc, { onRun: (id: string) => runs.push(id), control });
}

async function run(root: string, remoteCache: RemoteCacheOptions | undefined, control?: (id: string) => Promise<void> | void) {
  const events: EngineEvent[] = [];
  const runs: string[] = [];
  const r = await build(graph(root, runs, control), { onEvent: (e) => events.push(e), remoteCache });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  const notices = events.flatMap((e) => (e.type === "notice" ? [e.message] : []));
  const remoteHits = events.flatMap((e) => (e.type === "cached" && e.source === "remote" ? [e.id] : [])).sort();
  for (const e of events) assert.ok(!JSON.stringify(e).includes(CACHE_PASSWORD), `the cache password leaked into ${JSON.stringify(e)}`);
  return { summary: r.value.summary, events, runs: runs.sort(), notices, remoteHits };
}

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

let cache: NginxCache;
before(async () => {
  if (!skip) cache = await startNginxCache();
});
after(() => cache?.close());

test("a second machine builds nothing: every step comes from the remote, verified, and the output is byte-identical", { skip }, async () => {
  const first = machine();
  const a = await run(first, { url: cache.authUrl });
  assert.deepEqual(a.runs, IDS);
  assert.deepEqual(a.notices, []);
  assert.equal(a.summary.remote?.hits, 0);
  assert.ok(a.summary.remote!.uploaded > 0);

  // Content before its record: every ac/ PUT comes after the PUTs of the objects it names.
  const log = await cache.requests();
  const puts = log.filter((r) => r.method === "PUT").map((r) => r.path);
  for (const path of puts.filter((p) => p.includes("/ac/"))) {
    const record = JSON.parse(readFileSync(join(cache.files, "ac", path.split("/").pop()!), "utf8")) as { outputs: Record<string, { sha256: string }> };
    for (const o of Object.values(record.outputs)) {
      const at = puts.indexOf(`/cache/cas/${o.sha256}`);
      assert.ok(at >= 0 && at < puts.indexOf(path), `${o.sha256} was uploaded before the record ${path}`);
    }
  }

  // A fresh machine's plan: the remote has everything, so nothing costs anything.
  const second = machine();
  const plan = await computePlan(graph(second), { remoteCache: { url: cache.url } });
  assert.ok(plan.ok);
  assert.deepEqual(plan.value.steps.map((s) => [s.id, s.action, s.source, s.estimate]), [
    ["portrait", "cached", "remote", 0],
    ["keyframe", "cached", "remote", 0],
    ["cut", "cached", "remote", 0],
  ]);
  assert.equal(plan.value.estimate, 0);
  assert.equal(plan.value.saved, 0.08);

  const putsBefore = (await cache.requests()).filter((r) => r.method === "PUT").length;
  const b = await run(second, { url: cache.authUrl });
  assert.deepEqual(b.runs, []);
  assert.deepEqual(b.remoteHits, IDS);
  assert.equal(b.summary.remote?.hits, 3);
  assert.equal(b.summary.spent, 0);
  assert.equal(b.summary.saved, 0.08);
  assert.ok(b.summary.remote!.downloaded > 0);
  assert.equal(b.summary.remote!.uploaded, 0);
  assert.equal((await cache.requests()).filter((r) => r.method === "PUT").length, putsBefore, "a hit uploads nothing");
  assert.deepEqual(readFileSync(join(second, "build/final.txt")), readFileSync(join(first, "build/final.txt")));

  // Stored locally: a third build on the second machine asks the remote nothing.
  const asked = (await cache.requests()).length;
  const c = await run(second, { url: cache.authUrl });
  assert.deepEqual(c.runs, []);
  assert.equal(c.summary.cached, 3);
  assert.equal(c.remoteHits.length, 0);
  assert.equal((await cache.requests()).length, asked);
});

test("a corrupted object on the server is detected, reported, never stored, regenerated and repaired", { skip }, async () => {
  await run(machine(), { url: cache.authUrl });
  // Flip the keyframe's object on the server (the records name objects by sha256).
  const records = readdirSync(join(cache.files, "ac")).map((f) => JSON.parse(readFileSync(join(cache.files, "ac", f), "utf8")));
  const keyframe = records.find((r) => r.id === "keyframe");
  const object = join(cache.files, "cas", keyframe.outputs.out.sha256);
  const good = readFileSync(object);
  const bad = Buffer.from(good);
  bad[0] = bad[0]! ^ 0xff;
  writeFileSync(object, bad);

  const second = machine();
  const b = await run(second, { url: cache.authUrl });
  assert.deepEqual(b.runs, ["keyframe"], "only the step with the bad object runs");
  assert.deepEqual(b.remoteHits, ["cut", "portrait"], "the regenerated bytes are the same, so the cut is still a hit");
  assert.equal(b.notices.length, 1);
  assert.match(b.notices[0]!, /keyframe's output 'out' .* is bad: its sha256 does not match; ignored, the step runs/);
  assert.equal(b.summary.remote?.rejected, 1);
  const stored = readdirSync(join(second, ".dramake/cache/objects"), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  assert.ok(stored.every((e) => !readFileSync(join(e.parentPath, e.name)).equals(bad)), "the bad bytes never entered the store");
  assert.deepEqual(readFileSync(object), good, "the upload after the rerun replaced the bad object");
  assert.equal(sha(readFileSync(object)), keyframe.outputs.out.sha256);
});

test("a record on the server that is not ours, or lacks an output the step makes, is a miss", { skip }, async () => {
  const tagged = { ...desc, steps: desc.steps.map((s) => ({ ...s, params: { ...s.params, foreign: true } })) };
  await build(syntheticGraph(machine(), tagged), { onEvent: () => undefined, remoteCache: { url: cache.authUrl } });
  const files = readdirSync(join(cache.files, "ac"));
  const records = files.map((f) => ({ f, r: JSON.parse(readFileSync(join(cache.files, "ac", f), "utf8")) })).filter(({ r }) => r.params.foreign);
  const cut = records.find(({ r }) => r.id === "cut")!;
  writeFileSync(join(cache.files, "ac", cut.f), JSON.stringify({ ...cut.r, outputs: {} }));
  const keyframe = records.find(({ r }) => r.id === "keyframe")!;
  writeFileSync(join(cache.files, "ac", keyframe.f), "<html>not a record</html>");

  const runs: string[] = [];
  const events: EngineEvent[] = [];
  const r = await build(syntheticGraph(machine(), tagged, { onRun: (id: string) => runs.push(id) }), { onEvent: (e) => events.push(e), remoteCache: { url: cache.authUrl } });
  assert.ok(r.ok);
  assert.deepEqual(runs.sort(), ["cut", "keyframe"]);
  assert.equal(r.value.summary.remote?.hits, 1);
  const notices = events.flatMap((e) => (e.type === "notice" ? [e.message] : []));
  assert.deepEqual(notices.map((n) => n.replace(/[0-9a-f]{64}/, "<sha>")), [`remote cache ${cache.url}: the record at ac/<sha> is not a dramake record for this step; ignored`]);
});

test("read mode downloads but uploads nothing, and needs no credentials", { skip }, async () => {
  const mark = (await cache.requests()).length;
  const fresh = { ...desc, steps: desc.steps.map((s) => ({ ...s, params: { ...s.params, readMode: true } })) };
  const root = machine();
  const events: EngineEvent[] = [];
  const r = await build(syntheticGraph(root, fresh), { onEvent: (e) => events.push(e), remoteCache: { url: cache.url, mode: "read" } });
  assert.ok(r.ok);
  assert.equal(r.value.summary.ran, 3);
  const since = (await cache.requests()).slice(mark);
  assert.ok(since.length > 0, "it did look");
  assert.deepEqual(since.filter((q) => q.method !== "GET"), []);
  assert.deepEqual(events.filter((e) => e.type === "notice"), []);
});

test("write mode uploads without looking anything up, and HEAD spares objects the server has", { skip }, async () => {
  await run(machine(), { url: cache.authUrl });
  const mark = (await cache.requests()).length;
  const b = await run(machine(), { url: cache.authUrl, mode: "write" });
  assert.deepEqual(b.runs, IDS, "the remote has it all, but write mode does not ask");
  const since = (await cache.requests()).slice(mark);
  assert.deepEqual(since.filter((q) => q.method === "GET"), []);
  assert.deepEqual(since.filter((q) => q.method === "HEAD").map((q) => q.status), [200, 200, 200], "every output is already there");
  assert.ok(since.filter((q) => q.method === "PUT").every((q) => q.path.includes("/ac/")), "only the records are sent again");
});

test("a cache stopped mid-build: the build finishes locally with one warning", { skip }, async () => {
  const own = await startNginxCache();
  try {
    const r = await run(machine(), { url: own.authUrl }, async (id) => {
      if (id === "keyframe") await own.stop();
    });
    assert.deepEqual(r.runs, IDS);
    assert.equal(r.summary.failed, 0);
    assert.equal(r.notices.length, 1, r.notices.join("\n"));
    // Refused on a new connection, or cut on a kept-alive one that nginx closed as it stopped (undici says "other side
    // closed", or the socket read ECONNRESET when the reset wins the race): either way one warning.
    assert.match(r.notices[0]!, /^remote cache http:\/\/127\.0\.0\.1:\d+\/cache is unreachable \((connect ECONNREFUSED 127\.0\.0\.1:\d+|other side closed|read ECONNRESET)\); going on without it$/);
  } finally {
    await own.close();
  }
});

/** A server that accepts connections and never answers: the cache that hangs. Its port is handed to `use`. */
async function withSilentServer(use: (port: number) => Promise<void>): Promise<void> {
  const sockets = new Set<Socket>();
  const silent = createServer((s) => sockets.add(s));
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  try {
    await use((silent.address() as { port: number }).port);
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
}

test("a cache that accepts connections but never answers costs one timeout and one warning", async () => {
  await withSilentServer(async (port) => {
    const t0 = performance.now();
    const r = await run(machine(), { url: `http://127.0.0.1:${port}/c`, timeoutMs: 150 });
    assert.deepEqual(r.runs, IDS);
    assert.deepEqual(r.notices, [`remote cache http://127.0.0.1:${port}/c did not answer within 150 ms; going on without it`]);
    assert.ok(performance.now() - t0 < 5000);
  });
});

test("the build waits for uploads still in flight, but not for ever", async () => {
  await withSilentServer(async (port) => {
    const t0 = performance.now();
    // Write mode asks nothing first, so the steps run; their uploads hang on a server that never answers.
    const r = await run(machine(), { url: `http://127.0.0.1:${port}/c`, mode: "write", timeoutMs: 30_000, drainMs: 200 });
    assert.deepEqual(r.runs, IDS);
    assert.equal(r.notices.length, 1);
    assert.match(r.notices[0]!, /^remote cache http:\/\/127\.0\.0\.1:\d+\/c: stopped waiting for [1-3] upload\(s\) after 200 ms; those steps stay on this machine only$/);
    assert.ok(performance.now() - t0 < 10_000, "the drain bound, not the request timeout, ended the wait");
  });
});

test("a refused upload (401) is one warning that names DRAMAKE_REMOTE_CACHE_TOKEN; the build succeeds", { skip }, async () => {
  const fresh = { ...desc, steps: desc.steps.map((s) => ({ ...s, params: { ...s.params, noAuth: true } })) };
  const events: EngineEvent[] = [];
  const r = await build(syntheticGraph(machine(), fresh), { onEvent: (e) => events.push(e), remoteCache: { url: cache.url } });
  assert.ok(r.ok);
  assert.equal(r.value.summary.ran, 3);
  const notices = events.flatMap((e) => (e.type === "notice" ? [e.message] : []));
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /refused access \(HTTP 401\); set DRAMAKE_REMOTE_CACHE_TOKEN/);
});

test("the cache URL's credentials become an Authorization header and never appear in what is shown", () => {
  const basic = remoteEndpoint("https://ci:s3cr%40t@cache.example:9090/team/?x=1#y");
  assert.ok(basic.ok);
  assert.equal(basic.value.base, "https://cache.example:9090/team");
  assert.equal(basic.value.shown, "https://cache.example:9090/team");
  assert.equal(basic.value.authorization, `Basic ${Buffer.from("ci:s3cr@t").toString("base64")}`);
  const bearer = remoteEndpoint("http://127.0.0.1:1/", "tok-123");
  assert.ok(bearer.ok);
  assert.equal(bearer.value.authorization, "Bearer tok-123");
  assert.equal(bearer.value.base, "http://127.0.0.1:1");
  const bad = remoteEndpoint("ftp://u:hunter2@host/x");
  assert.ok(!bad.ok);
  assert.doesNotMatch(bad.error, /hunter2/);
  const garbage = remoteEndpoint("not a url :hunter2@");
  assert.ok(!garbage.ok);
  assert.doesNotMatch(garbage.error, /hunter2/);
});

test("a build refuses a remote cache URL that is not http(s), before doing anything", async () => {
  const root = machine();
  const r = await build(graph(root), { onEvent: () => undefined, remoteCache: { url: "ftp://host/x" } });
  assert.ok(!r.ok);
  assert.equal(r.error.kind, "bad-remote-cache");
  assert.ok(!existsSync(join(root, "build")));
});
