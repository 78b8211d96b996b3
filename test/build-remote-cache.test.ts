/**
 * Two machines, one shared cache: fresh copies of the cloud project in two
 * directories build against the fake OpenAI server and a real nginx WebDAV
 * cache (test/fixtures/nginx-cache.ts), through the real CLI. What one machine
 * paid for, the other downloads: no provider request, the same MP4 bytes.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { probe } from "../src/media/probe.js";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { CACHE_PASSWORD, CACHE_USER, hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
import { CLOUD, assertNoKeyUnder, build, copyFixture, dramake, editProject, parseBuild, routes, since, spawnDramake, startOpenAIServer, waitUntil, type BuildResult } from "./build-openai-helpers.js";

const skip = hasNginx() ? false : "nginx is not installed (.ci/run installs it)";
const MP4 = "build/cloud-test.mp4";
const TOKEN = "tok-REMOTE-SECRET-456";

let server: OpenAIServer;
let cache: NginxCache;
/** The first machine: built once, its uploads are what the other tests read. */
let first: string;
let firstBuild: BuildResult;

before(async () => {
  if (skip) return;
  [server, cache] = await Promise.all([startOpenAIServer(), startNginxCache()]);
  first = await copyFixture(CLOUD);
  firstBuild = await build(server, first, "--remote-cache", cache.authUrl);
});
after(async () => {
  await Promise.all([server?.close(), cache?.close()]);
});

/** Neither the cache's password, its user, nor a token may be printed or stored anywhere. */
async function assertNoCacheSecrets(r: { stdout: string; stderr: string }, dir: string): Promise<void> {
  for (const secret of [CACHE_PASSWORD, `${CACHE_USER}:`, TOKEN]) {
    assert.ok(!(r.stdout + r.stderr).includes(secret), `${secret} was printed`);
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) assert.ok(!(await readFile(join(entry.parentPath, entry.name))).includes(secret), `${secret} is stored in ${entry.name}`);
    }
  }
}

const remoteNotices = (b: BuildResult) => b.notices.filter((n) => n.startsWith("remote cache"));

test("the second machine builds with no provider request and a byte-identical MP4", { skip }, async () => {
  assert.equal(firstBuild.code, 0, firstBuild.stderr);
  assert.equal(firstBuild.summary.steps.ran, firstBuild.summary.steps.total);
  assert.ok(server.log.length > 10, "the first machine paid for its steps");
  await assertNoCacheSecrets(firstBuild, first);

  const second = await copyFixture(CLOUD);
  // Its plan already knows: everything is on the remote, and costs nothing.
  const plan = await dramake(server, ["plan", second, "--remote-cache", cache.url]);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /remote: cached scene\/hello\/clip/);
  const total = firstBuild.summary.steps.total;
  assert.match(plan.stdout, new RegExp(`0 to run, ${total} cached \\(${total} on the remote cache\\); estimated cost \\$0\\.00`));

  const mark = server.log.length;
  const b = await build(server, second, "--remote-cache", cache.authUrl);
  assert.equal(b.code, 0, b.stderr);
  assert.deepEqual(routes(since(server, mark)), {}, "not one provider request");
  assert.equal(b.summary.steps.ran, 0);
  assert.equal((b.summary.steps as { remote?: number }).remote, b.summary.steps.total);
  assert.ok([...b.steps.values()].every((s) => s.state === "cached" && (s as { source?: string }).source === "remote"));
  assert.equal(b.summary.cost.spent, 0);
  // Each reused step saves what it cost the first machine (its estimate, where it recorded no cost).
  assert.ok(b.summary.cost.saved >= firstBuild.summary.cost.spent && firstBuild.summary.cost.spent > 0);
  assert.deepEqual(await readFile(join(second, MP4)), await readFile(join(first, MP4)));
  assert.deepEqual(remoteNotices(b), []);
  await assertNoCacheSecrets(b, second);
  await assertNoKeyUnder(second);
  // drama.lock is the same file on both machines: keys hold no path, URL or credential.
  assert.equal(await readFile(join(second, "drama.lock"), "utf8"), await readFile(join(first, "drama.lock"), "utf8"));
});

