/**
 * The job runner's pure rules: typed body templates (numbers stay numbers,
 * `:text`, keys dropped when their placeholder is empty, `$if`, arrays),
 * path filling (ids encoded, `:raw`, model ids keep their slashes), header
 * auth formats, length and aspect snapping.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { fillBody, fillPath } from "../src/providers/http-jobs/template.js";
import { authorizer, signJwt } from "../src/providers/http-jobs/auth.js";
import { CAPABILITIES, snapAspect, snapSeconds } from "../src/providers/http-jobs/capabilities.js";

test("body templates are typed: numbers stay numbers, :text is text, empty placeholders drop their key, $if keeps or drops a whole part", () => {
  const template = {
    model: "{model}",
    duration: "{seconds}",
    duration_text: "{seconds:text}",
    label: "{seconds}s",
    audio: "{native_audio}",
    tail: "{last_image}",
    refs: "{references}",
    content: [
      { type: "text", text: "{prompt}" },
      { $if: "image", type: "image_url", image_url: { url: "{image}" }, role: "first_frame" },
      { $if: "last_image", type: "image_url", image_url: { url: "{last_image}" }, role: "last_frame" },
    ],
    fixed: false,
  };
  assert.deepEqual(fillBody(template, { model: "m", seconds: 5, native_audio: false, references: ["a", "b"], prompt: "p", image: "data:x" }), {
    model: "m",
    duration: 5,
    duration_text: "5",
    label: "5s",
    audio: false,
    refs: ["a", "b"],
    content: [
      { type: "text", text: "p" },
      { type: "image_url", image_url: { url: "data:x" }, role: "first_frame" },
    ],
    fixed: false,
  });
});

test("paths: ids are encoded, {id:raw} is not, {model} keeps its slashes", () => {
  assert.equal(fillPath("/tasks/{id}", { id: "a/b c" }), "/tasks/a%2Fb%20c");
  assert.equal(fillPath("/{id:raw}", { id: "models/veo/operations/x1" }), "/models/veo/operations/x1");
  assert.equal(fillPath("/{model}", { model: "fal-ai/kling-video/v2.5-turbo/pro/image-to-video" }), "/fal-ai/kling-video/v2.5-turbo/pro/image-to-video");
});

test("auth: header formats, Bearer by default, none; a JWT recipe without access keys falls back to Bearer api_key", () => {
  assert.deepEqual(authorizer({ header: "Authorization", format: "Key {key}" }, { apiKey: "k1" }).headers(), { authorization: "Key k1" });
  assert.deepEqual(authorizer({ header: "x-goog-api-key", format: "{key}" }, { apiKey: "k2" }).headers(), { "x-goog-api-key": "k2" });
  assert.deepEqual(authorizer(undefined, { apiKey: "k3" }).headers(), { authorization: "Bearer k3" });
  assert.deepEqual(authorizer("none", { apiKey: "k4" }).headers(), {});
  assert.deepEqual(authorizer({ jwt: { ttl_seconds: 1800 } }, { apiKey: "k5" }).headers(), { authorization: "Bearer k5" });
  // RFC 7519's HS256 example shape: three base64url parts, header {alg, typ}.
  const [h] = signJwt({ iss: "a" }, "s").split(".");
  assert.deepEqual(JSON.parse(Buffer.from(h!, "base64url").toString()), { alg: "HS256", typ: "JWT" });
});

test("lengths snap up to an allowed one (the longest when none is long enough); aspects to the nearest allowed", () => {
  const veo = CAPABILITIES["veo-3.1-fast-generate-preview"];
  assert.deepEqual([1, 4, 4.2, 5, 6, 7.9, 8, 12].map((s) => snapSeconds(veo, s)), [4, 4, 6, 6, 6, 8, 8, 8]);
  assert.deepEqual([2, 5, 7.5, 15, 20].map((s) => snapSeconds(CAPABILITIES["doubao-seedance-2-0-260128"], s)), [4, 5, 8, 15, 15]);
  assert.equal(snapSeconds(undefined, 6.2), 7, "unknown model: whole seconds");
  assert.equal(snapAspect(veo, 720, 1280), "9:16");
  assert.equal(snapAspect(veo, 1080, 1350), "9:16", "4:5 is nearest 9:16 of what Veo makes");
  assert.equal(snapAspect(veo, 1920, 1080), "16:9");
  assert.equal(snapAspect(undefined, 1080, 1350), "4:5");
});

test("a user's video_api mapping with the new fields (auth Key, poll_url, resolve by URL) runs through the openai provider against fal's fake", async () => {
  const { createOpenAIProvider } = await import("../src/providers/openai/index.js");
  const { jobApiSchema } = await import("../src/project/job-api.js");
  const { startVendorFake } = await import("./fixtures/vendors/server.js");
  const { KEYS, SHAPES, clipRequest } = await import("./fixtures/vendors/harness.js");
  const { callContext, probe } = await import("./fixtures/openai-server/call-context.js");
  const f = await startVendorFake(SHAPES.fal, KEYS, { polls: 1 });
  try {
    // Written as a user would under video_api:, validated by drama.yaml's schema.
    const api = jobApiSchema.parse({
      auth: { header: "Authorization", format: "Key {key}" },
      create: { path: "/{model}", body: { prompt: "{prompt}", image_url: "{image}", duration: "{seconds:text}" } },
      id: "request_id",
      poll_url: "status_url",
      status: "status",
      done: ["COMPLETED"],
      result: "video.url",
      resolve: { url: "response_url" },
    });
    const provider = createOpenAIProvider(
      { name: "mine", base_url: f.url, models: { video: "fal-ai/kling-video/v2.5-turbo/pro/image-to-video" }, video_api: api, timeout_seconds: 10 },
      { apiKey: KEYS.apiKey },
      { retry: { baseDelayMs: 10 }, poll: { firstMs: 10, maxMs: 20, jobTimeoutMs: 10_000 } },
    );
    const ctx = await callContext("mp4");
    await provider.clip(await clipRequest(5), ctx);
    assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "video");
    assert.deepEqual([f.count("create"), f.count("resolve"), f.count("download")], [1, 1, 1]);
    assert.ok(f.log.filter((e) => e.side === "api").every((e) => e.credentials.includes("authorization")));
  } finally {
    await f.close();
  }
});
