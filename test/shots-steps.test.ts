/**
 * Issue 27: a scene with shots gets `scene/<id>/shot/<shot>/keyframe|clip|cut`
 * (a series prefixes them with its episode); voices, dialogue and subtitles
 * stay per scene; each later shot's keyframe reads the first one's; the
 * scene's cut joins its shots' cuts. Takes are chosen per shot.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectSteps } from "./keys-helpers.js";
import { loadProject } from "../src/project/load.js";
import { takePlace, takeableSteps, unknownTakes } from "../src/graph/takes.js";

const SHOTS = `dramake: 1
title: Shots
language: en
theme: A call.
format: { aspect: "9:16", size: 144x256, fps: 24 }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
  son: { name: Wei, look: tired man, voice: { offline: en+m1 } }
scenes:
  - id: the-call
    setting: a kitchen
    cast: [grandpa, son]
    take: { shot/2/clip: 3 }
    shots:
      - size: wide
        action: The phone rings.
        seconds: 2
      - size: close-up
        on: [grandpa]
        transition: dissolve
        lines:
          - grandpa: Wei? You are not coming home?
      - id: reply
        size: medium
        on: [son]
        take: { keyframe: 2 }
        lines:
          - son: Sorry, Dad. Work.
  - id: after
    setting: the kitchen, later
    cast: [grandpa]
    seconds: 3
    lines:
      - grandpa: Then I will come to you.
`;

async function project(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shots-"));
  await writeFile(join(dir, "drama.yaml"), text);
  return dir;
}

test("a scene with shots: per-shot keyframe, clip and cut; voices, dialogue and subtitles per scene; a scene without stays format 1", async () => {
  const steps = await projectSteps(await project(SHOTS));
  const ids = steps.map((s) => s.id).filter((id) => id.startsWith("scene/"));
  const scene = ids.filter((id) => id.startsWith("scene/the-call/")).sort();
  assert.deepEqual(scene, [
    "scene/the-call/cut",
    "scene/the-call/dialogue",
    "scene/the-call/shot/1/clip",
    "scene/the-call/shot/1/cut",
    "scene/the-call/shot/1/keyframe",
    "scene/the-call/shot/2/clip",
    "scene/the-call/shot/2/cut",
    "scene/the-call/shot/2/keyframe",
    "scene/the-call/shot/reply/clip",
    "scene/the-call/shot/reply/cut",
    "scene/the-call/shot/reply/keyframe",
    "scene/the-call/subtitles",
    "scene/the-call/voice/1",
    "scene/the-call/voice/2",
  ]);
  assert.deepEqual(ids.filter((id) => id.startsWith("scene/after/")).sort(), [
    "scene/after/clip",
    "scene/after/cut",
    "scene/after/dialogue",
    "scene/after/keyframe",
    "scene/after/subtitles",
    "scene/after/voice/1",
  ]);
  const byId = new Map(steps.map((s) => [s.id, s]));
  // The first shot draws the whole cast; a close-up only who is on screen, plus the first shot's keyframe (same place, same light).
  assert.deepEqual(byId.get("scene/the-call/shot/1/keyframe")!.inputs, ["cast/grandpa/portrait", "cast/son/portrait"]);
  assert.deepEqual(byId.get("scene/the-call/shot/2/keyframe")!.inputs, ["cast/grandpa/portrait", "scene/the-call/shot/1/keyframe"]);
  assert.deepEqual(byId.get("scene/the-call/shot/reply/keyframe")!.inputs, ["cast/son/portrait", "scene/the-call/shot/1/keyframe"]);
  assert.deepEqual(byId.get("scene/the-call/shot/2/clip")!.inputs, ["scene/the-call/shot/2/keyframe"]);
  assert.deepEqual(byId.get("scene/the-call/shot/2/cut")!.inputs, ["scene/the-call/shot/2/clip"]);
  const cut = byId.get("scene/the-call/cut")!;
  assert.equal(cut.op, "shots-cut");
  assert.deepEqual(cut.inputs, ["scene/the-call/shot/1/cut", "scene/the-call/shot/2/cut", "scene/the-call/shot/reply/cut", "scene/the-call/dialogue", "scene/the-call/subtitles"]);
  assert.deepEqual(
    (cut.params as { shots: unknown }).shots,
    [
      { seconds: 2, transition: "cut" },
      { seconds: (byId.get("scene/the-call/shot/2/clip")!.params as { request: { seconds: number } }).request.seconds, transition: "dissolve" },
      { seconds: (byId.get("scene/the-call/shot/reply/clip")!.params as { request: { seconds: number } }).request.seconds, transition: "cut" },
    ],
  );
  // Takes per shot: at scene level (shot/2/clip) and under the shot (reply's keyframe); the rest take 1.
  assert.equal(byId.get("scene/the-call/shot/2/clip")!.take, 3);
  assert.equal(byId.get("scene/the-call/shot/reply/keyframe")!.take, 2);
  assert.equal(byId.get("scene/the-call/shot/1/clip")!.take, 1);
  // The soundtrack lays each scene's dialogue to its cut: the shots joined (2 + 3 + 2 - a 0.5 s dissolve), and the format-1 scene's seconds.
  const soundtrack = byId.get("soundtrack")!;
  assert.deepEqual((soundtrack.params as { seconds: number[] }).seconds, [6.5, 3]);
});

test("a series prefixes shot steps with the episode", async () => {
  const [head, scenes] = SHOTS.split("scenes:\n");
  const series = `${head}episodes:\n  - id: ep1\n    title: One\n    scenes:\n${scenes!.replace(/^(?=.)/gm, "    ")}`;
  const steps = await projectSteps(await project(series));
  const ids = steps.map((s) => s.id);
  assert.ok(ids.includes("episode/ep1/scene/the-call/shot/reply/clip"), ids.join(" "));
  assert.ok(ids.includes("episode/ep1/scene/the-call/voice/2"));
  assert.ok(!ids.some((id) => id.startsWith("scene/")));
});

test("a shot's take is written at its scene (retake and the storyboard choose it there)", async () => {
  const dir = await project(SHOTS);
  const loaded = await loadProject(dir, { env: {} });
  assert.ok(loaded.ok);
  const place = takePlace(loaded.value, "scene/the-call/shot/reply/clip");
  assert.deepEqual(place?.path, ["scenes", 0, "take", "shot/reply/clip"]);
  const steps = await projectSteps(dir);
  const takeable = takeableSteps(loaded.value, steps);
  for (const id of ["scene/the-call/shot/2/keyframe", "scene/the-call/shot/reply/clip", "scene/the-call/voice/2"]) assert.ok(takeable.includes(id), id);
  assert.deepEqual(unknownTakes(loaded.value, steps), []);
});
