/**
 * Issue 29, from the project file to the providers (the registry's lines):
 * jobsLipsyncFor binds use.lipsync (a sync preset, or an openai provider's
 * lipsync_api mapping) with its secrets, prices and upload store;
 * transcriberFor binds use.transcribe with whisper-1 by default and the
 * project's price. Each runs once against its fake; keys stay out of the
 * identities that keys hash.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "../src/project/load.js";
import { jobsLipsyncFor } from "../src/providers/http-jobs/from-project.js";
import { transcriberFor } from "../src/providers/openai/transcribe.js";
import { callContext } from "./fixtures/openai-server/call-context.js";
import { startVendorFake } from "./fixtures/vendors/server.js";
import { syncShape } from "./fixtures/vendors/sync.js";
import { startUploadStore } from "./fixtures/vendors/upload-store.js";
import { KEYS, TUNING, UPLOAD_TOKEN } from "./fixtures/vendors/harness.js";
import { startTranscribeFake } from "./fixtures/dialogue/transcribe-server.js";
import { silentClip, talkingClip, voice } from "./fixtures/dialogue/media.js";

test("drama.yaml -> jobsLipsyncFor (sync and a mapping) and transcriberFor: one job each, the project's prices, keys from the environment", async () => {
  const lips = await startVendorFake(syncShape, KEYS);
  const store = await startUploadStore(UPLOAD_TOKEN);
  const whisper = await startTranscribeFake("sk-cloud-SECRET-1");
  try {
    const dir = await mkdtemp(path.join(tmpdir(), "dramake-dialogue-project-"));
    await writeFile(
      path.join(dir, "drama.yaml"),
      `dramake: 1
title: Bound
dialogue: lipsync
providers:
  lips:
    type: sync
    base_url: ${lips.url}
    api_key: \${SYNC_API_KEY}
    models: { lipsync: lipsync-2-pro }
    prices: { lipsync-2-pro: { per_second: 0.08 } }
    uploads: { put: "${store.origin}/put/{sha256}{ext}", get: "${store.origin}/pub/{sha256}{ext}", token: "\${UPLOAD_TOKEN}" }
  cloud:
    type: openai
    base_url: ${whisper.url}
    api_key: \${OPENAI_API_KEY}
    models: { lipsync: lipsync-2 }
    prices: { whisper-1: { per_second: 0.001 } }
    uploads: { put: "${store.origin}/put/{sha256}{ext}", get: "${store.origin}/pub/{sha256}{ext}", token: "\${UPLOAD_TOKEN}" }
    lipsync_api:
      auth: { header: x-api-key, format: "{key}" }
      create: { path: /v2/generate, body: { model: "{model}", input: [{ type: video, url: "{video}" }, { type: audio, url: "{audio}" }] } }
      id: id
      poll: /v2/generate/{id}
      status: status
      done: [COMPLETED]
      failed: [FAILED]
      result: outputUrl
use: { lipsync: lips, transcribe: cloud }
cast:
  grandpa: { name: Grandpa, look: old man }
scenes:
  - id: the-call
    lines:
      - grandpa: Wei?
`,
    );
    const r = await loadProject(dir, { env: { SYNC_API_KEY: KEYS.apiKey, OPENAI_API_KEY: "sk-cloud-SECRET-1", UPLOAD_TOKEN } });
    assert.ok(r.ok, r.ok ? "" : r.error.map((d) => d.message).join("\n"));
    const p = r.value;

    const media = await mkdtemp(path.join(tmpdir(), "dramake-dialogue-media-"));
    const clip = path.join(media, "clip.mp4");
    const wav = path.join(media, "dialogue.wav");
    await writeFile(clip, await silentClip(2));
    await writeFile(wav, await voice(1));

    const sync = jobsLipsyncFor(p.providers[p.use.lipsync]!, p.secrets, TUNING);
    assert.deepEqual(sync.identity, { type: "sync", modality: "lipsync", base_url: lips.url, model: "lipsync-2-pro" });
    assert.ok(Math.abs(sync.estimate({ seconds: 2 }) - 0.16) < 1e-9);
    const usage = await sync.lipsync({ video: clip, audio: wav }, await callContext("mp4"));
    assert.ok(Math.abs(usage.cost - 0.16) < 0.01, `cost ${usage.cost}`);
    assert.equal(lips.count("create"), 1);
    assert.equal((lips.log.find((e) => e.route === "create")!.body as { model: string }).model, "lipsync-2-pro");

    // The openai provider's own mapping, to the same service: its key goes as the mapping says.
    const mapped = jobsLipsyncFor({ ...p.providers.cloud!, base_url: lips.url }, { apiKey: () => KEYS.apiKey, credential: (_: string, f: string) => (f === "upload_token" ? UPLOAD_TOKEN : undefined) } as unknown as typeof p.secrets, TUNING);
    assert.ok("lipsync_api" in mapped.identity);
    await mapped.lipsync({ video: clip, audio: wav }, await callContext("mp4"));
    assert.equal(lips.count("create"), 2);

    whisper.said = "Wei?";
    const t = transcriberFor(p.providers[p.use.transcribe]!, p.secrets, { retry: TUNING.retry });
    assert.deepEqual(t.identity, { type: "openai", modality: "transcribe", base_url: whisper.url, model: "whisper-1" });
    assert.ok(Math.abs(t.estimate(60) - 0.06) < 1e-9, "the project's per_second price");
    const ctx = await callContext("json");
    const talking = path.join(media, "talking.mp4");
    await writeFile(talking, await talkingClip(2));
    const got = await t.transcribe({ audio: talking, language: p.language }, ctx);
    assert.deepEqual(got.transcript.words.map((w) => w.word), ["Wei?"]);
    assert.equal(whisper.calls.length, 1);
    for (const id of [sync.identity, mapped.identity, t.identity]) assert.ok(!/SECRET/.test(JSON.stringify(id)));
  } finally {
    await lips.close();
    await store.close();
    await whisper.close();
  }
});
