/**
 * Issue 5, faults through the real CLI: a server that errors, rate-limits,
 * fails a video job or echoes the key back. Builds carry on or fail with the
 * server's reason, name the step, endpoint and status, and never print or
 * store the key.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, build, CLOUD, cloudProjectPerFile, copyFixture, inState, routes, since, startOpenAIServer } from "./build-openai-helpers.js";

let server: OpenAIServer;
let dir: string;
cloudProjectPerFile((s, d) => ([server, dir] = [s, d]));

const SCENES = ["think", "hello", "bye"];
const REASON = "the moderation system flagged the umbrella (test)";

test("three 500s then a 200 succeed; a failed video job fails its scene with the server's reason while --keep-going builds every other branch", async () => {
  // The drafts are the first chat call and nothing else talks to chat until they succeed.
  server.inject("chat", { kind: "status", status: 500, message: "upstream overloaded", times: 3 });
  server.inject("videos.create", { kind: "video-fail", reason: REASON, code: "moderation_blocked" });
  const b = await build(server, dir, "--keep-going");
  assert.equal(b.code, 1, "a failed step is exit code 1");

  assert.deepEqual(
    server.log.filter((e) => e.route === "chat").map((e) => [e.model, e.status]),
    [["gpt-4.1-mini", 500], ["gpt-4.1-mini", 500], ["gpt-4.1-mini", 500], ["gpt-4.1-mini", 200], ["gpt-4.1", 200]],
  );
  assert.equal(b.steps.get("scene/think/lines")?.state, "ran");

  const failedJob = server.log.find((e) => e.route === "videos.create")!;
  const failed = inState(b, "failed");
  assert.equal(failed.length, 1, `failed: ${failed.join(", ")}`);
  const clip = failed[0]!;
  const sceneId = clip.split("/")[1]!;
  assert.equal(clip, `scene/${sceneId}/clip`);
  const reason = b.steps.get(clip)!.reason!;
  assert.match(reason, new RegExp(`video job ${failedJob.job} failed \\(moderation_blocked\\): ${REASON.replace(/[()]/g, "\\$&")}`));
  assert.match(reason, /videos\.retrieve/, "the endpoint is named");
  assert.deepEqual(
    b.steps.get(clip)!.failure,
    { kind: "job-failed", endpoint: "videos.retrieve", jobId: failedJob.job, code: "moderation_blocked", reason: REASON, refused: true },
    "the same failure as data, next to the sentence",
  );
  assert.deepEqual(inState(b, "skipped"), [`scene/${sceneId}/cut`, "final"].sort(), "only what needs that clip is blocked");
  for (const other of SCENES.filter((s) => s !== sceneId)) assert.equal(b.steps.get(`scene/${other}/cut`)?.state, "ran", `scene ${other} is cut`);
  assert.equal(b.steps.get("music")?.state, "ran");
  assert.equal(b.summary.steps.failed, 1);
  assert.equal(b.summary.steps.skipped, 2);
  assert.equal(b.summary.steps.ran, b.summary.steps.total - 3);
  assert.equal(b.summary.output, null);

  // A moderation refusal is remembered (issue 33 item 3): the next build fails it again and sends nothing for it...
  const before = server.log.length;
  const still = await build(server, dir);
  assert.equal(still.code, 1);
  assert.deepEqual(inState(still, "failed"), [clip]);
  assert.equal(routes(since(server, before))["videos.create"], undefined, "a refused clip is not sent again");
  // ...until --retry-failed, which replaces the failed job (and only it), and finishes the film.
  const mark = server.log.length;
  const again = await build(server, dir, "--retry-failed");
  assert.equal(again.code, 0, again.stderr);
  assert.ok(again.notices.some((n) => n.includes(`video job ${failedJob.job} had failed`)), again.notices.join("\n"));
  const sent = since(server, mark);
  assert.equal(routes(sent)["videos.create"], 1);
  assert.deepEqual(Object.keys(routes(sent)).sort(), ["videos.content", "videos.create", "videos.retrieve"]);
  assert.deepEqual(inState(again, "ran"), [clip, `scene/${sceneId}/cut`, "final"].sort());
  assert.equal(again.summary.output, "build/cloud-test.mp4");
});

test("a 429 with Retry-After: 1 is waited out, then the call succeeds", async () => {
  server.inject("chat", { kind: "status", status: 429, retryAfter: "1", message: "Rate limit reached for requests" });
  const mark = server.log.length;
  const b = await build(server, dir, "--force", "scene/think/lines");
  assert.equal(b.code, 0, b.stderr);
  const sent = since(server, mark);
  assert.deepEqual(sent.map((e) => [e.route, e.status]), [["chat", 429], ["chat", 200]]);
  const waited = sent[1]!.time - sent[0]!.time;
  assert.ok(waited >= 950 && waited < 5000, `waited ${waited} ms for Retry-After: 1`);
  // Same drafts back: the polish and everything after it stay cached.
  assert.deepEqual(inState(b, "ran"), ["scene/think/lines"]);
});

test("a relay that echoes the key in its error: the step fails naming step, endpoint and status, and the key is nowhere", async () => {
  server.inject("images.generations", { kind: "status", status: 401, message: "Incorrect API key provided", echoAuth: true });
  const mark = server.log.length;
  const b = await build(server, dir, "--force", "cast/ann/portrait");
  assert.equal(b.code, 1);
  assert.deepEqual(routes(since(server, mark)), { "images.generations": 1 }, "a 401 is not retried");
  const reason = b.steps.get("cast/ann/portrait")?.reason ?? "";
  assert.equal(b.steps.get("cast/ann/portrait")?.state, "failed");
  assert.match(reason, /^images\.generate: HTTP 401: Incorrect API key provided/);
  assert.match(reason, /redacted/, "the echoed key was there, and was redacted");
  const failure = b.steps.get("cast/ann/portrait")!.failure as Record<string, unknown>;
  assert.deepEqual({ ...failure, message: undefined }, { kind: "http", endpoint: "images.generate", status: 401, attempts: 1, message: undefined });
  assert.match(String(failure.message), /^Incorrect API key provided.*redacted/, "the server's own words, key redacted");
  // build() already checked stdout and stderr; now every file the builds left.
  await assertNoKeyUnder(dir);
});

test("a server that answers images with URLs: they are downloaded without the key, and the film is built", async () => {
  const urls = await startOpenAIServer({ imageResponse: "url" });
  try {
    const project = await copyFixture(CLOUD);
    const b = await build(urls, project);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.summary.output, "build/cloud-test.mp4");
    const downloads = urls.log.filter((e) => e.route === "files");
    assert.equal(downloads.length, 5, "two portraits and three keyframes fetched from their URLs");
    assert.ok(downloads.every((e) => !e.auth), "the image host never sees the Authorization header");
    assert.ok(urls.log.filter((e) => e.route !== "files").every((e) => e.auth));
    await assertNoKeyUnder(project);
  } finally {
    await urls.close();
  }
});
