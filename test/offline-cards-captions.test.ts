/**
 * The offline keyframe card lays its text around the project's own subtitles
 * (issue 32): the keyframe request carries their placement only when the
 * project moves them from the default and only for the offline provider, so
 * every other project's keyframes keep their keys (the example's cards stay
 * byte-identical) and moving the subtitles never pays for a generated
 * picture again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadBuildGraph } from "../src/graph/load.js";
import { copyFixture, editProject } from "./build-helpers.js";

async function keyframe(extra: string, offline = true) {
  const dir = await copyFixture("builds/tiny");
  if (extra) await editProject(dir, "music: { mood: calm }", `music: { mood: calm }\n${extra}`);
  const g = await loadBuildGraph(dir, { offline, keysOptional: true });
  assert.ok(g.ok, g.ok ? "" : g.error.message);
  const step = g.value.steps.find((s) => s.id === "scene/hello/keyframe")!;
  return step.params as { request: Record<string, unknown> };
}

test("the default subtitles: no captions in the request (keys as before)", async () => {
  assert.equal((await keyframe("")).request.captions, undefined);
  // A setting that only restates the default changes nothing either.
  assert.equal((await keyframe("subtitles: { position: safe }\n")).request.captions, undefined);
});

test("subtitles on top: the offline keyframe's request says where they are", async () => {
  const p = await keyframe("subtitles: { position: top, style: { size: 5 } }\n");
  const captions = p.request.captions as { position: string; style: { size: number } };
  assert.equal(captions.position, "top");
  assert.equal(captions.style.size, 5);
});

test("a generated picture's key never holds them: an OpenAI image provider's keyframe is the same with or without", async () => {
  const cloud = "providers:\n  cloud: { type: openai, base_url: http://127.0.0.1:9/v1, models: { image: gpt-image-1 } }\nuse: { image: cloud }\n";
  const plain = await keyframe(cloud, false);
  const top = await keyframe(`${cloud}subtitles: { position: top }\n`, false);
  assert.equal(top.request.captions, undefined);
  assert.deepEqual(top, plain);
});

test("reading settings and burn leave the cards alone (their pictures, and all made from them, stay)", async () => {
  assert.equal((await keyframe("subtitles: { cps: 9, max_chars: 20, max_lines: 3, burn: false }\n")).request.captions, undefined);
  const top = await keyframe("subtitles: { position: top }\n");
  assert.deepEqual(await keyframe("subtitles: { position: top, burn: false, max_lines: 3 }\n"), top);
});
