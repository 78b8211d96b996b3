/**
 * Issue 5 end to end: the real CLI builds a project with every modality but
 * music on an OpenAI-compatible provider (the fake server on 127.0.0.1), and
 * every edit then sends exactly the requests its cone needs. Music stays
 * offline: OpenAI-compatible APIs have no music generation.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { probe } from "../src/media/probe.js";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, build, cloudProjectPerFile, dramake, editProject, events, inState, routes, since } from "./build-openai-helpers.js";

let server: OpenAIServer;
let dir: string;
cloudProjectPerFile((s, d) => ([server, dir] = [s, d]));

const scene = (id: string, ...names: string[]) => names.map((n) => `scene/${id}/${n}`);

test("the cloud project builds to a playable MP4 through every OpenAI endpoint", async () => {
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.summary.steps.ran, b.summary.steps.total);
  // 26 steps, and two voice slots of the beat-only scene that its two lines leave empty (it may write up to four).
  assert.equal(b.summary.steps.total, 29);
  assert.equal(b.summary.output, "build/cloud-test.mp4");

  const info = await probe(join(dir, "build/cloud-test.mp4"), AbortSignal.timeout(30_000));
  assert.ok(info.ok, "ffprobe reads the result");
  assert.equal(info.value.video?.codec, "h264");
  assert.equal(info.value.video?.width, 180, "the 720x1280 clips are scaled to the project's size");
  assert.equal(info.value.video?.height, 320);
  assert.equal(info.value.audio?.codec, "aac");
  assert.ok(info.value.duration >= 3, `three scenes of at least 1 s, got ${info.value.duration} s`);

  // What the server saw: drafts then polish for the beat-only scene, two portraits, a
  // keyframe per scene edited from its cast's portraits, one voice per line, one job per clip.
  assert.deepEqual(routes(server.log), {
    chat: 2,
    "images.generations": 2,
    "images.edits": 3,
    "audio.speech": 5,
    "videos.create": 3,
    "videos.retrieve": 9,
    "videos.content": 3,
  });
  assert.deepEqual(
    server.log.filter((e) => e.route === "chat").map((e) => e.model),
    ["gpt-4.1-mini", "gpt-4.1"],
    "the draft model writes, then the polish model rewrites",
  );
  assert.deepEqual(server.log.filter((e) => e.route === "images.edits").map((e) => e.images).sort(), [1, 1, 2], "each keyframe uploads its scene's portraits");
  for (const v of server.log.filter((e) => e.route === "videos.create")) {
    assert.deepEqual(v.video, { seconds: "4", size: "720x1280", inputReference: "file" }, "1 s scenes ask for sora-2's shortest clip in the portrait size, keyframe uploaded");
  }
  // The beat-only scene is voiced and subtitled from the polished lines, not the drafts.
  const spoken = server.log.filter((e) => e.route === "audio.speech").map((e) => e.input ?? "");
  assert.equal(spoken.filter((t) => t.endsWith("(polished)")).length, 2, `voices: ${spoken.join(" | ")}`);
  assert.match(await readFile(join(dir, "build/cloud-test.srt"), "utf8"), /\(polished\)/);

  assert.ok(b.summary.cost.spent > 1, `spent ${b.summary.cost.spent}`);
  assert.ok(b.summary.cost.estimated > 1, `estimated ${b.summary.cost.estimated}`);
  assert.equal(b.steps.get("music")?.cost, 0, "music is made offline");
});

test("a second build sends no request at all", async () => {
  const mark = server.log.length;
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(b.summary.steps.cached, b.summary.steps.total);
  assert.deepEqual(since(server, mark), []);
});

test("plan shows each step's estimate, the total and what the cache saves", async () => {
  await editProject(dir, "Take my umbrella.", "Take my big umbrella.");
  const mark = server.log.length;
  const r = await dramake(server, ["plan", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = events(r.stdout);
  const steps = lines.filter((e) => e.event === "plan") as { id: string; action: string; estimate: number; saved: number }[];
  const total = lines.find((e) => e.event === "plan-summary") as { cost: { estimated: number; saved: number } };
  assert.deepEqual(steps.filter((s) => s.action === "run").map((s) => s.id).sort(), [...scene("hello", "cut", "dialogue", "subtitles", "voice/2"), "soundtrack", "final"].sort());
  const voice = steps.find((s) => s.id === "scene/hello/voice/2")!;
  assert.ok(voice.estimate > 0 && voice.estimate < 0.01, `a short line costs a fraction of a cent, got ${voice.estimate}`);
  const sum = (xs: number[]) => Math.round(xs.reduce((a, x) => a + x * 1e6, 0)) / 1e6;
  assert.equal(total.cost.estimated, sum(steps.map((s) => s.estimate)));
  assert.equal(total.cost.saved, sum(steps.map((s) => s.saved)));
  assert.ok(steps.find((s) => s.id === "scene/hello/clip")!.saved >= 0.4, "a cached clip saves what it cost");
  assert.deepEqual(since(server, mark), [], "planning spends nothing");

  const text = await dramake(server, ["plan", dir]);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /run\s+scene\/hello\/voice\/2 \$0\.000\d/);
  assert.match(text.stdout, /6 to run, 23 cached; estimated cost \$0\.000\d, saved \$1\.\d\d/);
});

test("editing one line sends exactly one speech request", async () => {
  const mark = server.log.length;
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  const sent = since(server, mark);
  assert.deepEqual(routes(sent), { "audio.speech": 1 });
  assert.equal(sent[0]!.input, "Take my big umbrella.");
  assert.deepEqual(inState(b, "ran"), [...scene("hello", "cut", "dialogue", "subtitles", "voice/2"), "soundtrack", "final"].sort());
});

test("editing one scene's action sends exactly that scene's image and video requests", async () => {
  await editProject(dir, "She walks away under the umbrella.", "She runs off under the umbrella.");
  const mark = server.log.length;
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  const sent = since(server, mark);
  const counts = routes(sent);
  assert.deepEqual({ ...counts, "videos.retrieve": undefined }, { "images.edits": 1, "videos.create": 1, "videos.content": 1, "videos.retrieve": undefined });
  assert.ok((counts["videos.retrieve"] ?? 0) >= 1);
  for (const e of sent.filter((e) => e.prompt !== undefined)) assert.match(e.prompt!, /She runs off under the umbrella\./);
  const job = sent.find((e) => e.route === "videos.create")!.job!;
  for (const e of sent.filter((e) => e.route.startsWith("videos."))) assert.ok(e.path.includes(job) || e.route === "videos.create", "only that scene's job is polled and downloaded");
  assert.deepEqual(inState(b, "ran"), [...scene("bye", "clip", "cut", "keyframe"), "final"].sort());
});

test("swapping the polish model reruns the polish only, never the drafts", async () => {
  await editProject(dir, "polish: gpt-4.1,", "polish: gpt-4.1-2025-04-14,");
  const mark = server.log.length;
  const b = await build(server, dir);
  assert.equal(b.code, 0, b.stderr);
  const sent = since(server, mark);
  assert.deepEqual(sent.map((e) => [e.route, e.model]), [["chat", "gpt-4.1-2025-04-14"]]);
  // The fake polish is deterministic: same lines, so nothing downstream reruns (early cutoff).
  assert.deepEqual(inState(b, "ran"), ["scene/think/polish"]);
});

test("the API key is stored in no file under the project, its cache or its build", async () => {
  const files = await assertNoKeyUnder(dir);
  assert.ok(files > 50, `checked ${files} files`);
});
