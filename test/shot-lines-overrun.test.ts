/**
 * Issue 27, brief T: the storyboard's overrun warning for a multi-shot scene
 * compares its built cut with its shots' planned length (joined, the
 * transitions overlapping them), never with the scene's `seconds` (default
 * 6) or the shots' plain sum. The project's real layout (loaded, not built);
 * the build's step states and measured cut length are given.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBuildGraph } from "../src/graph/load.js";
import { shotsTiming } from "../src/graph/plan/timing.js";
import { overrunWarnings } from "../src/report/overruns.js";
import { storyboardModel, type StepRecord } from "../src/report/storyboard/from-build.js";

const project = `dramake: 1
title: Shot Lines
language: en
theme: A phone call.
format: { aspect: "9:16", size: 144x256, fps: 24 }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
  son: { name: Wei, look: tired man, voice: { offline: en+m1 } }
scenes:
  - id: the-call
    setting: a kitchen at night
    cast: [grandpa, son]
    shots:
      - size: wide
        action: The lamp flickers.
        seconds: 3
      - size: close-up
        on: [grandpa]
        seconds: 3
        lines:
          - grandpa: Wei? You are not coming home?
      - size: medium
        on: [son]
        transition: dissolve
        seconds: 3
        lines:
          - son: Sorry, Dad. Work.
`;

async function loaded() {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shot-overrun-"));
  await writeFile(join(dir, "drama.yaml"), project);
  const graph = await loadBuildGraph(dir, { offline: true });
  assert.ok(graph.ok);
  const drama = graph.value.layout!;
  const steps = new Map<string, StepRecord>(graph.value.steps.map((s) => [s.id, { state: "cached", cost: 0 }]));
  const place = drama.episodes[0]!.scenes[0]!;
  assert.equal(place.formatOne, false);
  const joined = shotsTiming(place.shots, 24).seconds;
  // The dissolve overlaps the shots: joined is shorter than their 9 s, and longer than the scene's default 6 s.
  assert.ok(joined < 9 - 0.2 && joined > 6.5, `joined ${joined} s`);
  const warnings = async (measured: number) => {
    const model = storyboardModel({ drama, steps, durations: new Map([[place.stepPrefix, measured]]) });
    return { scene: model.scenes[0]!, warnings: await overrunWarnings(model, { file: join(dir, "drama.yaml"), series: false, episodes: [] }, undefined, dir) };
  };
  return { joined, warnings };
}

test("a multi-shot scene built as long as its shots joined is as planned: no warning, no 'planned' remark", async () => {
  const { joined, warnings } = await loaded();
  const built = Math.round(joined * 10) / 10;
  const { scene, warnings: said } = await warnings(built);
  assert.deepEqual(said, []);
  assert.equal(scene.plannedSeconds, undefined, `planned ${scene.plannedSeconds} s, built ${built} s`);
});

test("a multi-shot scene whose last line runs on past its shots is warned against the shots' length, at the scene, with a shot's advice", async () => {
  const { joined, warnings } = await loaded();
  // Past the joined shots, still short of their plain 9 s sum.
  const built = Math.round((joined + 0.4) * 10) / 10;
  const { scene, warnings: said } = await warnings(built);
  assert.equal(scene.plannedSeconds, Math.round(joined * 10) / 10);
  assert.equal(said.length, 1, said.join("\n"));
  assert.match(said[0]!, /^drama\.yaml:10:5: warning: scene the-call runs [\d.]+ s, past its shots' [\d.]+ s: its lines run on past its last shot \(shorten them, or raise a shot's seconds\)$/);
  assert.ok(said[0]!.includes(`runs ${built} s, past its shots' ${Math.round(joined * 10) / 10} s`), said[0]);
});
