/**
 * `write` against the fake OpenAI-compatible server (the real SDK over HTTP
 * on 127.0.0.1): a theme-only project gains cast and scenes that validate and
 * build; what the writer typed stays byte for byte; a bad answer is retried
 * once then refused; over budget nothing is asked and nothing is written.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { build, loadProject } from "../src/index.js";
import { writeDrama, type WriteOptions } from "../src/write/write.js";
import { defaultChat, startOpenAIServer, type ChatBody, type OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, cloudEnv, KEY } from "./build-openai-helpers.js";
import { probed, soundOf } from "./media-helpers.js";
import { addedLines } from "./additions.js";

const THEME_ONLY = `# yaml-language-server: $schema=../schemas/drama.schema.json
# Notes to self: keep it under a minute.
dramake: 1
title: One Umbrella
language: en
theme: Two neighbours, one umbrella, a rainy evening.   # the whole idea
format: { aspect: "9:16", size: 72x128, fps: 12 }

providers:
  cloud:
    type: openai
    base_url: \${OPENAI_BASE_URL}
    api_key: \${OPENAI_API_KEY}
    models: { text: gpt-4.1-mini }   # cheap is fine for drafts
    timeout_seconds: 20
use: { text: cloud }   # everything else offline
budget: 1.00
`;

let server: OpenAIServer;
/** Every chat request body, for asserting on what was asked. */
const asked: ChatBody[] = [];
before(async () => {
  server = await startOpenAIServer({ chat: (body) => (asked.push(body), defaultChat(body)) });
  // build() reads the environment as the CLI does; this file runs in its own process.
  Object.assign(process.env, cloudEnv(server));
});
after(() => server.close());

async function project(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-write-"));
  await writeFile(path.join(dir, "drama.yaml"), text);
  return dir;
}

function fresh(): void {
  server.reset();
  asked.length = 0;
}

const run = (dir: string, options: WriteOptions = {}) => writeDrama(dir, { env: cloudEnv(server), ...options });

function additionsOnly(beforeText: string, afterText: string): string[] {
  const added = addedLines(beforeText, afterText);
  assert.ok(added, `an original line changed or went missing:\n${afterText}`);
  return added;
}

test("write on a theme-only project: cast and scenes added, comments kept, ids normalized, the result validates and builds", async () => {
  fresh();
  const dir = await project(THEME_ONLY);
  const r = await run(dir, { scenes: 2, minutes: 0.05 });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  const text = await readFile(path.join(dir, "drama.yaml"), "utf8");
  assert.equal(text, r.value.after);
  const added = additionsOnly(THEME_ONLY, text);
  assert.ok(added.includes("cast:") && added.includes("scenes:"), added.join("\n"));
  assert.ok(text.includes("theme: Two neighbours, one umbrella, a rainy evening.   # the whole idea"));

  // "Grandpa Wang" and "Scene 1" came back from the model; the file has ids.
  const data = parse(text);
  assert.deepEqual(Object.keys(data.cast), ["grandpa-wang", "wei"]);
  assert.deepEqual(data.cast["grandpa-wang"].voice, { offline: "en+m1", style: "warm and slow" });
  assert.deepEqual(data.scenes.map((s: { id: string }) => s.id), ["scene-1", "scene-2"]);
  assert.deepEqual(data.scenes[0].lines, [{ "grandpa-wang": "Line 1 of scene 1." }, { wei: "Line 2 of scene 1." }]);
  assert.deepEqual(data.scenes[0].cast, ["grandpa-wang", "wei"]);
  // 0.05 minutes over 2 scenes: 1.5 s each, whatever the model proposed.
  assert.deepEqual(data.scenes.map((s: { seconds: number }) => s.seconds), [1.5, 1.5]);
  assert.equal(r.value.addedScenes.length, 2);
  assert.ok(r.value.cost > 0 && r.value.estimate > 0);

  // What was asked: the project's language, the size, the JSON schema.
  assert.equal(asked.length, 1);
  assert.equal(asked[0]!.response_format?.json_schema?.name, "drama_script");
  assert.match(String(asked[0]!.messages?.[0]?.content), /in the language en.*exactly 2 scenes of about 1\.5 seconds.*about 4 spoken words/s);

  const loaded = await loadProject(dir, { env: cloudEnv(server) });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.map((d) => d.message).join("\n"));
  const built = await build(dir, { onEvent: () => {} });
  assert.ok(built.ok, built.ok ? "" : JSON.stringify(built.error));
  assert.equal(built.value.summary.failed, 0);
  const info = await probed(path.join(dir, "build", "one-umbrella.mp4"));
  assert.ok(info.duration > 2, `the drama is ${info.duration} s`);
  assert.equal(await assertNoKeyUnder(dir) > 0, true);
  await rm(dir, { recursive: true, force: true });
});

