/**
 * Issue 29, the project file: `lipsync` and `transcribe` are modalities of
 * `use:`, `models:` and `concurrency:`; `dialogue:` is set per project and
 * per scene; `cast.<id>.voice.sample` is a referenced file, checked to exist
 * inside the project and normalized like a cast picture. Every mistake is a
 * positioned error saying what is allowed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "../src/project/load.js";
import type { Diagnostic } from "../src/project/diagnostic.js";

const PROVIDERS = `providers:
  cloud:
    type: openai
    api_key: \${OPENAI_API_KEY}
    models: { text: gpt-4.1-mini, speech: gpt-4o-mini-tts }
    concurrency: { lipsync: 3, transcribe: 5 }
  lips:
    type: sync
    api_key: \${SYNC_API_KEY}
    models: { lipsync: lipsync-2 }
    uploads: { put: "https://store.example/up/{sha256}{ext}", get: "https://cdn.example/{sha256}{ext}" }
  kling:
    type: kling
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}`;

const ENV = { OPENAI_API_KEY: "sk-test", SYNC_API_KEY: "sync-SECRET-1", KLING_ACCESS_KEY: "ak", KLING_SECRET_KEY: "sk" };

async function load(body: string, files: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-dialogue-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await writeFile(path.join(dir, "drama.yaml"), body);
  return loadProject(dir, { env: ENV });
}

const project = (over: { dialogue?: string; use?: string; voice?: string; sceneDialogue?: string } = {}) => `dramake: 1
title: Dialogue
${over.dialogue ?? "dialogue: lipsync"}
${PROVIDERS}
use: ${over.use ?? "{ text: cloud, speech: cloud, video: kling, lipsync: lips, transcribe: cloud }"}
cast:
  grandpa:
    name: Grandpa
    look: old man, blue jacket
    voice: ${over.voice ?? "{ cloud: onyx, sample: refs/grandpa.wav }"}
scenes:
  - id: the-call
    ${over.sceneDialogue ?? "dialogue: native"}
    lines:
      - grandpa: Wei? You are not coming home?
  - id: decision
    lines:
      - grandpa: Then I will come to you.
`;

const errors = (diags: readonly Diagnostic[]) => diags.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.code} ${d.message} | ${d.allowed ?? ""}`);

test("lipsync and transcribe are modalities; dialogue per project and scene; a voice sample is a project file", async () => {
  const r = await load(project(), { "refs/grandpa.wav": "RIFF" });
  assert.ok(r.ok, r.ok ? "" : errors(r.error).join("\n"));
  const p = r.value;
  assert.equal(p.use.lipsync, "lips");
  assert.equal(p.use.transcribe, "cloud");
  assert.equal(p.dialogue, "lipsync");
  assert.deepEqual(
    p.scenes.map((s) => s.dialogue),
    ["native", undefined],
  );
  assert.equal(p.cast.grandpa!.voice.sample, "refs/grandpa.wav");
  assert.equal(p.cast.grandpa!.voice.cloud, "onyx");
  assert.ok(p.referencedFiles.includes("refs/grandpa.wav"), p.referencedFiles.join(","));
  assert.equal(p.providers.cloud!.concurrency.lipsync, 3);
  assert.equal(p.providers.cloud!.concurrency.transcribe, 5);
  assert.equal(p.providers.lips!.models.lipsync, "lipsync-2");
  assert.equal(p.secrets.apiKey("lips"), "sync-SECRET-1");
  assert.ok(!JSON.stringify(p).includes("sync-SECRET-1"));
});

test("defaults: voice-over everywhere, lipsync and transcribe offline", async () => {
  const r = await load(project({ dialogue: "", use: "{ text: cloud }", voice: "{ cloud: onyx }", sceneDialogue: "" }));
  assert.ok(r.ok, r.ok ? "" : errors(r.error).join("\n"));
  assert.equal(r.value.dialogue, "voice-over");
  assert.equal(r.value.use.lipsync, "offline");
  assert.equal(r.value.use.transcribe, "offline");
});

test("a missing or misplaced voice sample is an error at its line and column", async () => {
  const missing = await load(project());
  assert.ok(!missing.ok);
  assert.match(errors(missing.error).join("\n"), /^24:\d+ missing-file file not found: 'refs\/grandpa\.wav'/m);
  const outside = await load(project({ voice: "{ cloud: onyx, sample: ../grandpa.wav }" }));
  assert.ok(!outside.ok);
  assert.match(errors(outside.error).join("\n"), /^24:\d+ path-outside .*outside the project/m);
  const picture = await load(project({ voice: "{ cloud: onyx, sample: refs/grandpa.png }" }), { "refs/grandpa.png": "x" });
  assert.ok(!picture.ok);
  assert.match(errors(picture.error).join("\n"), /^24:\d+ bad-extension .*\| files ending in \.mp3, \.wav/m);
});

test("a dialogue mode that does not exist is positioned and lists the three", async () => {
  const r = await load(project({ sceneDialogue: "dialogue: dubbed" }), { "refs/grandpa.wav": "RIFF" });
  assert.ok(!r.ok);
  assert.match(errors(r.error).join("\n"), /^27:15 .*voice-over.*native.*lipsync/m);
  const top = await load(project({ dialogue: "dialogue: mime" }), { "refs/grandpa.wav": "RIFF" });
  assert.ok(!top.ok);
  assert.match(errors(top.error).join("\n"), /^3:11 .*voice-over.*native.*lipsync/m);
});

test("who may serve lipsync and transcribe: positioned errors", async () => {
  const files = { "refs/grandpa.wav": "RIFF" };
  const kling = await load(project({ use: "{ video: kling, lipsync: kling }" }), files);
  assert.ok(kling.ok, kling.ok ? "" : errors(kling.error).join("\n"));

  const syncVideo = await load(project({ use: "{ video: lips }" }), files);
  assert.ok(!syncVideo.ok);
  assert.match(errors(syncVideo.error).join("\n"), /^19:\d+ unsupported-modality provider 'lips' \(type sync\) does lip sync only, not video/m);

  const openaiLips = await load(project({ use: "{ lipsync: cloud }" }), files);
  assert.ok(!openaiLips.ok);
  assert.match(errors(openaiLips.error).join("\n"), /^19:\d+ unsupported-modality .*no lipsync_api \| .*kling or sync/m);

  const klingTranscribe = await load(project({ use: "{ transcribe: kling }" }), files);
  assert.ok(!klingTranscribe.ok);
  assert.match(errors(klingTranscribe.error).join("\n"), /^19:\d+ unsupported-modality provider 'kling' \(type kling\) makes video and lip sync only, not transcribe/m);

  const mapped = await load(
    project({ use: "{ lipsync: cloud }" }).replace(
      "    concurrency: { lipsync: 3, transcribe: 5 }",
      `    concurrency: { lipsync: 3, transcribe: 5 }
    uploads: { put: "https://store.example/up/{sha256}{ext}", get: "https://cdn.example/{sha256}{ext}" }
    lipsync_api:
      create: { path: /lipsync, body: { video_url: "{video}", audio_url: "{audio}" } }
      id: id
      poll: /lipsync/{id}
      status: status
      done: [done]
      result: url`,
    ),
    files,
  );
  assert.ok(mapped.ok, mapped.ok ? "" : errors(mapped.error).join("\n"));

  const badMapping = await load(
    project({ use: "{ lipsync: cloud }" }).replace(
      "    concurrency: { lipsync: 3, transcribe: 5 }",
      `    lipsync_api:
      create: { path: /lipsync, body: { video_url: "{clip}" } }
      id: id
      poll: /lipsync/{id}
      status: status
      done: [done]
      result: url`,
    ),
    files,
  );
  assert.ok(!badMapping.ok);
  assert.match(errors(badMapping.error).join("\n"), /unknown placeholder \{clip\}.*\{video\}/);
});

test("an included cast member's voice sample is checked and normalized too", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-dialogue-series-"));
  await mkdir(path.join(dir, "refs"));
  await writeFile(path.join(dir, "refs", "son.wav"), "RIFF");
  await writeFile(path.join(dir, "cast.yaml"), "cast:\n  son: { name: Wei, look: tired, voice: { sample: ./refs/son.wav } }\n  mum: { name: Mum, look: kind, voice: { sample: refs/mum.wav } }\n");
  await writeFile(
    path.join(dir, "drama.yaml"),
    `dramake: 1
title: Series
include: [cast.yaml]
episodes:
  - id: e1
    title: One
    scenes:
      - id: a
        lines:
          - son: Dad?
`,
  );
  const r = await loadProject(dir, { env: {} });
  assert.ok(!r.ok);
  const errs = errors(r.error);
  assert.equal(errs.length, 1, errs.join("\n"));
  assert.match(errs[0]!, /^3:\d+ missing-file file not found: 'refs\/mum\.wav'/);
  assert.match(r.error[0]!.file, /cast\.yaml$/);
  await writeFile(path.join(dir, "refs", "mum.wav"), "RIFF");
  const ok = await loadProject(dir, { env: {} });
  assert.ok(ok.ok, ok.ok ? "" : errors(ok.error).join("\n"));
  assert.equal(ok.value.cast.son!.voice.sample, "refs/son.wav", "normalized");
  assert.ok(ok.value.referencedFiles.includes("refs/mum.wav"));
});

test("dialogue: lipsync with use.lipsync offline and a real video provider is a warning at each such setting", async () => {
  const r = await load(project({ use: "{ video: kling }", sceneDialogue: "dialogue: lipsync" }), { "refs/grandpa.wav": "RIFF" });
  assert.ok(r.ok, r.ok ? "" : errors(r.error).join("\n"));
  const warnings = r.value.warnings.filter((d) => d.code === "no-lipsync-provider").map((d) => `${d.line}:${d.col}`);
  assert.deepEqual(warnings, ["3:11", "27:15"]);
  // With a lip-sync provider, or everything offline, there is nothing to say.
  const fine = await load(project({ use: "{ video: kling, lipsync: lips }", sceneDialogue: "dialogue: lipsync" }), { "refs/grandpa.wav": "RIFF" });
  assert.ok(fine.ok && fine.value.warnings.every((d) => d.code !== "no-lipsync-provider"));
  const offline = await load(project({ use: "{ text: offline }", sceneDialogue: "dialogue: lipsync" }), { "refs/grandpa.wav": "RIFF" });
  assert.ok(offline.ok && offline.value.warnings.every((d) => d.code !== "no-lipsync-provider"));
});
