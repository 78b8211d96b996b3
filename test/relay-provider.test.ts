/**
 * Issue 9: the OpenAI-compatible provider against a fake relay's JSON job
 * APIs (test/fixtures/relay-server): both generations shapes, `task_id`,
 * data URLs, a job mapping of another shape, music, and the faults (failed
 * job, truncated or undecodable download, 429 + Retry-After, a timed-out
 * create), with the real `openai` SDK and ffprobe on what comes out. The key
 * must reach the relay's API and never the CDN serving the files.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startRelayServer, type RelayServer } from "./fixtures/relay-server/server.js";
import { startOpenAIServer } from "./fixtures/openai-server/server.js";
import { png } from "./fixtures/openai-server/media.js";
import { callContext, probe, type RecordingContext } from "./fixtures/openai-server/call-context.js";
import { failure, KEY, testProvider } from "./fixtures/openai-server/provider.js";
import type { OpenAIProviderConfig } from "../src/providers/openai/index.js";
import { createBackend, pollDelay } from "../src/providers/openai/config.js";
import type { JobApi } from "../src/project/job-api.js";
import type { ClipRequest } from "../src/providers/types.js";

let relay: RelayServer;
before(async () => {
  relay = await startRelayServer({ apiKey: KEY, polls: 2 });
});
after(() => relay.close());

const MODELS = { video: "kling-v2", music: "suno-v4" };
const relayProvider = (over: Partial<OpenAIProviderConfig> = {}) => testProvider(relay.url, { models: MODELS, video_api: "generations", music_api: "generations", ...over });

async function clipRequest(ctx: RecordingContext): Promise<ClipRequest> {
  const keyframe = join(ctx.tmpDir, "keyframe.png");
  await writeFile(keyframe, await png(64, 96));
  return { sceneId: "the-call", keyframe, action: "He answers.", camera: "push-in", seconds: 3.5, size: { width: 720, height: 1280 }, fps: 24 };
}

/** Every request to the API carried the key; none to the CDN did. */
function assertKeyOnlyToApi(): void {
  const cdn = relay.log.filter((e) => e.route === "download");
  assert.ok(cdn.length >= 1, "something was downloaded from the CDN");
  assert.deepEqual(cdn.map((e) => e.auth), cdn.map(() => false), "the CDN never saw an Authorization header");
  assert.ok(relay.log.filter((e) => e.route !== "download").every((e) => e.auth));
}

async function leftovers(ctx: RecordingContext): Promise<string[]> {
  return (await readdir(ctx.tmpDir)).filter((f) => f !== "keyframe.png");
}

test("shape A: POST /videos/generations with image_url, poll by id, data.url on another host", async () => {
  relay.reset();
  const ctx = await callContext("mp4");
  const usage = await relayProvider().clip(await clipRequest(ctx), ctx);
  const create = relay.log.find((e) => e.route === "video.create")!;
  assert.equal(create.path, "/v1/videos/generations");
  assert.equal(create.body?.model, "kling-v2");
  assert.equal(create.body?.duration, 4, "whole seconds, as a number");
  assert.equal(create.body?.aspect_ratio, "9:16");
  assert.match(String(create.body?.image_url), /^data:image\/png;base64,iVBOR/);
  assert.equal(create.body?.image, undefined);
  assert.deepEqual(ctx.jobIds, [create.job], "the job id was recorded");
  assert.equal(relay.count("video.poll"), 2);
  const info = await probe(ctx.outFile);
  assert.equal(info.streams[0]?.codec_type, "video");
  assert.ok(Math.abs(Number(info.format.duration) - 4) < 0.2);
  assert.ok(ctx.progressLog.some((p) => p.fraction > 0 && p.fraction < 1), "progress from the job's own numbers");
  assert.equal(usage.detail?.jobId, create.job);
  assertKeyOnlyToApi();
});

test("shape B: video_path /video/generations, image_input data-url, task_id and video_url", async () => {
  relay.reset();
  const ctx = await callContext("mp4");
  await relayProvider({ video_path: "/video/generations", image_input: "data-url" }).clip(await clipRequest(ctx), ctx);
  const create = relay.log.find((e) => e.route === "video.create")!;
  assert.equal(create.path, "/v1/video/generations");
  assert.match(String(create.body?.image), /^data:image\/png;base64,/);
  assert.equal(create.body?.image_url, undefined);
  assert.deepEqual(relay.log.filter((e) => e.route === "video.poll").map((e) => e.path), [`/v1/video/generations/${create.job}`, `/v1/video/generations/${create.job}`]);
  assert.ok(ctx.progressLog.some((p) => Math.abs(p.fraction - 0.45) < 1e-9), `"45%" is read as progress: ${JSON.stringify(ctx.progressLog)}`);
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "video");
  assertKeyOnlyToApi();
});

