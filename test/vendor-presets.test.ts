/**
 * Issue 28: a clip through each vendor preset end to end against a fake
 * written from that vendor's API reference (test/fixtures/vendors/): create,
 * poll, resolve, download (ffprobe'd), with the length snapped up to one the
 * model allows (the fakes refuse any other, as the vendors do), credentials
 * checked by the fake (Kling's JWT verified) and never sent to the download
 * host unless it is the vendor's own and needs them (Veo).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { callContext, probe } from "./fixtures/openai-server/call-context.js";
import { OpenAIProviderError, type OpenAIFailure } from "../src/providers/openai/index.js";
import type { PresetType } from "../src/providers/http-jobs/presets/index.js";
import { startVendorFake, type VendorFake } from "./fixtures/vendors/server.js";
import { clipRequest, KEYS, leaks, SHAPES, UPLOAD_TOKEN, vendorVideo } from "./fixtures/vendors/harness.js";
import { startUploadStore, type UploadStore } from "./fixtures/vendors/upload-store.js";

const open: { close(): Promise<void> }[] = [];
after(() => Promise.all(open.map((s) => s.close())));

async function fake(type: PresetType, polls = 2): Promise<VendorFake> {
  const f = await startVendorFake(SHAPES[type], KEYS, { polls });
  open.push(f);
  return f;
}

let store: UploadStore | undefined;
async function uploads(): Promise<{ put: string; get: string }> {
  if (!store) {
    store = await startUploadStore(UPLOAD_TOKEN);
    open.push(store);
  }
  return { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
}

async function failure(call: Promise<unknown>): Promise<OpenAIFailure> {
  const e = await call.then(
    () => assert.fail("expected the call to fail"),
    (e: unknown) => e,
  );
  for (const text of [String(e), JSON.stringify(e) ?? "", (e as Error).stack ?? ""]) assert.equal(leaks(text), undefined, `a secret leaked into: ${text}`);
  assert.ok(e instanceof OpenAIProviderError, `expected OpenAIProviderError, got ${String(e)}`);
  return e.failure;
}

/** Per preset: a scene length between two allowed ones, what must be asked for, and where the request says it. */
const CASES: readonly { type: PresetType; wanted: number; asked: unknown; duration: (b: Record<string, any>) => unknown }[] = [
  { type: "seedance", wanted: 7.5, asked: 8, duration: (b) => b.duration },
  { type: "kling", wanted: 6, asked: "10", duration: (b) => b.duration },
  { type: "veo", wanted: 5, asked: 6, duration: (b) => b.parameters.durationSeconds },
  { type: "fal", wanted: 7, asked: "10", duration: (b) => b.duration },
  { type: "minimax", wanted: 7, asked: 10, duration: (b) => b.duration },
  { type: "wan", wanted: 6, asked: 10, duration: (b) => b.parameters.duration },
  { type: "runway", wanted: 5.5, asked: 10, duration: (b) => b.duration },
  { type: "luma", wanted: 6, asked: "9s", duration: (b) => b.duration },
  { type: "replicate", wanted: 6, asked: 10, duration: (b) => b.input.duration },
];