test("an answer that is not JSON is asked again once; a second bad answer is refused and nothing is written", async () => {
  fresh();
  const dir = await project(THEME_ONLY);
  server.inject("chat", { kind: "invalid-json", content: "Sure! Here is your drama: ...", times: 1 });
  const retried = await run(dir, { scenes: 1 });
  assert.ok(retried.ok, retried.ok ? "" : JSON.stringify(retried.error));
  assert.equal(server.count("chat"), 2, "one repair turn");
  assert.equal(asked.length, 1, "the fake answered the first call itself");
  assert.match(JSON.stringify(asked[0]!.messages), /not usable: invalid JSON/);

  fresh();
  const dir2 = await project(THEME_ONLY);
  server.inject("chat", { kind: "invalid-json", content: '{"cast": [], "scenes": "three of them"}', times: 2 });
  const refused = await run(dir2, { scenes: 1 });
  assert.equal(refused.ok, false);
  if (!refused.ok) {
    assert.equal(refused.error.kind, "provider");
    assert.match(refused.error.kind === "provider" ? refused.error.message : "", /no valid script after one repair attempt \(the wrong shape \(scenes: /);
    // Two paid answers, both unusable: what they cost is still reported.
    assert.ok(refused.error.kind === "provider" && refused.error.cost > 0, `cost ${JSON.stringify(refused.error)}`);
  }
  assert.equal(server.count("chat"), 2);
  assert.equal(await readFile(path.join(dir2, "drama.yaml"), "utf8"), THEME_ONLY);
  assert.deepEqual(await readdir(dir2), ["drama.yaml"], "no temp file left");
  await rm(dir, { recursive: true, force: true });
  await rm(dir2, { recursive: true, force: true });
});

test("a draft whose speaker is nobody in the cast gets the repair turn with the reason", async () => {
  fresh();
  const dir = await project(THEME_ONLY);
  const stranger = JSON.stringify({
    cast: [{ id: "ann", name: "Ann", look: "young woman, red coat", gender: "female", voice_style: "" }],
    scenes: [{ id: "S1", setting: "", cast: ["ann"], action: "", camera: "", seconds: 3, beat: "b", lines: [{ speaker: "Zed", text: "Hi." }] }],
  });
  server.inject("chat", { kind: "invalid-json", content: stranger, times: 1 });
  const r = await run(dir, { scenes: 1 });
  assert.ok(r.ok);
  assert.match(JSON.stringify(asked[0]!.messages), /speaker 'Zed' is not in the cast \(ann\); every speaker must be a cast member/);
  await rm(dir, { recursive: true, force: true });
});

test("over budget: priced first, nothing asked, nothing written", async () => {
  fresh();
  const dir = await project(THEME_ONLY.replace("budget: 1.00", "budget: 0.0001"));
  const before = await readFile(path.join(dir, "drama.yaml"), "utf8");
  const r = await run(dir, { minutes: 2 });
  assert.equal(r.ok, false);
  if (!r.ok && r.error.kind === "over-budget") {
    assert.ok(r.error.estimate > 0.0001, `estimate ${r.error.estimate}`);
    assert.equal(r.error.budget, 0.0001);
  } else assert.fail(JSON.stringify(r));
  assert.equal(server.count("chat"), 0);
  assert.equal(await readFile(path.join(dir, "drama.yaml"), "utf8"), before);
  // --budget overrides the file's budget.
  const raised = await run(dir, { minutes: 0.1, scenes: 1, budget: 1 });
  assert.ok(raised.ok);
  await rm(dir, { recursive: true, force: true });
});

test("scenes already there: refused without --force; --dry-run returns the YAML and writes nothing; --force replaces the scenes", async () => {
  fresh();
  const dir = await project(THEME_ONLY);
  assert.ok((await run(dir, { scenes: 1 })).ok);
  const written = await readFile(path.join(dir, "drama.yaml"), "utf8");
  const again = await run(dir, { scenes: 1 });
  assert.equal(again.ok ? "" : again.error.kind, "nothing-to-write");
  const dry = await run(dir, { scenes: 3, force: true, dryRun: true });
  assert.ok(dry.ok);
  assert.equal(dry.value.written, false);
  assert.equal(parse(dry.value.after).scenes.length, 3);
  assert.equal(await readFile(path.join(dir, "drama.yaml"), "utf8"), written);
  const forced = await run(dir, { scenes: 3, force: true });
  assert.ok(forced.ok);
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  assert.equal(data.scenes.length, 3);
  // The cast the first write added is reused, not duplicated.
  assert.deepEqual(Object.keys(data.cast), ["grandpa-wang", "wei"]);
  assert.deepEqual(await readdir(dir), ["drama.yaml"]);
  await rm(dir, { recursive: true, force: true });
});

test("a long theme is written in overlapping parts: each part gets its share of scenes, the end of the part before, and the cast so far", async () => {
  fresh();
  const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i + 1} of the story goes here.`).join(" ");
  const dir = await project(THEME_ONLY.replace("theme: Two neighbours, one umbrella, a rainy evening.", `theme: ${sentences}`));
  const r = await run(dir, { scenes: 4, chunkChars: 500, overlapChars: 80 });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  assert.ok(asked.length >= 2 && asked.length <= 4, `${asked.length} parts`);
  const user = (i: number) => String(asked[i]!.messages?.[1]?.content);
  assert.match(user(1), new RegExp(`part 2 of ${asked.length}`));
  assert.match(user(1), /Just before this part:\n.*Sentence number/s);
  // The second part is told who the first part introduced, so it reuses them.
  assert.match(user(1), /- grandpa-wang: Grandpa Wang,/);
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  assert.equal(data.scenes.length, 4);
  assert.equal(new Set(data.scenes.map((s: { id: string }) => s.id)).size, 4, "ids stay unique across parts");
  assert.deepEqual(Object.keys(data.cast), ["grandpa-wang", "wei"]);
  await rm(dir, { recursive: true, force: true });
});

test("offline (no text provider): a deterministic outline of beats, marked as one, that validates; no request sent", async () => {
  fresh();
  const offline = THEME_ONLY.replace("use: { text: cloud }", "use: { text: offline }").replace(
    "theme: Two neighbours, one umbrella, a rainy evening.",
    "theme: A woman lends her umbrella to a stranger. Years later he returns it. She has forgotten him. He has not.",
  );
  const dir = await project(offline);
  const r = await run(dir, { scenes: 4 });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  assert.equal(r.value.outline, true);
  assert.equal(server.count("chat"), 0);
  const text = await readFile(path.join(dir, "drama.yaml"), "utf8");
  additionsOnly(offline, text);
  assert.match(text, /# outline: written offline by `dramake write` from the theme \(hook, turn, climax, resolution\)/);
  const data = parse(text);
  assert.deepEqual(data.scenes.map((s: { id: string }) => s.id), ["hook", "turn", "climax", "resolution"]);
  // The beats are narrated as written: no "Hook:" read aloud (the act is the id).
  assert.deepEqual(data.scenes.map((s: { beat: string }) => s.beat), [
    "A woman lends her umbrella to a stranger.",
    "Years later he returns it.",
    "She has forgotten him.",
    "He has not.",
  ]);
  // No empty settings (the keyframe card shows it), and each scene as long as its beat takes to say, not 8 s.
  for (const s of data.scenes as { setting?: string; seconds: number; beat: string }[]) {
    assert.ok(s.setting && s.setting.trim().length > 0, JSON.stringify(s));
    assert.ok(s.seconds >= 2 && s.seconds <= 4, `${s.seconds} s for "${s.beat}"`);
  }
  assert.ok(data.scenes.every((s: { lines?: unknown }) => s.lines === undefined));
  const second = await project(offline);
  const again = await run(second, { scenes: 4 });
  assert.ok(again.ok, JSON.stringify(again));
  assert.equal(await readFile(path.join(second, "drama.yaml"), "utf8"), text, "deterministic");
  assert.ok((await loadProject(dir, { env: cloudEnv(server) })).ok);
  for (const d of [dir, second]) await rm(d, { recursive: true, force: true });
});

test("bad sizes and a project with no theme are clear errors; the key never shows", async () => {
  const dir = await project(THEME_ONLY.replace(/^theme: .*$/m, ""));
  const none = await run(dir);
  assert.equal(none.ok ? "" : none.error.kind, "usage");
  for (const opts of [{ scenes: 0 }, { scenes: 1.5 }, { minutes: -1 }, { scenes: 1, minutes: 5 }]) {
    const r = await run(dir, opts);
    assert.equal(r.ok ? "" : r.error.kind, "usage", JSON.stringify(opts));
    assert.ok(!JSON.stringify(r).includes(KEY));
  }
  await rm(dir, { recursive: true, force: true });
});

const espeak = Boolean(process.env.PATH?.split(path.delimiter).some((d) => existsSync(path.join(d, "espeak-ng"))));

test("offline outline builds without dead air: each narrated cut is voiced to within 1.6 s of its end; a place in the theme is the setting", { skip: espeak ? false : "espeak-ng is not installed (silent voices have no sound to measure)" }, async () => {
  fresh();
  const offline = THEME_ONLY.replace("use: { text: cloud }", "use: { text: offline }").replace(
    "theme: Two neighbours, one umbrella, a rainy evening.",
    "theme: In a small bookshop a woman lends her umbrella to a stranger. Years later he returns it. She has forgotten him. He has not.",
  );
  const dir = await project(offline);
  const r = await run(dir, { minutes: 0.5 });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  assert.deepEqual(data.scenes.map((s: { setting: string }) => s.setting), ["small bookshop", "small bookshop", "small bookshop", "small bookshop"].map((p) => `a ${p}`));
  const built = await build(dir, { onEvent: () => {} });
  assert.ok(built.ok && built.value.summary.failed === 0, JSON.stringify(built));
  for (const scene of data.scenes as { id: string; seconds: number }[]) {
    const cut = path.join(dir, "build", "scenes", scene.id, "cut.mp4");
    const samples = await soundOf(cut, path.join(dir, `${scene.id}.pcm`));
    let last = samples.length - 1;
    while (last > 0 && Math.abs(samples[last]!) < 300) last--;
    const tail = (samples.length - 1 - last) / 48000;
    // Measured 0.9-1.5 s: the 0.35 s pause and espeak-ng reading faster than the silent voice's estimate; 8 s scenes left up to 6.8 s.
    assert.ok(tail < 1.6, `scene ${scene.id} (${scene.seconds} s) ends in ${tail.toFixed(2)} s of silence`);
  }
  await rm(dir, { recursive: true, force: true });
});

test("the scene count is in the JSON schema; a near miss is kept with a note (one paid call), a far miss is asked again once", async () => {
  fresh();
  const off = (by: number) => (body: ChatBody) => {
    const answer = JSON.parse(defaultChat(body)) as { scenes: unknown[] };
    answer.scenes = Array.from({ length: answer.scenes.length + by }, (_, i) => ({ ...(answer.scenes[0] as object), id: `Scene ${i + 1}` }));
    return JSON.stringify(answer);
  };
  const near = await startOpenAIServer({ chat: (body) => (asked.push(body), off(1)(body)) });
  try {
    const dir = await project(THEME_ONLY);
    const r = await writeDrama(dir, { env: cloudEnv(near), scenes: 4 });
    assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
    assert.equal(near.count("chat"), 1, "the paid answer is kept, not asked again");
    assert.equal(r.value.addedScenes.length, 5);
    assert.ok(r.value.notes.some((n) => /asked for 4 scenes, the model wrote 5: kept/.test(n)), r.value.notes.join("\n"));
    assert.ok(r.value.cost > 0);
    const scenes = (asked[0]!.response_format?.json_schema?.schema as { properties: { scenes: { minItems?: number; maxItems?: number } } }).properties.scenes;
    assert.deepEqual([scenes.minItems, scenes.maxItems], [4, 4]);
    await rm(dir, { recursive: true, force: true });
  } finally {
    await near.close();
  }
  const far = await startOpenAIServer({ chat: off(4) });
  try {
    const dir = await project(THEME_ONLY);
    const r = await writeDrama(dir, { env: cloudEnv(far), scenes: 4 });
    assert.equal(r.ok, false);
    assert.equal(far.count("chat"), 2, "one repair turn");
    assert.match(r.ok ? "" : JSON.stringify(r.error), /8 scenes where 4 were asked for/);
    assert.equal(await readFile(path.join(dir, "drama.yaml"), "utf8"), THEME_ONLY);
    await rm(dir, { recursive: true, force: true });
  } finally {
    await far.close();
  }
});