/** The other shape, described as data: createTask under `input`, data.task_status: succeed. */
const TASKS: JobApi = {
  create: { method: "POST", path: "/api/v1/jobs/createTask", body: { model: "{model}", input: { prompt: "{prompt}", image_url: "{image}", duration: "{seconds}", aspect_ratio: "{aspect}" } } },
  id: "data.taskId",
  poll: "/v1/videos/{id}",
  status: "data.task_status",
  done: ["succeed"],
  failed: ["failed"],
  result: "data.task_result.videos.0.url",
  error: "data.task_status_msg",
};

test("a job mapping of another shape: {code, data: {taskId}}, then data.task_status: succeed", async () => {
  relay.reset();
  const ctx = await callContext("mp4");
  // Mapping paths are under base_url; this relay's start at its origin.
  await testProvider(relay.origin, { models: MODELS, video_api: TASKS }).clip(await clipRequest(ctx), ctx);
  const create = relay.log.find((e) => e.route === "tasks.create")!;
  assert.deepEqual(Object.keys(create.body ?? {}), ["model", "input"]);
  assert.equal((create.body?.input as Record<string, unknown>).duration, 4);
  assert.deepEqual(ctx.jobIds, [create.job]);
  assert.equal(relay.count("tasks.poll"), 2);
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "video");
  assertKeyOnlyToApi();
});

test("a mapping path that finds nothing fails at the first answer, naming the mapping key", async () => {
  relay.reset();
  const ctx = await callContext("mp4");
  const f = await failure(testProvider(relay.origin, { models: MODELS, video_api: { ...TASKS, id: "data.task_id" } }).clip(await clipRequest(ctx), ctx));
  assert.equal(f.kind, "invalid-output");
  assert.ok(f.kind === "invalid-output" && f.message.startsWith("video_api.id: nothing at data.task_id in the answer of POST /api/v1/jobs/createTask"), f.message);
  assert.ok(f.kind === "invalid-output" && f.received.includes('"taskId"'), "shows what came back");
  assert.equal(relay.count("tasks.create"), 1);
  assert.deepEqual(ctx.jobIds, []);
  assert.deepEqual(ctx.spentLog.length, 1, "the create was answered: it is counted");

  relay.reset();
  const ctx2 = await callContext("mp4");
  const f2 = await failure(testProvider(relay.origin, { models: MODELS, video_api: { ...TASKS, status: "data.state" } }).clip(await clipRequest(ctx2), ctx2));
  assert.ok(f2.kind === "invalid-output" && f2.message.startsWith("video_api.status: nothing at data.state in the answer of GET /v1/videos/"), JSON.stringify(f2));
  assert.equal(relay.count("tasks.poll"), 1, "at the first poll answer");
});

test("a failed job fails with the provider's message; its id stays recorded", async () => {
  relay.reset();
  relay.inject("video.create", { kind: "job-fail", reason: "content policy: no umbrellas" });
  const ctx = await callContext("mp4");
  const f = await failure(relayProvider().clip(await clipRequest(ctx), ctx));
  assert.ok(f.kind === "job-failed" && f.reason === "content policy: no umbrellas", JSON.stringify(f));
  assert.equal(ctx.jobIds.length, 1);
  assert.equal(relay.count("download"), 0);
  assert.deepEqual(await leftovers(ctx), []);
});

test("a recorded job is polled, not created again (a killed build resuming)", async () => {
  relay.reset();
  const first = await callContext("mp4");
  await relayProvider().clip(await clipRequest(first), first);
  const resumed = await callContext("mp4", { jobId: first.jobIds[0]! });
  await relayProvider().clip(await clipRequest(resumed), resumed);
  assert.equal(relay.count("video.create"), 1, "only the first call created a job");
  assert.equal((await probe(resumed.outFile)).streams[0]?.codec_type, "video");
});

test("issue 10 defect 1: a truncated download is fetched again; a complete-looking but undecodable one fails and leaves nothing", async () => {
  relay.reset();
  relay.inject("download", { kind: "truncate" });
  const ctx = await callContext("mp4");
  await relayProvider().clip(await clipRequest(ctx), ctx);
  assert.equal(relay.count("video.create"), 1, "the job is not bought twice");
  assert.equal(relay.count("download"), 2);

  for (const kind of ["short-file", "html"] as const) {
    relay.reset();
    relay.inject("download", { kind, times: 10 });
    const bad = await callContext("mp4");
    const f = await failure(relayProvider().clip(await clipRequest(bad), bad));
    assert.equal(f.kind, "invalid-output", `${kind}: ${JSON.stringify(f)}`);
    assert.match(f.kind === "invalid-output" ? f.message : "", kind === "html" ? /expected an MP4 or WebM file/ : /does not decode/);
    assert.deepEqual(await leftovers(bad), [], `${kind}: nothing is left that looks like a clip`);
    assert.equal(relay.count("video.create"), 1);
    assert.equal(bad.jobIds.length, 1, "the job stays recorded: the next build downloads it again without paying");
  }
});

