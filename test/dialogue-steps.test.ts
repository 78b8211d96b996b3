/**
 * Issue 29, the step graph without a build: which steps each dialogue mode
 * yields, which keys it leaves alone, and the pure timing of native lines.
 *  - a voice-over or lipsync scene's clip has the request and inputs a project
 *    without `dialogue:` gives it (its key does not move); a native scene's
 *    clip holds the lines and the speakers' voice samples;
 *  - `cast/<id>/voice-sample` is one step for the whole series, in every
 *    episode's cone that needs it; a `voice.sample` file is its reference;
 *  - offline, native and lipsync scenes are voiced like voice-over and the
 *    layout (so the storyboard) says so;
 *  - nativeTimings: the script's lines at the times they were said, inside
 *    the sound; lines said otherwise listed; without a transcript, shared
 *    out by their words and never warned.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../src/project/load.js";
import { resolveBackends } from "../src/graph/backends.js";
import { dramaSteps } from "../src/graph/drama.js";
import { nativeTimings } from "../src/graph/plan/native-timing.js";
import { dialogueMark } from "../src/report/storyboard/from-build.js";
import type { StepSpec } from "../src/engine/step.js";
import { voice } from "./fixtures/dialogue/media.js";

const ENV = { ARK_API_KEY: "ark-SECRET-1", SYNC_API_KEY: "sync-SECRET-2", OPENAI_API_KEY: "sk-SECRET-3", UPLOAD_TOKEN: "up-SECRET-4" };

function yaml(opts: { scenes: string; sample?: boolean; series?: boolean }): string {
  const head = `dramake: 1
title: Modes
providers:
  ark:
    type: seedance
    base_url: http://127.0.0.1:9/api/v3
    api_key: \${ARK_API_KEY}
    models: { video: doubao-seedance-2-0-260128 }
    uploads: { put: "http://127.0.0.1:9/put/{sha256}{ext}", get: "http://127.0.0.1:9/pub/{sha256}{ext}", token: "\${UPLOAD_TOKEN}" }
  lips:
    type: sync
    base_url: http://127.0.0.1:9
    api_key: \${SYNC_API_KEY}
    uploads: { put: "http://127.0.0.1:9/put/{sha256}{ext}", get: "http://127.0.0.1:9/pub/{sha256}{ext}", token: "\${UPLOAD_TOKEN}" }
  cloud:
    type: openai
    base_url: http://127.0.0.1:9/v1
    api_key: \${OPENAI_API_KEY}
use: { video: ark, speech: cloud, lipsync: lips, transcribe: cloud }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { cloud: onyx${opts.sample ? ", sample: refs/grandpa.wav" : ""} } }
  son: { name: Wei, look: tired man, voice: { cloud: echo } }
`;
  return head + opts.scenes;
}

const scenes = (mode: (id: string) => string) => `scenes:
  - id: the-call
${mode("the-call")}    setting: a kitchen
    seconds: 5
    lines:
      - grandpa: Wei?
      - son: Dad, I'm sorry.
  - id: the-door
${mode("the-door")}    setting: a doorway
    seconds: 5
    lines:
      - grandpa: Who is it?
`;

async function graph(text: string, opts: { offline?: boolean; files?: Record<string, Buffer> } = {}) {
  const dir = await mkdtemp(join(tmpdir(), "dramake-dialogue-steps-"));
  for (const [f, bytes] of Object.entries(opts.files ?? {})) {
    await mkdir(join(dir, f, ".."), { recursive: true });
    await writeFile(join(dir, f), bytes);
  }
  await writeFile(join(dir, "drama.yaml"), text);
  const p = await loadProject(dir, { env: ENV, offline: opts.offline ?? false });
  assert.ok(p.ok, p.ok ? "" : p.error.map((d) => d.message).join("\n"));
  const b = await resolveBackends(p.value, ENV);
  assert.ok(b.ok, b.ok ? "" : b.error);
  const g = dramaSteps(p.value, b.value);
  return { ...g, byId: new Map(g.steps.map((s) => [s.id, s])) };
}

const keyOf = (s: StepSpec) => JSON.stringify({ kind: s.kind, version: s.version, params: s.params, inputs: s.inputs, files: s.files });

test("voice-over and lipsync clips keep the keys a project without dialogue gives them; a native clip holds its lines and the voice sample", async () => {
  const plain = await graph(yaml({ scenes: scenes(() => "") }));
  const modes = await graph(yaml({ scenes: scenes((id) => (id === "the-call" ? "    dialogue: native\n" : "    dialogue: lipsync\n")) }));
  const lipsAsVoiceOver = await graph(yaml({ scenes: scenes(() => "    dialogue: voice-over\n") }));
  // The lipsync scene's clip is the voice-over clip: same request, same inputs.
  assert.equal(keyOf(modes.byId.get("scene/the-door/clip")!), keyOf(plain.byId.get("scene/the-door/clip")!));
  assert.equal(keyOf(lipsAsVoiceOver.byId.get("scene/the-call/clip")!), keyOf(plain.byId.get("scene/the-call/clip")!));
  for (const id of ["scene/the-door/voice/1", "scene/the-door/dialogue", "scene/the-door/keyframe"]) assert.equal(keyOf(modes.byId.get(id)!), keyOf(plain.byId.get(id)!), id);

  const native = modes.byId.get("scene/the-call/clip")!;
  const request = (native.params as { request: { dialogue?: { lines: { castId: string; text: string; name: string }[] } } }).request;
  assert.deepEqual(request.dialogue?.lines.map((l) => [l.castId, l.name, l.text]), [["grandpa", "Grandpa", "Wei?"], ["son", "Wei", "Dad, I'm sorry."]]);
  assert.deepEqual([...native.inputs].sort(), ["cast/grandpa/voice-sample", "cast/son/voice-sample", "scene/the-call/keyframe"]);
  assert.ok(!JSON.stringify(native.params).includes("voiceSample"), "a sample's path is no parameter");
  // No voice for a native line; its dialogue is the clip's sound, timed by the transcription.
  assert.ok(!modes.byId.has("scene/the-call/voice/1"));
  assert.deepEqual(modes.byId.get("scene/the-call/dialogue")!.inputs, ["scene/the-call/clip", "scene/the-call/transcribe"]);
  assert.deepEqual(modes.byId.get("scene/the-call/transcribe")!.inputs, ["scene/the-call/clip"]);
  // The lipsync scene's cut shows the lip-sync output, which reads its clip and its dialogue.
  assert.deepEqual(modes.byId.get("scene/the-door/lipsync")!.inputs, ["scene/the-door/clip", "scene/the-door/dialogue"]);
  assert.ok(modes.byId.get("scene/the-door/cut")!.inputs.includes("scene/the-door/lipsync"));
  assert.ok(!modes.byId.get("scene/the-door/cut")!.inputs.includes("scene/the-door/clip"));
  // Music ducks under every dialogue: the soundtrack mixes (and sidechains on) the dialogue step each cut plays, native ones too.
  const soundtrack = modes.byId.get("soundtrack")!;
  for (const scene of ["the-call", "the-door"]) {
    assert.ok(soundtrack.inputs.includes(`scene/${scene}/dialogue`), scene);
    assert.equal((modes.byId.get(`scene/${scene}/cut`)!.args as { dialogue: string }).dialogue, `scene/${scene}/dialogue`);
  }
  assert.equal(modes.byId.get("scene/the-call/dialogue")!.op, "native-dialogue");
  // No secret in any step's params or args.
  for (const s of modes.steps) assert.ok(!/SECRET/.test(JSON.stringify([s.params, s.args])), s.id);
});

test("a series has one voice-sample step per cast member, in every episode's cone; a voice.sample file is its reference", async () => {
  const episodes = `episodes:
  - id: one
    title: One
    scenes:
      - id: a
        dialogue: native
        lines:
          - grandpa: Good morning.
  - id: two
    title: Two
    scenes:
      - id: b
        dialogue: native
        lines:
          - grandpa: Goodbye.
          - son: Bye.
`;
  const g = await graph(yaml({ scenes: "" }) + episodes);
  const samples = g.steps.filter((s) => s.id.endsWith("/voice-sample")).map((s) => s.id);
  assert.deepEqual(samples.sort(), ["cast/grandpa/voice-sample", "cast/son/voice-sample"]);
  const [one, two] = g.layout.episodes;
  assert.ok(one!.cone.includes("cast/grandpa/voice-sample") && !one!.cone.includes("cast/son/voice-sample"));
  assert.ok(two!.cone.includes("cast/grandpa/voice-sample") && two!.cone.includes("cast/son/voice-sample"));
  const spoken = g.byId.get("cast/grandpa/voice-sample")!;
  assert.equal(spoken.op, "voice");
  assert.equal(spoken.kind, "speech");
  assert.ok(!JSON.stringify(spoken.params).includes("Good morning"), "the sample says no line of the drama");

  const own = await graph(yaml({ scenes: scenes(() => "    dialogue: native\n"), sample: true }), { files: { "refs/grandpa.wav": await voice(2) } });
  const ref = own.byId.get("cast/grandpa/voice-sample")!;
  assert.equal(ref.op, "reference");
  assert.deepEqual(ref.files, ["refs/grandpa.wav"]);
  assert.equal(own.byId.get("cast/son/voice-sample")!.op, "voice");
});

test("offline, native and lipsync scenes are voiced like voice-over, and the layout marks them", async () => {
  const g = await graph(yaml({ scenes: scenes((id) => (id === "the-call" ? "    dialogue: native\n" : "    dialogue: lipsync\n")) }), { offline: true });
  assert.ok(g.byId.has("scene/the-call/voice/1") && g.byId.has("scene/the-call/voice/2") && g.byId.has("scene/the-door/voice/1"));
  assert.ok(!g.steps.some((s) => /transcribe|lipsync|voice-sample/.test(s.id)), g.steps.map((s) => s.id).join(", "));
  const [call, door] = g.layout.episodes[0]!.scenes;
  assert.deepEqual([call!.shots[0]!.dialogue?.asked, call!.shots[0]!.dialogue?.voiced], ["native", "voice-over"]);
  assert.deepEqual([door!.shots[0]!.dialogue?.asked, door!.shots[0]!.dialogue?.voiced], ["lipsync", "voice-over"]);
  assert.match(dialogueMark(call!.shots[0]!.dialogue)!, /^native dialogue asked; voiced like voice-over: the video is offline/);
  assert.match(dialogueMark(door!.shots[0]!.dialogue)!, /^lipsync dialogue asked; voiced like voice-over/);
  const online = await graph(yaml({ scenes: scenes((id) => (id === "the-call" ? "    dialogue: native\n" : "")) }));
  assert.match(dialogueMark(online.layout.episodes[0]!.scenes[0]!.shots[0]!.dialogue)!, /^native dialogue: the video model speaks/);
  assert.equal(dialogueMark(online.layout.episodes[0]!.scenes[1]!.shots[0]!.dialogue), undefined, "plain voice-over is not marked");
});

test("nativeTimings: each line where it was said, inside the sound; lines said otherwise listed; no transcript, shared by words and never warned", () => {
  const lines = [{ text: "Wei? You are not coming home?" }, { text: "Dad, I'm sorry." }];
  const words = [
    { word: "Wei?", start: 0.4, end: 0.8 },
    { word: "You", start: 0.9, end: 1.0 },
    { word: "are", start: 1.0, end: 1.1 },
    { word: "not", start: 1.1, end: 1.3 },
    { word: "coming", start: 1.3, end: 1.6 },
    { word: "home?", start: 1.6, end: 2.0 },
    { word: "Dad,", start: 3.0, end: 3.3 },
    { word: "I'm", start: 3.3, end: 3.5 },
    { word: "so", start: 3.5, end: 3.6 },
    { word: "sorry.", start: 3.6, end: 4.1 },
  ];
  const t = nativeTimings(lines, words, 5);
  assert.deepEqual(t.timings, [
    { index: 0, start: 0.4, end: 2.0 },
    { index: 1, start: 3.0, end: 4.1 },
  ]);
  assert.deepEqual(t.differing, [{ index: 1, said: "Dad, I'm so sorry." }]);

  const blind = nativeTimings(lines, undefined, 5);
  assert.deepEqual(blind.differing, []);
  assert.equal(blind.timings[0]!.start, 0);
  assert.ok(Math.abs(blind.timings[1]!.end - 5) < 1e-9);
  // Six words and three: the sound is shared two to one.
  assert.ok(Math.abs(blind.timings[0]!.end - 5 * (6 / 9)) < 1e-9, JSON.stringify(blind.timings));
  for (const x of [...t.timings, ...blind.timings]) assert.ok(x.start >= 0 && x.end <= 5 && x.start <= x.end);
});

test("a multi-shot scene's shots are voiced like voice-over for now, each shot saying what was asked and why", async () => {
  const g = await graph(
    yaml({
      scenes: `scenes:
  - id: the-call
    dialogue: lipsync
    setting: a kitchen
    shots:
      - size: wide
        seconds: 5
        lines:
          - grandpa: Wei?
      - size: close-up
        dialogue: native
        seconds: 5
        lines:
          - son: Dad, I'm sorry.
`,
    }),
  );
  const place = g.layout.episodes[0]!.scenes[0]!;
  assert.equal(place.formatOne, false);
  assert.deepEqual(place.shots.map((s) => [s.dialogue?.asked, s.dialogue?.voiced]), [["lipsync", "voice-over"], ["native", "voice-over"]]);
  assert.match(place.shots[1]!.dialogue!.why!, /one-shot scenes/);
  assert.ok(!g.steps.some((s) => /lipsync|transcribe|voice-sample/.test(s.id)), g.steps.map((s) => s.id).join(", "));
  assert.ok(g.byId.has("scene/the-call/voice/1") && g.byId.has("scene/the-call/voice/2"));
});

test("lip sync and transcription are priced by the clip the model makes (snapped up to an allowed length), not the scene's seconds", async () => {
  const text = yaml({ scenes: scenes((id) => (id === "the-call" ? "    dialogue: native\n" : "    dialogue: lipsync\n")) })
    .replace("type: sync\n", "type: sync\n    models: { lipsync: lipsync-2 }\n    prices: { lipsync-2: { per_second: 0.05 } }\n")
    .replaceAll("seconds: 5", "seconds: 4.5");
  const g = await graph(text);
  // Seedance 2 makes whole seconds from 4 to 15: a 4.5 s scene is a 5 s clip.
  assert.ok(Math.abs(g.byId.get("scene/the-door/lipsync")!.estimate! - 0.05 * 5) < 1e-9, String(g.byId.get("scene/the-door/lipsync")!.estimate));
  assert.ok(Math.abs(g.byId.get("scene/the-call/transcribe")!.estimate! - (0.006 * 5) / 60) < 1e-12, String(g.byId.get("scene/the-call/transcribe")!.estimate));
});
