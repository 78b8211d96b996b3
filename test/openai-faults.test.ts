/**
 * The OpenAI provider under the faults the fake server can inject: rate
 * limits, server errors, failed jobs, cut downloads, invalid model output,
 * aborts, timeouts, and servers that echo the key back. Every failure is
 * also checked for the key (see `failure`).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { startOpenAIServer, type OpenAIServer } from "./fixtures/openai-server/server.js";
import { png } from "./fixtures/openai-server/media.js";
import { callContext, probe, type RecordingContext } from "./fixtures/openai-server/call-context.js";
import { failure, KEY, testProvider } from "./fixtures/openai-server/provider.js";
import { OpenAIProviderError } from "../src/providers/openai/index.js";
import type { CastMemberRef, ClipRequest, SpeechRequest } from "../src/providers/types.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer({ apiKey: KEY, videoPolls: 2 });
});
after(() => server.close());

const SIZE = { width: 720, height: 1280 };
const grandpa: CastMemberRef = { id: "grandpa", name: "Wang", look: "old", voice: "onyx", voiceStyle: "warm" };
const son: CastMemberRef = { id: "son", name: "Wei", look: "tired", voice: "echo" };
const line: SpeechRequest = { text: "Wei?", language: "en", speaker: grandpa };
const linesReq = { title: "T", theme: "home", language: "en", sceneId: "decision", beat: "He decides.", cast: [grandpa, son] };

async function clipRequest(ctx: RecordingContext, seconds = 4): Promise<ClipRequest> {
  const keyframe = join(ctx.tmpDir, "keyframe.png");
  await writeFile(keyframe, await png(1024, 1536));
  return { sceneId: "the-call", keyframe, action: "He answers.", camera: "push-in", seconds, size: SIZE, fps: 24 };
}

/** Files in the context's dir besides the inputs the test put there: nothing half-written may remain. */
async function leftovers(ctx: RecordingContext): Promise<string[]> {
  return (await readdir(ctx.tmpDir)).filter((f) => f !== "keyframe.png" && !f.startsWith("reference-"));
}

test("429 with Retry-After: 1 is waited out, then succeeds", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "status", status: 429, retryAfter: "1" });
  const ctx = await callContext("wav");
  const t0 = performance.now();
  await testProvider(server.url).speech(line, ctx);
  const elapsed = performance.now() - t0;
  assert.ok(elapsed >= 950, `waited only ${elapsed} ms`);
  assert.ok(elapsed < 3000, `waited ${elapsed} ms`);
  assert.deepEqual(server.log.map((e) => e.status), [429, 200]);
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "audio");
});

test("three 500s then a 200 succeed", async () => {
  server.reset();
  server.inject("images.generations", { kind: "status", status: 500, times: 3 });
  const ctx = await callContext("png");
  await testProvider(server.url).portrait({ castId: "a", name: "A", look: "x", style: "y", language: "en", size: SIZE }, ctx);
  assert.deepEqual(server.log.map((e) => e.status), [500, 500, 500, 200]);
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "png");
});

test("5xx beyond max_attempts fails with endpoint, status and attempts", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "status", status: 503, message: "overloaded", times: 10 });
  const f = await failure(testProvider(server.url, { max_attempts: 3 }).speech(line, await callContext("wav")));
  assert.deepEqual(f, { kind: "http", endpoint: "audio.speech", status: 503, message: "overloaded", attempts: 3 });
  assert.equal(server.log.length, 3);
});

test("a 400 is not retried", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "status", status: 400, message: "voice not found" });
  const f = await failure(testProvider(server.url).speech(line, await callContext("wav")));
  assert.equal(f.kind, "http");
  assert.equal(server.log.length, 1);
});

test("a failed video job fails with the server's reason; its id was recorded", async () => {
  server.reset();
  server.inject("videos.create", { kind: "video-fail", reason: "Your request was blocked by our moderation system.", code: "moderation_blocked" });
  const ctx = await callContext("mp4");
  const f = await failure(testProvider(server.url).clip(await clipRequest(ctx), ctx));
  assert.equal(f.kind, "job-failed");
  assert.ok(f.kind === "job-failed");
  assert.equal(f.reason, "Your request was blocked by our moderation system.");
  assert.equal(f.code, "moderation_blocked");
  assert.deepEqual(ctx.jobIds, [f.jobId]);
  assert.equal(server.count("videos.content"), 0);
  assert.deepEqual(await leftovers(ctx), []);
});

test("a recorded job that had failed is replaced by one new job on the next run", async () => {
  server.reset();
  server.inject("videos.create", { kind: "video-fail", reason: "transient" });
  const ctx = await callContext("mp4");
  const provider = testProvider(server.url);
  await failure(provider.clip(await clipRequest(ctx), ctx));
  await provider.clip(await clipRequest(ctx), ctx);
  assert.equal(server.count("videos.create"), 2);
  assert.equal(ctx.jobIds.length, 2);
  assert.match(ctx.notices.join("\n"), /had failed \(transient\)/);
});