for (const c of CASES) {
  test(`${c.type}: a ${c.wanted} s scene is made end to end as a ${String(c.asked)} clip; credentials only where they belong`, async () => {
    const f = await fake(c.type);
    const over = c.type === "luma" ? { uploads: await uploads() } : {};
    const provider = vendorVideo(c.type, f.url, over);
    const ctx = await callContext("mp4");
    const usage = await provider.video(await clipRequest(c.wanted), ctx);

    // The file is the fake's real MP4, whole and decodable.
    const probed = await probe(ctx.outFile);
    const video = probed.streams.find((s) => s.codec_type === "video");
    assert.equal(video?.codec_name, "h264");
    assert.deepEqual([video?.width, video?.height], [72, 128]);
    assert.ok(Number(probed.format.duration) > 0.5, `duration ${probed.format.duration}`);

    // One create, with the snapped length; the model never saw the scene's own length.
    const creates = f.log.filter((e) => e.route === "create");
    assert.equal(creates.length, 1);
    assert.equal(creates[0]!.status < 300, true, `create answered ${creates[0]!.status}`);
    assert.deepEqual(c.duration(creates[0]!.body!), c.asked);
    assert.equal(usage.detail?.seconds, Number.parseInt(String(c.asked), 10));
    assert.ok(f.count("poll") >= 1, "polled");
    assert.deepEqual(ctx.jobIds.length >= 1, true, "job id journaled");

    // Every API request carried credentials; the download host saw none, unless it is the API's own (Veo).
    for (const e of f.log.filter((e) => e.side === "api" && e.route !== "download")) assert.ok(e.credentials.length > 0, `${e.method} ${e.path} without credentials`);
    const downloads = f.log.filter((e) => e.route === "download");
    assert.equal(downloads.length, 1);
    if (c.type === "veo") {
      assert.equal(downloads[0]!.side, "api", "Veo's file is on the API's own host");
      assert.deepEqual(downloads[0]!.credentials, ["x-goog-api-key"], "and needs the key");
    } else {
      assert.equal(downloads[0]!.side, "cdn");
      assert.deepEqual(downloads[0]!.credentials, [], "no key to the download host");
    }
    assert.equal(leaks(JSON.stringify(usage) + ctx.notices.join("\n") + ctx.jobIds.join("\n")), undefined);
  });
}

test("luma: the keyframe goes to the upload store once by digest (token only there), and the API gets its URL", async () => {
  const f = await fake("luma");
  const provider = vendorVideo("luma", f.url, { uploads: await uploads() });
  const req = await clipRequest(5);
  await provider.video(req, await callContext("mp4"));
  await provider.video(req, await callContext("mp4"));
  const sha = createHash("sha256").update(await readFile(req.keyframe)).digest("hex");
  const puts = store!.log.filter((e) => e.method === "PUT");
  assert.equal(puts.length, 1, "uploaded once, then found by HEAD");
  assert.equal(puts[0]!.path, `/put/${sha}.png`);
  assert.equal(puts[0]!.auth, `Bearer ${UPLOAD_TOKEN}`);
  assert.ok(store!.log.filter((e) => e.method !== "PUT").every((e) => e.auth === undefined), "no token to the public URL");
  const frame0 = (f.log.find((e) => e.route === "create")!.body!.keyframes as { frame0: { url: string } }).frame0;
  assert.equal(frame0.url, `${store!.origin}/pub/${sha}.png`);
  assert.ok(f.log.every((e) => !JSON.stringify(e.body ?? {}).includes(UPLOAD_TOKEN)), "the upload token never reaches the vendor");
});

test("luma without uploads: fails before any request, naming the option", async () => {
  const f = await fake("luma");
  const fail = await failure(vendorVideo("luma", f.url).video(await clipRequest(5), await callContext("mp4")));
  assert.equal(fail.kind, "unsupported");
  assert.match(String((fail as { message: string }).message), /uploads: \{ put: .*get: .*\} under providers\.luma/);
  assert.equal(f.log.length, 0, "nothing sent, nothing paid");
});

