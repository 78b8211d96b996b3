/**
 * Issue 9, the project file: relay keys (video_api, video_path, music_api,
 * image_input, endpoints, models.music), default models, job mappings checked
 * by the schema, and what of it goes into step keys (never a key).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "../src/project/load.js";
import { resolveBackends } from "../src/graph/backends.js";
import { loadBuildGraph } from "../src/graph/load.js";
import type { Diagnostic } from "../src/project/diagnostic.js";

async function load(providers: string, use: string, env: Record<string, string> = {}, keysOptional = false) {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-relay-"));
  await writeFile(
    path.join(dir, "drama.yaml"),
    `dramake: 1
title: Relay
providers:
${providers}
use: ${use}
cast:
  kai: { name: Kai, look: courier in a yellow coat }
scenes:
  - id: delivery
    lines:
      - kai: Sign here, please.
music: { mood: calm }
`,
  );
  // The relays named here are trusted from the shell (keys from the environment go only to trusted origins).
  return loadProject(dir, { env: { DRAMAKE_TRUSTED_ORIGINS: "https://relay.example,https://text-relay.example,https://video-relay.example", ...env }, keysOptional });
}

const messages = (diags: readonly Diagnostic[]) => diags.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.message}`);

test("a type: openai provider without models: gets the default models", async () => {
  const r = await load("  cloud: { type: openai, api_key: '${KEY}' }", "{ text: cloud, image: cloud, speech: cloud }", { KEY: "sk-x" });
  assert.ok(r.ok, r.ok ? "" : messages(r.error).join("\n"));
  // No default video model since issue 28 (sora-2's API shuts down on 2026-09-24): clips come from a preset.
  assert.deepEqual(r.value.providers.cloud!.models, { text: "gpt-4.1-mini", image: "gpt-image-1", speech: "gpt-4o-mini-tts" });
  const video = await load("  cloud: { type: openai, api_key: '${KEY}' }", "{ video: cloud }", { KEY: "sk-x" });
  assert.ok(!video.ok);
  assert.match(messages(video.error).join("\n"), /use\.video names 'cloud', but providers\.cloud\.models has no video model/);
});

test("use.music on a provider: allowed with music_api and models.music, refused without music_api", async () => {
  const ok = await load("  relay: { type: openai, api_key: '${KEY}', music_api: generations, models: { music: suno-v4 } }", "{ music: relay }", { KEY: "sk-x" });
  assert.ok(ok.ok, ok.ok ? "" : messages(ok.error).join("\n"));
  assert.equal(ok.value.providers.relay!.music_api, "generations");

  const none = await load("  relay: { type: openai, api_key: '${KEY}', models: { music: suno-v4 } }", "{ music: relay }", { KEY: "sk-x" });
  assert.ok(!none.ok);
  assert.match(messages(none.error).join("\n"), /cannot make music: it has no music_api/);

  const noModel = await load("  relay: { type: openai, api_key: '${KEY}', music_api: generations }", "{ music: relay }", { KEY: "sk-x" });
  assert.ok(!noModel.ok);
  assert.match(messages(noModel.error).join("\n"), /providers.relay.models has no music model/);
});

const MAPPING = `
  relay:
    type: openai
    base_url: https://relay.example
    api_key: \${KEY}
    models: { video: kling-v2 }
    video_api:
      create: { path: /api/v1/jobs/createTask, body: { model: "{model}", input: { prompt: "{prompt}", duration: "{seconds}" } } }
      id: data.taskId
      poll: /v1/videos/{id}
      status: data.task_status
      done: [succeed]
      result: data.task_result.videos.0.url`;

test("a job mapping is checked by the schema: unknown placeholders and malformed paths are positioned errors", async () => {
  const good = await load(MAPPING, "{ video: relay }", { KEY: "sk-x" });
  assert.ok(good.ok, good.ok ? "" : messages(good.error).join("\n"));
  const api = good.value.providers.relay!.video_api;
  assert.ok(typeof api === "object" && api.create.method === "POST" && api.failed.length === 0, "defaults applied");

  const typo = await load(MAPPING.replace('"{prompt}"', '"{promt}"'), "{ video: relay }", { KEY: "sk-x" });
  assert.ok(!typo.ok);
  assert.match(messages(typo.error).join("\n"), /unknown placeholder \{promt\} in create.body \(allowed: \{model\}, \{prompt\}/);

  const path = await load(MAPPING.replace("id: data.taskId", "id: data..taskId"), "{ video: relay }", { KEY: "sk-x" });
  assert.ok(!path.ok);
  assert.match(messages(path.error).join("\n"), /^1[0-9]:\d+ .*not a dotted path/m);

  const missing = await load(MAPPING.replace("      done: [succeed]\n", ""), "{ video: relay }", { KEY: "sk-x" });
  assert.ok(!missing.ok);
  assert.match(messages(missing.error).join("\n"), /done/);
});

test("endpoints: a modality's own base_url and key; keys in no step identity, URLs and dialect in it", async () => {
  const r = await load(
    `  relay:
    type: openai
    base_url: https://text-relay.example/v1
    api_key: \${TEXT_KEY}
    video_api: generations
    video_path: /video/generations
    image_input: data-url
    models: { text: gpt-4.1-mini, video: kling-v2 }
    endpoints:
      video: { base_url: "\${VIDEO_URL}", api_key: "\${VIDEO_KEY}" }`,
    "{ text: relay, video: relay }",
    { TEXT_KEY: "sk-text-0123456789", VIDEO_KEY: "sk-video-0123456789", VIDEO_URL: "https://video-relay.example/v1" },
  );
  assert.ok(r.ok, r.ok ? "" : messages(r.error).join("\n"));
  const p = r.value;
  assert.equal(p.secrets.apiKey("relay"), "sk-text-0123456789");
  assert.equal(p.secrets.apiKey("relay", "video"), "sk-video-0123456789");
  assert.equal(p.secrets.apiKey("relay", "text"), "sk-text-0123456789");
  assert.deepEqual(p.providers.relay!.endpoints, { video: "https://video-relay.example/v1" });
  assert.ok(!JSON.stringify(p).includes("sk-video"), "no key in the project's JSON");

  const backends = await resolveBackends(p, {});
  assert.ok(backends.ok);
  assert.deepEqual(backends.value.video.identity, {
    type: "openai",
    base_url: "https://video-relay.example/v1",
    model: "kling-v2",
    video_api: "generations",
    video_path: "/video/generations",
    image_input: "data-url",
  });
  assert.deepEqual(backends.value.text.identity, { type: "openai", base_url: "https://text-relay.example/v1", model: "gpt-4.1-mini" });
  assert.deepEqual(backends.value.video.secrets, { api_key: "sk-video-0123456789" });
  assert.deepEqual(backends.value.text.secrets, { api_key: "sk-text-0123456789" });
  for (const b of Object.values(backends.value)) assert.ok(!JSON.stringify(b.identity).includes("sk-"), "no key in any identity");
});

test("music through a relay asks for the episode's length; music: { file } still wins", async () => {
  const providers = "  relay: { type: openai, api_key: '${KEY}', music_api: generations, models: { music: suno-v4 } }";
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-relay-music-"));
  const yaml = (music: string) => `dramake: 1
title: Relay Music
providers:
${providers}
use: { music: relay }
cast:
  kai: { name: Kai, look: courier }
scenes:
  - { id: a, seconds: 2.5, lines: [ { kai: One. } ] }
  - { id: b, seconds: 4, lines: [ { kai: Two. } ] }
music: ${music}
`;
  await writeFile(path.join(dir, "drama.yaml"), yaml(`{ mood: "calm, piano" }`));
  process.env.KEY = "sk-music-0123456789";
  try {
    const generated = await loadBuildGraph(dir);
    assert.ok(generated.ok, generated.ok ? "" : generated.error.message);
    const music = generated.value.steps.find((s) => s.id === "music")!;
    assert.equal(music.kind, "music");
    assert.deepEqual((music.params as { request: unknown }).request, { mood: "calm, piano", seconds: 7 }, "2.5 s + 4 s, rounded up");
    assert.ok(music.remote);

    await copyFile(path.join(fileURLToPath(new URL("./fixtures/projects/with-files/music/theme.wav", import.meta.url))), path.join(dir, "theme.wav"));
    await writeFile(path.join(dir, "drama.yaml"), yaml("{ file: theme.wav }"));
    const file = await loadBuildGraph(dir);
    assert.ok(file.ok, file.ok ? "" : file.error.message);
    const reference = file.value.steps.find((s) => s.id === "music")!;
    assert.equal(reference.kind, "reference", "the user's file, not the relay");
    assert.ok(!reference.remote);
  } finally {
    delete process.env.KEY;
  }
});

test("an unset endpoint key is a warning for commands that spend nothing, an error for a build", async () => {
  const providers = `  relay:
    type: openai
    api_key: \${TEXT_KEY}
    video_api: generations
    models: { video: kling-v2 }
    endpoints: { video: { api_key: "\${VIDEO_KEY}" } }`;
  const looking = await load(providers, "{ video: relay }", { TEXT_KEY: "sk-text-0123456789" }, true);
  assert.ok(looking.ok, looking.ok ? "" : messages(looking.error).join("\n"));
  assert.ok(looking.value.warnings.some((w) => w.code === "unset-env" && /VIDEO_KEY/.test(w.message)));
  const building = await load(providers, "{ video: relay }", { TEXT_KEY: "sk-text-0123456789" });
  assert.ok(!building.ok);
  assert.match(messages(building.error).join("\n"), /environment variable VIDEO_KEY is not set/);
});