test("a truncated video download is retried, never written as complete", async () => {
  server.reset();
  server.inject("videos.content", { kind: "truncate" });
  const ctx = await callContext("mp4");
  await testProvider(server.url).clip(await clipRequest(ctx), ctx);
  assert.deepEqual(server.log.filter((e) => e.route === "videos.content").map((e) => e.status), [0, 200], "the first was cut (status 0)");
  assert.equal(server.count("videos.create"), 1, "a bad download never pays for a new job");
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "h264");
  assert.deepEqual(await leftovers(ctx), ["out.mp4"]);
});

test("a download truncated on every attempt fails and leaves no file", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "truncate", times: 10 });
  const ctx = await callContext("wav");
  const f = await failure(testProvider(server.url, { max_attempts: 2 }).speech(line, ctx));
  assert.equal(f.kind, "truncated");
  assert.ok(f.kind === "truncated" && f.received < f.expected && f.attempts === 2);
  assert.deepEqual(await leftovers(ctx), []);
});

test("a truncated image URL download is retried without a second generation", async () => {
  const urlServer = await startOpenAIServer({ imageResponse: "url" });
  try {
    urlServer.inject("files", { kind: "truncate" });
    const ctx = await callContext("png");
    await testProvider(urlServer.url).portrait({ castId: "a", name: "A", look: "x", style: "y", language: "en", size: SIZE }, ctx);
    assert.deepEqual(urlServer.log.map((e) => e.route), ["images.generations", "files", "files"]);
    assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "png");
  } finally {
    await urlServer.close();
  }
});

test("abort while polling a video job stops at once", async () => {
  const slowJobs = await startOpenAIServer({ videoPolls: 10_000 });
  try {
    const controller = new AbortController();
    const ctx = await callContext("mp4", { signal: controller.signal });
    const running = testProvider(slowJobs.url).clip(await clipRequest(ctx), ctx);
    // Abort once polling is under way.
    for (let i = 0; i < 200 && slowJobs.count("videos.retrieve") < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(slowJobs.count("videos.retrieve") >= 2, "polling started");
    const t0 = performance.now();
    controller.abort();
    const f = await failure(running);
    assert.equal(f.kind, "aborted");
    assert.ok(performance.now() - t0 < 200, "stopped quickly");
    assert.equal(ctx.jobIds.length, 1, "the job id stays recorded for a resume");
    const polls = slowJobs.count("videos.retrieve");
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(slowJobs.count("videos.retrieve"), polls, "no polling after the abort");
  } finally {
    await slowJobs.close();
  }
});

test("abort cancels an in-flight HTTP request", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "slow", ms: 5000 });
  const controller = new AbortController();
  const ctx = await callContext("wav", { signal: controller.signal });
  const running = testProvider(server.url).speech(line, ctx);
  setTimeout(() => controller.abort(), 100);
  const t0 = performance.now();
  const f = await failure(running);
  assert.equal(f.kind, "aborted");
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(server.log.length, 1, "not retried");
});

test("issue 10 defect 3: a paid request slower than timeout_seconds is not asked again (it may have been bought)", async () => {
  for (const [route, call] of [
    ["audio.speech", (ctx: RecordingContext) => testProvider(server.url, { timeout_seconds: 0.3 }).speech(line, ctx)],
    ["images.generations", (ctx: RecordingContext) => testProvider(server.url, { timeout_seconds: 0.3 }).portrait({ castId: "a", name: "A", look: "x", style: "y", language: "en", size: SIZE }, ctx)],
  ] as const) {
    server.reset();
    server.inject(route, { kind: "slow", ms: 2000 });
    const ctx = await callContext(route === "audio.speech" ? "wav" : "png");
    const t0 = performance.now();
    const f = await failure(call(ctx));
    assert.ok(performance.now() - t0 < 1500, "failed at the first timeout");
    assert.ok(f.kind === "timeout" && f.notRetried === "maybe-charged", JSON.stringify(f));
    assert.match(new OpenAIProviderError(f).message, /not asked again: the provider may have carried it out and charged for it/);
    // The server logs a request once it has read it, which may be just after the client gave up;
    // a retry would follow within the test's 10-40 ms backoff.
    for (let i = 0; i < 50 && server.count(route) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(server.count(route), 1, `${route}: one request, not a second purchase`);
    assert.deepEqual(await leftovers(ctx), []);
  }
});

test("issue 10 defect 3: a paid answer cut short is booked as spent, then asked again", async () => {
  server.reset();
  server.inject("audio.speech", { kind: "truncate" });
  const ctx = await callContext("wav");
  const usage = await testProvider(server.url).speech(line, ctx);
  assert.equal(server.count("audio.speech"), 2);
  assert.ok(usage.cost > 0);
  assert.deepEqual(ctx.spentLog, [usage.cost], "the lost answer is counted once, at the same price");
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "audio");
});

