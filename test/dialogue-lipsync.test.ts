/**
 * Issue 29, lip sync through the job runner: createJobsLipsync against fakes
 * written from sync.so's v2 reference and Kling's lip-sync reference. One
 * job per call, counted at the fake; inputs through the user's upload store
 * (once per content); Kling takes its own clip by video_id with the voice
 * inline, so it needs no store; a clip shorter than its dialogue fails
 * before anything is paid, naming the line; keys only to their own origins.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createJobsLipsync, type LipsyncRequest } from "../src/providers/http-jobs/lipsync.js";
import { OpenAIProviderError } from "../src/providers/openai/errors.js";
import { probe } from "../src/media/probe.js";
import { callContext } from "./fixtures/openai-server/call-context.js";
import { startVendorFake } from "./fixtures/vendors/server.js";
import { syncShape } from "./fixtures/vendors/sync.js";
import { klingLipsyncShape } from "./fixtures/vendors/kling-lipsync.js";
import { startUploadStore } from "./fixtures/vendors/upload-store.js";
import { KEYS, TUNING, UPLOAD_TOKEN, clipRequest, leaks, vendorVideo } from "./fixtures/vendors/harness.js";
import { silentClip, voice } from "./fixtures/dialogue/media.js";

async function inputs(clipSeconds: number, voiceSeconds: number): Promise<{ video: string; audio: string }> {
  const dir = await mkdtemp(join(tmpdir(), "lipsync-in-"));
  const video = join(dir, "clip.mp4");
  const audio = join(dir, "dialogue.wav");
  await writeFile(video, await silentClip(clipSeconds));
  await writeFile(audio, await voice(voiceSeconds));
  return { video, audio };
}

const failureOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(e instanceof OpenAIProviderError, `expected a provider failure, got ${String(e)}`);
  return e;
};

test("sync.so: inputs as URLs through uploads, one generate, the output downloaded without the key; the store serves each input once", async () => {
  const fake = await startVendorFake(syncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const lips = createJobsLipsync("sync", { name: "lips", base_url: fake.url, uploads, prices: { "lipsync-2": { per_second: 0.05 } } }, { apiKey: KEYS.apiKey, uploadToken: UPLOAD_TOKEN }, TUNING);
    const req = await inputs(3, 2);
    const ctx = await callContext("mp4");
    const usage = await lips.lipsync(req, ctx);

    assert.equal(fake.count("create"), 1);
    const create = fake.log.find((e) => e.route === "create")!;
    const body = create.body as { model: string; input: { type: string; url: string }[] };
    assert.equal(body.model, "lipsync-2");
    assert.deepEqual(body.input.map((i) => i.type), ["video", "audio"]);
    for (const i of body.input) assert.ok(i.url.startsWith(`${store.origin}/pub/`), i.url);
    // The store got both inputs, each with the token; the vendor never saw the token.
    assert.equal(store.log.filter((e) => e.method === "PUT").length, 2);
    assert.ok(store.log.filter((e) => e.method === "PUT").every((e) => e.auth === `Bearer ${UPLOAD_TOKEN}`));
    assert.ok(store.log.filter((e) => e.method !== "PUT").every((e) => e.auth === undefined));
    // The key went to the API only, never to the CDN.
    assert.ok(fake.log.filter((e) => e.side === "api").every((e) => e.credentials.includes("x-api-key")));
    assert.ok(fake.log.filter((e) => e.side === "cdn").every((e) => e.credentials.length === 0));
    assert.equal(fake.log.filter((e) => e.side === "cdn").length, 1);

    // What came back is the vendor's output (a decodable video), not our input.
    const out = await readFile(ctx.outFile);
    assert.notDeepEqual(out, await readFile(req.video));
    const info = await probe(ctx.outFile, ctx.signal);
    assert.ok(info.ok && info.value.video, "the output is a video");
    assert.equal(usage.cost, 0.05 * 3, "priced per second of clip");
    assert.ok(Math.abs(lips.estimate({ seconds: 3 }) - 0.15) < 1e-9);

    // Same inputs again: HEAD finds them in the store, no second upload; one more generate (a retake's business).
    const again = await callContext("mp4");
    await lips.lipsync(req, again);
    assert.equal(store.log.filter((e) => e.method === "PUT").length, 2);
    assert.equal(fake.count("create"), 2);
    assert.equal(leaks(JSON.stringify(fake.log) + JSON.stringify(usage)), undefined);
  } finally {
    await fake.close();
    await store.close();
  }
});

test("a clip shorter than its dialogue fails before any request, naming the line that overruns", async () => {
  const fake = await startVendorFake(syncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const lips = createJobsLipsync("sync", { name: "lips", base_url: fake.url, uploads }, { apiKey: KEYS.apiKey, uploadToken: UPLOAD_TOKEN }, TUNING);
    const req: LipsyncRequest = {
      ...(await inputs(1, 2)),
      lines: [
        { label: "line 1 'Wei?' (drama.yaml:12:9)", end: 0.6 },
        { label: "line 2 'You are not coming home?' (drama.yaml:13:9)", end: 2 },
      ],
    };
    const e = await failureOf(lips.lipsync(req, await callContext("mp4")));
    assert.equal(e.failure.kind, "clip-too-short");
    assert.match(e.message, /clip is 1\.\d\d s but its dialogue is 2\.00 s; line 2 'You are not coming home\?' \(drama\.yaml:13:9\) ends after the clip/);
    assert.match(e.message, /no lip-sync job was bought/);
    assert.equal(fake.log.length, 0, "nothing reached the vendor");
    assert.equal(store.log.length, 0, "nothing was uploaded");

    // Without lines, the voice's own length is the rule.
    const bare = await failureOf(lips.lipsync(await inputs(1, 2), await callContext("mp4")));
    assert.equal(bare.failure.kind, "clip-too-short");
    assert.equal(fake.log.length, 0);
  } finally {
    await fake.close();
    await store.close();
  }
});

test("sync.so without uploads: a failure naming the setting, before anything is paid", async () => {
  const fake = await startVendorFake(syncShape, KEYS);
  try {
    const lips = createJobsLipsync("sync", { name: "lips", base_url: fake.url }, { apiKey: KEYS.apiKey }, TUNING);
    const e = await failureOf(lips.lipsync(await inputs(2, 1), await callContext("mp4")));
    assert.equal(e.failure.kind, "unsupported");
    assert.match(e.message, /providers\.lips\.uploads: .*set uploads: \{ put:/);
    assert.equal(fake.log.length, 0);
    assert.match(lips.unpriced({ seconds: 2 }) ?? "", /set prices: \{ lipsync-2: \{ per_second: <USD> \} \} under providers\.lips/);
  } finally {
    await fake.close();
  }
});

test("Kling: a clip Kling made is lip-synced by its video_id with the voice inline (no upload store), under the same JWT", async () => {
  // Kling's clip is 5 s, as asked.
  const fake = await startVendorFake(klingLipsyncShape, KEYS, { clip: await silentClip(5) });
  try {
    const video = vendorVideo("kling", fake.url);
    const clipCtx = await callContext("mp4");
    const made = await video.video(await clipRequest(5), clipCtx);
    const videoId = made.detail?.videoId;
    assert.equal(typeof videoId, "string", "the clip's usage names Kling's video id");

    const lips = createJobsLipsync("kling", { name: "kling", base_url: fake.url }, { accessKey: KEYS.accessKey!, secretKey: KEYS.secretKey! }, TUNING);
    const { audio } = await inputs(1, 2);
    const ctx = await callContext("mp4");
    const usage = await lips.lipsync({ video: clipCtx.outFile, audio, videoId: String(videoId) }, ctx);
    assert.equal(usage.detail?.by, "video_id");
    const creates = fake.log.filter((e) => e.route === "create" && e.path === "/v1/videos/lip-sync");
    assert.equal(creates.length, 1);
    const input = (creates[0]!.body as { input: Record<string, unknown> }).input;
    assert.equal(input.video_id, videoId);
    assert.equal(input.video_url, undefined);
    assert.equal(input.audio_type, "file");
    assert.deepEqual(Buffer.from(String(input.audio_file), "base64"), await readFile(audio));
    const info = await probe(ctx.outFile, ctx.signal);
    assert.ok(info.ok && info.value.video);
    assert.ok(fake.log.filter((e) => e.side === "cdn").every((e) => e.credentials.length === 0));
    assert.equal(leaks(JSON.stringify(fake.log)), undefined);
  } finally {
    await fake.close();
  }
});

test("Kling: a clip another service made goes by URL through uploads; without a store it fails before paying", async () => {
  const fake = await startVendorFake(klingLipsyncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const creds = { accessKey: KEYS.accessKey!, secretKey: KEYS.secretKey! };
    const none = createJobsLipsync("kling", { name: "kling", base_url: fake.url }, creds, TUNING);
    const req = await inputs(3, 2);
    const e = await failureOf(none.lipsync(req, await callContext("mp4")));
    assert.match(e.message, /providers\.kling\.uploads/);
    assert.equal(fake.log.length, 0);

    // Kling takes clips of 2 to 10 s: a longer one is refused before anything is paid.
    const long = await failureOf(none.lipsync(await inputs(12, 2), await callContext("mp4")));
    assert.match(long.message, /kling lip sync: it takes clips of 2 to 10 s and this one is 12\.00 s/);
    assert.equal(fake.log.length, 0);

    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const lips = createJobsLipsync("kling", { name: "kling", base_url: fake.url, uploads }, { ...creds, uploadToken: UPLOAD_TOKEN }, TUNING);
    const usage = await lips.lipsync(req, await callContext("mp4"));
    assert.equal(usage.detail?.by, "url");
    const input = (fake.log.find((e) => e.route === "create")!.body as { input: Record<string, unknown> }).input;
    assert.ok(String(input.video_url).startsWith(`${store.origin}/pub/`));
    assert.equal(input.video_id, undefined);
    assert.equal(store.log.filter((e) => e.method === "PUT").length, 1, "only the clip is uploaded; the voice goes inline");
  } finally {
    await fake.close();
    await store.close();
  }
});

test("a user's lipsync_api mapping with {video} and {audio}; a failed job is the vendor's reason, asked once", async () => {
  const fake = await startVendorFake(syncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const mapping = {
      type: "custom",
      baseUrl: fake.url,
      defaultModel: "lipsync-2-pro",
      needs: "",
      docs: "",
      api: {
        auth: { header: "x-api-key", format: "{key}" },
        create: { path: "/v2/generate", body: { model: "{model}", input: [{ type: "video", url: "{video}" }, { type: "audio", url: "{audio}" }] } },
        id: "id",
        poll: "/v2/generate/{id}",
        status: "status",
        done: ["COMPLETED"],
        failed: ["FAILED"],
        result: "outputUrl",
        error: "error",
      },
    };
    const lips = createJobsLipsync(mapping, { name: "mine", uploads }, { apiKey: KEYS.apiKey, uploadToken: UPLOAD_TOKEN }, TUNING);
    assert.ok("lipsync_api" in lips.identity, "a user's mapping is part of the identity (keys change when it does)");
    assert.ok(!JSON.stringify(lips.identity).includes(KEYS.apiKey));
    await lips.lipsync(await inputs(2, 1), await callContext("mp4"));
    assert.equal((fake.log.find((e) => e.route === "create")!.body as { model: string }).model, "lipsync-2-pro");

    fake.inject("create", { kind: "job-fail", reason: "no face detected in the video" });
    const e = await failureOf(lips.lipsync(await inputs(2, 1), await callContext("mp4")));
    assert.equal(e.failure.kind, "job-failed");
    assert.match(e.message, /no face detected/);
    assert.equal(fake.count("create"), 2, "one create per call: a failed job is not bought again");
  } finally {
    await fake.close();
    await store.close();
  }
});

test("a lip-sync job recorded by a killed build is polled on resume, not bought again", async () => {
  const fake = await startVendorFake(syncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const lips = createJobsLipsync("sync", { name: "lips", base_url: fake.url, uploads }, { apiKey: KEYS.apiKey, uploadToken: UPLOAD_TOKEN }, TUNING);
    const req = await inputs(2, 1);
    // The first build: the job is created and journaled; then the build dies (here: the poll is refused once and the call fails).
    fake.inject("poll", { kind: "status", status: 400, message: "bad request" });
    const first = await callContext("mp4");
    await failureOf(lips.lipsync(req, first));
    assert.equal(fake.count("create"), 1);
    const journaled = first.jobIds.at(-1);
    assert.ok(journaled, "the job id was journaled before anything else could fail");
    // The next build finds the journaled id: it polls that job and downloads it; no second create.
    const resumed = await callContext("mp4", { jobId: journaled });
    const usage = await lips.lipsync(req, resumed);
    assert.equal(fake.count("create"), 1);
    assert.equal(usage.detail?.resumed, "yes");
    assert.equal(usage.detail?.jobId, journaled);
  } finally {
    await fake.close();
    await store.close();
  }
});