test("429 with Retry-After on the create is waited out; one job", async () => {
  relay.reset();
  relay.inject("video.create", { kind: "status", status: 429, retryAfter: "1" });
  const ctx = await callContext("mp4");
  const t0 = performance.now();
  await relayProvider().clip(await clipRequest(ctx), ctx);
  assert.ok(performance.now() - t0 >= 950);
  assert.deepEqual(relay.log.filter((e) => e.route === "video.create").map((e) => e.status), [429, 200]);
  assert.equal(new Set(relay.log.filter((e) => e.job).map((e) => e.job)).size, 1);
});

test("issue 10 defect 3: a create that times out is not sent again (the job may exist and be billed)", async () => {
  relay.reset();
  relay.inject("video.create", { kind: "slow", ms: 3000 });
  const ctx = await callContext("mp4");
  const f = await failure(relayProvider({ timeout_seconds: 0.3 }).clip(await clipRequest(ctx), ctx));
  assert.ok(f.kind === "timeout" && f.notRetried === "maybe-charged", JSON.stringify(f));
  for (let i = 0; i < 50 && relay.count("video.create") === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(relay.count("video.create"), 1);
});

test("music: POST /audio/generations with the length asked, polled, stored as WAV of that length", async () => {
  relay.reset();
  const ctx = await callContext("wav");
  await relayProvider().music({ mood: "calm, piano", seconds: 3 }, ctx);
  const create = relay.log.find((e) => e.route === "music.create")!;
  assert.deepEqual(create.body, { model: "suno-v4", prompt: "calm, piano", duration: 3, format: "mp3" });
  assert.equal(relay.count("music.poll"), 2);
  const info = await probe(ctx.outFile);
  assert.equal(info.streams[0]?.codec_name, "pcm_s16le");
  assert.ok(Math.abs(Number(info.format.duration) - 3) < 0.2, `duration ${info.format.duration}`);
  assertKeyOnlyToApi();
});

test("music answered at once ({id, data: {url}}, no status) needs no polling", async () => {
  const quick = await startRelayServer({ apiKey: KEY, musicAtOnce: true });
  try {
    const ctx = await callContext("wav");
    await testProvider(quick.url, { models: MODELS, music_api: "generations" }).music({ mood: "calm", seconds: 2 }, ctx);
    assert.equal(quick.count("music.poll"), 0);
    assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "pcm_s16le");
  } finally {
    await quick.close();
  }
});

test("status checks: the first within a second, then ×1.5 up to 5 s (was 5 s, then up to 20 s)", () => {
  const { poll } = createBackend({ name: "relay", base_url: relay.url, models: MODELS }, KEY);
  const waits = Array.from({ length: 7 }, (_, i) => pollDelay(poll, i + 1));
  assert.deepEqual(waits, [1000, 1500, 2250, 3375, 5000, 5000, 5000]);
});

test("a relay without /images/edits (404): keyframes fall back to generations with the cast in words, said once", async () => {
  const openai = await startOpenAIServer({ apiKey: KEY });
  try {
    openai.inject("images.edits", { kind: "status", status: 404, times: 5 });
    const provider = testProvider(openai.url);
    const contexts: RecordingContext[] = [];
    for (const sceneId of ["one", "two"]) {
      const ctx = await callContext("png");
      const portrait = join(ctx.tmpDir, "grandpa.png");
      await writeFile(portrait, await png(64, 96));
      const references = [{ castId: "grandpa", look: "70-year-old man, blue cotton jacket", file: portrait }];
      await provider.keyframe({ sceneId, setting: "a kitchen", action: "He waits.", camera: "static", style: "warm", language: "en", size: { width: 720, height: 1280 }, references }, ctx);
      assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "png");
      contexts.push(ctx);
    }
    assert.equal(openai.count("images.edits"), 1, "learnt once: the second keyframe goes straight to generations");
    const prompts = openai.log.filter((e) => e.route === "images.generations").map((e) => e.prompt ?? "");
    assert.equal(prompts.length, 2);
    for (const p of prompts) assert.match(p, /grandpa: 70-year-old man, blue cotton jacket/);
    assert.equal(contexts[0]!.notices.filter((n) => /images\/edits is not offered/.test(n)).length, 1);
    assert.deepEqual(contexts[1]!.notices, [], "warned once");
  } finally {
    await openai.close();
  }
});