test("vendor errors become the failure with the vendor's own message", async () => {
  // Kling: HTTP 4xx with {code, message}.
  const kling = await fake("kling");
  kling.inject("create", { kind: "status", status: 400, message: "Kling says: the image aspect ratio is out of range" });
  const k = await failure(vendorVideo("kling", kling.url).video(await clipRequest(5), await callContext("mp4")));
  assert.equal(k.kind, "http");
  assert.match(String((k as { message: string }).message), /Kling says: the image aspect ratio is out of range/);

  // MiniMax: HTTP 200 with base_resp.status_code ≠ 0 is an error, and bought nothing.
  const minimax = await fake("minimax");
  minimax.inject("create", { kind: "status", status: 400, message: "MiniMax says: invalid params, prompt too long" });
  const mctx = await callContext("mp4");
  const m = await failure(vendorVideo("minimax", minimax.url).video(await clipRequest(6), mctx));
  assert.match(String((m as { message: string }).message), /base_resp\.status_code 2013: MiniMax says: invalid params, prompt too long/);
  assert.equal(minimax.count("create"), 1, "a vendor refusal is not retried");
  assert.deepEqual(mctx.spentLog, [], "a refusal is not booked as spent");

  // Veo: the operation ends done with `error`.
  const veo = await fake("veo");
  veo.inject("create", { kind: "job-fail", reason: "Veo says: the prompt was blocked by the safety filter" });
  const v = await failure(vendorVideo("veo", veo.url).video(await clipRequest(8), await callContext("mp4")));
  assert.equal(v.kind, "job-failed");
  assert.match(String((v as { reason: string }).reason), /Veo says: the prompt was blocked/);

  // fal: 422 {detail: [{loc, msg, type}]}.
  const fal = await fake("fal");
  fal.inject("create", { kind: "status", status: 422, message: "fal says: image_url could not be loaded" });
  const fl = await failure(vendorVideo("fal", fal.url).video(await clipRequest(5), await callContext("mp4")));
  assert.equal(fl.kind, "http");
  assert.equal((fl as { status: number }).status, 422);
  assert.match(String((fl as { message: string }).message), /fal says: image_url could not be loaded/);

  // Seedance: the task ends failed with error.message.
  const ark = await fake("seedance");
  ark.inject("create", { kind: "job-fail", reason: "Ark says: OutputVideoSensitiveContentDetected" });
  const s = await failure(vendorVideo("seedance", ark.url).video(await clipRequest(5), await callContext("mp4")));
  assert.equal(s.kind, "job-failed");
  assert.match(String((s as { reason: string }).reason), /Ark says: OutputVideoSensitiveContentDetected/);
});

test("429 + Retry-After: 1 is waited out, one job; Retry-After longer than the budget fails at once, saying so (issue 33.4)", async () => {
  const f = await fake("seedance");
  f.inject("create", { kind: "status", status: 429, message: "rate limited", retryAfter: "1" });
  const t0 = Date.now();
  await vendorVideo("seedance", f.url).video(await clipRequest(5), await callContext("mp4"));
  const waited = Date.now() - t0;
  assert.ok(waited >= 950, `waited ${waited} ms`);
  assert.equal(f.log.filter((e) => e.route === "create" && e.status === 200).length, 1, "one job");

  const g = await fake("kling");
  g.inject("create", { kind: "status", status: 429, message: "too many requests", retryAfter: "3600" });
  const t1 = Date.now();
  const fail = await failure(vendorVideo("kling", g.url).video(await clipRequest(5), await callContext("mp4")));
  assert.ok(Date.now() - t1 < 2000, "failed at once");
  assert.equal(fail.kind, "http");
  assert.match(String((fail as { message: string }).message), /asked to wait 3600 s, longer than the 5 s a build waits for a rate limit; retry later/);
  assert.equal(g.count("create"), 1);
});

test("kling: the JWT is renewed before it expires, and a wrong secret is refused by the fake", async () => {
  const f = await fake("kling");
  const { createJobsVideo } = await import("../src/providers/http-jobs/video.js");
  const bad = createJobsVideo("kling", { name: "kling", base_url: f.url }, { accessKey: KEYS.accessKey!, secretKey: "not-the-secret-key" }, { retry: { baseDelayMs: 10 } });
  const fail = await failure(bad.video(await clipRequest(5), await callContext("mp4")));
  assert.equal((fail as { status: number }).status, 401);
  assert.match(String((fail as { message: string }).message), /JWT signature is invalid/);

  const { authorizer } = await import("../src/providers/http-jobs/auth.js");
  let now = 1_800_000_000_000;
  const auth = authorizer({ jwt: { ttl_seconds: 1800 } }, { accessKey: "ak", secretKey: "sk" }, () => now);
  const first = auth.headers().authorization;
  now += 60_000;
  assert.equal(auth.headers().authorization, first, "reused while fresh");
  now += 1500_000; // 26 min after signing: under a sixth of 30 min left
  const renewed = auth.headers().authorization!;
  assert.notEqual(renewed, first, "renewed before it expires");
  const { verifyJwt } = await import("./fixtures/vendors/kling.js");
  assert.equal(verifyJwt(renewed.slice(7), "ak", "sk", now / 1000), true);
});
