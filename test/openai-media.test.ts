/**
 * Every modality of the OpenAI provider against a real HTTP server on
 * 127.0.0.1 with the real SDK: real media comes out, decodable by ffprobe.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import OpenAI, { toFile } from "openai";
import { startOpenAIServer, type OpenAIServer } from "./fixtures/openai-server/server.js";
import { png } from "./fixtures/openai-server/media.js";
import { callContext, probe } from "./fixtures/openai-server/call-context.js";
import { failure, KEY, MODELS, testProvider } from "./fixtures/openai-server/provider.js";
import type { CastMemberRef } from "../src/providers/types.js";
import { processRunner, setCommandRunner } from "../src/media/run.js";
// @ts-expect-error plain JS fixture shared with child processes
import { fakeRunner } from "./fixtures/runner/fake-runner.mjs";

let server: OpenAIServer;
before(async () => {
  // The server insists on the key, so every passing test also proves it is sent.
  server = await startOpenAIServer({ apiKey: KEY, videoPolls: 3 });
});
after(() => server.close());

const SIZE = { width: 720, height: 1280 };
const grandpa: CastMemberRef = { id: "grandpa", name: "Grandfather Wang", look: "70, kind eyes", voice: "onyx", voiceStyle: "warm and slow" };
const son: CastMemberRef = { id: "son", name: "Wei", look: "40, tired", voice: "echo" };

async function pngFile(dir: string, name: string, w: number, h: number): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, await png(w, h));
  return file;
}

test("speech writes a WAV with audio, sending voice and style", async () => {
  server.reset();
  const ctx = await callContext("wav");
  const usage = await testProvider(server.url).speech({ text: "Wei? You are not coming home?", language: "en", speaker: grandpa }, ctx);
  const { streams } = await probe(ctx.outFile);
  assert.equal(streams[0]?.codec_type, "audio");
  assert.equal(streams[0]?.sample_rate, "24000");
  assert.ok(usage.cost > 0);
  assert.deepEqual(server.log.map((e) => [e.route, e.model, e.status]), [["audio.speech", MODELS.speech, 200]]);
});

test("portrait writes a PNG from a b64_json answer", async () => {
  server.reset();
  const ctx = await callContext("png");
  const usage = await testProvider(server.url).portrait({ castId: "grandpa", name: "Wang", look: "old", style: "warm", language: "en", size: SIZE }, ctx);
  const { streams } = await probe(ctx.outFile);
  assert.equal(streams[0]?.codec_name, "png");
  assert.equal(usage.cost, 0.063);
  assert.deepEqual(server.log.map((e) => e.route), ["images.generations"]);
});

test("portrait downloads a URL answer without sending the key to the image host", async () => {
  const urlServer = await startOpenAIServer({ imageResponse: "url" });
  try {
    const ctx = await callContext("png");
    await testProvider(urlServer.url).portrait({ castId: "son", name: "Wei", look: "tired", style: "warm", language: "en", size: SIZE }, ctx);
    assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "png");
    assert.deepEqual(urlServer.log.map((e) => e.route), ["images.generations", "files"]);
  } finally {
    await urlServer.close();
  }
});

test("keyframe uploads every reference portrait as an image", async () => {
  server.reset();
  const ctx = await callContext("png");
  const references = await Promise.all(
    ["grandpa", "son", "neighbour"].map(async (id, i) => ({ castId: id, look: `${id} look`, file: await pngFile(ctx.tmpDir, `${id}.png`, 64 + i, 96) })),
  );
  const usage = await testProvider(server.url).keyframe(
    { sceneId: "the-call", setting: "kitchen", action: "He answers.", camera: "push-in", style: "warm", language: "en", size: SIZE, references },
    ctx,
  );
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_name, "png");
  assert.deepEqual(server.log.map((e) => [e.route, e.images]), [["images.edits", 3]]);
  assert.ok(Math.abs(usage.cost - (0.063 + 3 * 0.015)) < 1e-9);
});

test("keyframe of a scene without cast is a plain generation", async () => {
  server.reset();
  const ctx = await callContext("png");
  await testProvider(server.url).keyframe(
    { sceneId: "street", setting: "street", action: "Snow falls.", camera: "static", style: "warm", language: "en", size: SIZE, references: [] },
    ctx,
  );
  assert.deepEqual(server.log.map((e) => e.route), ["images.generations"]);
});

test("clip makes an H.264 MP4, records the job id at once and reports the seconds it got", async () => {
  server.reset();
  const ctx = await callContext("mp4");
  // A keyframe in the image model's size: the provider must fit it to the video's 720x1280 (the server checks).
  const keyframe = await pngFile(ctx.tmpDir, "keyframe.png", 1024, 1536);
  const usage = await testProvider(server.url).clip({ sceneId: "the-call", keyframe, action: "He answers.", camera: "push-in", seconds: 3, size: SIZE, fps: 24 }, ctx);

  const { streams, format } = await probe(ctx.outFile);
  assert.equal(streams[0]?.codec_name, "h264");
  assert.equal(Number(format.duration), 4);
  assert.equal(usage.detail?.["seconds"], 4);
  assert.ok(Math.abs(usage.cost - 0.4) < 1e-9);

  const creates = server.log.filter((e) => e.route === "videos.create");
  assert.equal(creates.length, 1);
  assert.deepEqual(creates[0]?.video, { seconds: "4", size: "720x1280", inputReference: "file" });
  assert.deepEqual(ctx.jobIds, [usage.detail?.["jobId"]]);
  assert.equal(server.count("videos.retrieve"), 3);
  assert.equal(server.count("videos.content"), 1);
  assert.equal(ctx.progressLog.at(-1)?.fraction, 1);
  assert.ok(ctx.progressLog.some((p) => p.fraction > 0 && p.fraction < 1), "progress in between");
});

test("the keyframe is fitted through the one command runner; an unreadable one is refused before any job is paid for", async () => {
  server.reset();
  const ctx = await callContext("mp4");
  const keyframe = await pngFile(ctx.tmpDir, "keyframe.png", 1024, 1536);
  const clip = { sceneId: "the-call", keyframe, action: "He answers.", camera: "push-in", seconds: 3, size: SIZE, fps: 24 };
  const seen = fakeRunner(processRunner, [{ match: /reference-720x1280/, action: "fail", stderr: "Invalid data found when processing input" }]);
  const previous = setCommandRunner(seen);
  try {
    const f = await failure(testProvider(server.url).clip(clip, ctx));
    assert.equal(f.kind, "unsupported");
    assert.match(JSON.stringify(f), /cannot fit keyframe .*keyframe\.png: ffmpeg failed \(exit 1\)\\nInvalid data found/);
  } finally {
    setCommandRunner(previous);
  }
  assert.equal(seen.seen.filter((c: { line: string }) => c.line.includes(keyframe)).length, 1, "the fit went through the runner");
  assert.equal(server.count("videos.create"), 0, "no job was started");
  assert.deepEqual((await readdir(ctx.tmpDir)).filter((f) => f.startsWith(".reference")), [], "no temp file left");
});

test("a recorded job id is resumed: no second POST /videos", async () => {
  server.reset();
  // A job created earlier, as by a build that was killed while polling.
  const sdk = new OpenAI({ apiKey: KEY, baseURL: server.url, maxRetries: 0 });
  const earlier = await sdk.videos.create({
    model: "sora-2",
    prompt: "earlier run",
    seconds: "8",
    size: "720x1280",
    input_reference: await toFile(await png(720, 1280), "k.png", { type: "image/png" }),
  });
  const ctx = await callContext("mp4", { jobId: earlier.id });
  const keyframe = await pngFile(ctx.tmpDir, "keyframe.png", 1024, 1536);
  const usage = await testProvider(server.url).clip({ sceneId: "the-call", keyframe, action: "x", camera: "y", seconds: 8, size: SIZE, fps: 24 }, ctx);

  assert.equal(server.count("videos.create"), 1, "only the earlier run's create");
  assert.equal(usage.detail?.["jobId"], earlier.id);
  assert.equal(usage.detail?.["resumed"], "yes");
  assert.equal(Number((await probe(ctx.outFile)).format.duration), 8);
});

test("lines come from JSON-schema output, speakers from the cast, cost from reported usage", async () => {
  server.reset();
  const ctx = await callContext("json");
  const result = await testProvider(server.url).lines(
    { title: "T", theme: "home", language: "en", sceneId: "decision", beat: "He decides to travel.", cast: [grandpa, son] },
    ctx,
  );
  assert.ok(result.lines.length >= 2);
  assert.ok(result.lines.every((l) => l.speaker === "grandpa" || l.speaker === "son"));
  assert.deepEqual(JSON.parse(await readFile(ctx.outFile, "utf8")), { lines: result.lines });
  // The server reports 120 prompt and 40 completion tokens; gpt-4.1-mini is $0.40 / $1.60 per million.
  assert.ok(Math.abs(result.cost - (120 * 0.4 + 40 * 1.6) / 1e6) < 1e-12);
  assert.deepEqual(server.log.map((e) => [e.route, e.model]), [["chat", MODELS.text]]);
});

test("polish is a separate call with the polish model and keeps speakers", async () => {
  server.reset();
  const ctx = await callContext("json");
  const drafted = [
    { speaker: "grandpa", text: "Wei?" },
    { speaker: "son", text: "Dad, sorry." },
  ];
  const provider = testProvider(server.url);
  assert.ok(provider.polish);
  const result = await provider.polish({ title: "T", theme: "home", language: "en", sceneId: "the-call", beat: "b", cast: [grandpa, son], lines: drafted }, ctx);
  assert.deepEqual(result.lines.map((l) => l.speaker), ["grandpa", "son"]);
  assert.match(result.lines[0]?.text ?? "", /polished/);
  assert.deepEqual(server.log.map((e) => e.model), [MODELS.polish]);
});

test("music is not something this provider does: a typed failure, no request", async () => {
  server.reset();
  const f = await failure(testProvider(server.url).music({ mood: "sad", seconds: 30 }, await callContext("wav")));
  assert.equal(f.kind, "unsupported");
  assert.equal(server.log.length, 0);
});

test("estimates follow the price table and overrides", () => {
  const p = testProvider(server.url, { prices: { "sora-2": { per_second: 0.2 } } });
  assert.ok(Math.abs(p.estimate("video", { sceneId: "s", keyframe: "k", action: "", camera: "", seconds: 7, size: SIZE, fps: 24 }) - 8 * 0.2) < 1e-9);
  assert.equal(p.estimate("image", { castId: "a", name: "a", look: "", style: "", language: "en", size: SIZE }), 0.063);
  assert.ok(p.estimate("speech", { text: "x".repeat(900), language: "en", speaker: grandpa }) > 0.014);
  assert.ok(p.estimate("text", { title: "", theme: "t", language: "en", sceneId: "s", beat: "b", cast: [grandpa] }) > 0);
  assert.equal(p.estimate("music", { mood: "", seconds: 3 }), 0);
});