test("an unpaid request (a status poll) slower than timeout_seconds is retried", async () => {
  server.reset();
  server.inject("videos.retrieve", { kind: "slow", ms: 2000 });
  const ctx = await callContext("mp4");
  await testProvider(server.url, { timeout_seconds: 0.5 }).clip(await clipRequest(ctx), ctx);
  assert.equal(server.count("videos.create"), 1);
  assert.ok(server.log.filter((e) => e.route === "videos.retrieve").length >= 3, "the slow poll was asked again");
});

test("a server that is not there is a network failure after the configured attempts", async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const f = await failure(testProvider(`http://127.0.0.1:${port}/v1`, { max_attempts: 2 }).speech(line, await callContext("wav")));
  assert.equal(f.kind, "network");
  assert.ok(f.kind === "network" && f.attempts === 2);
  assert.match(f.message, /ECONNREFUSED/, "the socket's own error code, not just fetch's 'fetch failed'");
});

test("the key never appears in errors, even when the server echoes it", async () => {
  // A relay that echoes the Authorization header in its error message.
  server.reset();
  server.inject("chat", { kind: "status", status: 400, echoAuth: true, message: `bad request for key ${KEY}` });
  const echoed = await failure(testProvider(server.url).lines(linesReq, await callContext("json")));
  assert.ok(echoed.kind === "http" && echoed.message.includes("[redacted]"), JSON.stringify(echoed));

  // A server that rejects the key and quotes it back (OpenAI quotes part of it).
  const strict = await startOpenAIServer({ apiKey: "sk-some-other-key" });
  try {
    const rejected = await failure(testProvider(strict.url).speech(line, await callContext("wav")));
    assert.equal(rejected.kind, "http");
    assert.ok(rejected.kind === "http" && rejected.status === 401);
  } finally {
    await strict.close();
  }
});

test("invalid JSON from chat gets one repair attempt, then succeeds", async () => {
  server.reset();
  server.inject("chat", { kind: "invalid-json" });
  const ctx = await callContext("json");
  const result = await testProvider(server.url).lines(linesReq, ctx);
  assert.ok(result.lines.length >= 2);
  assert.equal(server.count("chat"), 2);
  assert.match(ctx.notices.join("\n"), /invalid JSON/);
  // Both calls are paid for.
  assert.ok(Math.abs(result.cost - (2 * (120 * 0.4 + 40 * 1.6)) / 1e6) < 1e-12);
});

test("invalid JSON twice is a typed failure showing what came back", async () => {
  server.reset();
  server.inject("chat", { kind: "invalid-json", content: "Sure! Here you go: lines: grandpa says hi", times: 2 });
  const ctx = await callContext("json");
  const f = await failure(testProvider(server.url).lines(linesReq, ctx));
  assert.equal(f.kind, "invalid-output");
  assert.ok(f.kind === "invalid-output" && f.received.includes("Sure! Here you go"));
  assert.equal(server.count("chat"), 2, "exactly one repair attempt");
  assert.deepEqual(await leftovers(ctx), []);
});

test("a speaker outside the cast counts as the wrong shape", async () => {
  server.reset();
  const stranger = JSON.stringify({ lines: [{ speaker: "stranger", text: "Hello." }] });
  server.inject("chat", { kind: "invalid-json", content: stranger, times: 2 });
  const f = await failure(testProvider(server.url).lines(linesReq, await callContext("json")));
  assert.ok(f.kind === "invalid-output" && /wrong shape.*speaker/.test(f.message), JSON.stringify(f));
});

test("a scene longer than the model's longest clip is refused by name before any request", async () => {
  server.reset();
  const ctx = await callContext("mp4");
  const f = await failure(testProvider(server.url).clip(await clipRequest(ctx, 20), ctx));
  assert.equal(f.kind, "unsupported");
  assert.ok(f.kind === "unsupported" && f.subject === "scene the-call" && f.allowed?.includes("12 s"));
  assert.equal(server.log.length, 0);
});

test("a recorded job the server no longer knows is replaced by a new job, with a notice", async () => {
  server.reset();
  const ctx = await callContext("mp4", { jobId: "video_from_another_server" });
  await testProvider(server.url).clip(await clipRequest(ctx), ctx);
  assert.deepEqual(server.log.filter((e) => e.route !== "videos.retrieve" || e.status === 404).map((e) => [e.route, e.status]), [
    ["videos.retrieve", 404],
    ["videos.create", 200],
    ["videos.content", 200],
  ]);
  assert.match(ctx.notices.join("\n"), /no longer known/);
});