test("a corrupted clip on the server is detected and regenerated; the rest is downloaded", { skip }, async () => {
  const records = await Promise.all((await readdir(join(cache.files, "ac"))).map(async (f) => JSON.parse(await readFile(join(cache.files, "ac", f), "utf8"))));
  const clip = records.find((r) => r.id === "scene/bye/clip");
  const object = join(cache.files, "cas", clip.outputs.video.sha256);
  const good = await readFile(object);
  await writeFile(object, good.subarray(0, good.length - 100));

  const dir = await copyFixture(CLOUD);
  const mark = server.log.length;
  const b = await build(server, dir, "--remote-cache", cache.authUrl);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(routes(since(server, mark))["videos.create"], 1, "one new video job, for the bad clip only");
  assert.equal(b.steps.get("scene/bye/clip")?.state, "ran");
  assert.equal(b.steps.get("scene/hello/clip")?.state, "cached");
  const notices = remoteNotices(b);
  assert.equal(notices.length, 1, notices.join("\n"));
  assert.match(notices[0]!, /scene\/bye\/clip's output 'video' .* is bad: \d+ bytes instead of \d+; ignored, the step runs/);
  const info = await probe(join(dir, MP4), AbortSignal.timeout(30_000));
  assert.ok(info.ok && info.value.duration >= 3, "the MP4 plays");
});

test("read mode (the URL and a token from the environment) downloads what it can and uploads nothing", { skip }, async () => {
  const dir = await copyFixture(CLOUD);
  await editProject(dir, "Thank you!", "Thanks a lot!");
  const mark = (await cache.requests()).length;
  const r = await dramake(server, ["build", dir, "--json", "--remote-cache-mode", "read"], { DRAMAKE_REMOTE_CACHE: cache.url, DRAMAKE_REMOTE_CACHE_TOKEN: TOKEN });
  const b = parseBuild(r);
  assert.equal(b.code, 0, b.stderr);
  assert.ok(b.summary.steps.ran > 0 && b.steps.get("scene/bye/voice/1")?.state === "ran", "the edited line is new");
  assert.equal(b.steps.get("cast/ann/portrait")?.state, "cached");
  const asked = (await cache.requests()).slice(mark);
  assert.ok(asked.some((q) => q.method === "GET"));
  assert.deepEqual(asked.filter((q) => q.method !== "GET"), [], "no HEAD or PUT in read mode");
  assert.deepEqual(remoteNotices(b), []);
  await assertNoCacheSecrets(b, dir);
});

test("a bad --remote-cache or --remote-cache-mode is a usage error (exit 2) that does not echo credentials", { skip }, async () => {
  const dir = await copyFixture(CLOUD);
  const url = await dramake(server, ["build", dir, "--remote-cache", `ftp://${CACHE_USER}:${CACHE_PASSWORD}@host/x`]);
  assert.equal(url.code, 2);
  assert.match(url.stderr, /--remote-cache: the remote cache URL ftp:\/\/host\/x is not http:\/\/ or https:\/\//);
  assert.ok(!url.stderr.includes(CACHE_PASSWORD));
  const mode = await dramake(server, ["build", dir, "--remote-cache", cache.url, "--remote-cache-mode", "both"]);
  assert.equal(mode.code, 2);
  assert.match(mode.stderr, /--remote-cache-mode wants one of read, write, readwrite, got 'both'/);
});

// Last: it stops the shared cache.
test("nginx stopped mid-build: the build finishes locally with one warning", { skip }, async () => {
  const dir = await copyFixture(CLOUD);
  // A new action for one scene: its keyframe and clip are paid for again, the rest comes from the cache.
  await editProject(dir, "She walks away under the umbrella.", "She runs away under the umbrella.");
  // The video job takes a while, so the cache goes away with uploads still to come.
  server.inject("videos.create", { kind: "slow", ms: 300 });
  const mark = server.log.length;
  const { done } = spawnDramake(server, ["build", dir, "--json", "--remote-cache", cache.authUrl]);
  await waitUntil("the video job", 90_000, () => since(server, mark).some((e) => e.route === "videos.create"));
  await cache.stop();
  const b = parseBuild(await done);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.summary.steps.failed, 0);
  assert.equal(b.steps.get("scene/bye/clip")?.state, "ran");
  const notices = remoteNotices(b);
  assert.equal(notices.length, 1, notices.join("\n"));
  assert.match(notices[0]!, /^remote cache http:\/\/127\.0\.0\.1:\d+\/cache is unreachable .*; going on without it$/);
  assert.ok((await probe(join(dir, MP4), AbortSignal.timeout(30_000))).ok);
  await assertNoCacheSecrets(b, dir);
});
