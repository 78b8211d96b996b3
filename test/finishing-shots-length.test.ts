/**
 * Issue 32 with issue 27: the platform length check before a build counts a
 * multi-shot scene as long as its shots (planned from the file), not its
 * `seconds` (default 6), so a too-long episode is refused before anything
 * is encoded even when its scenes do not say `seconds:`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadBuildGraph } from "../src/graph/load.js";

const project = (maxSeconds: number) => `dramake: 1
title: Long Shots
language: en
theme: A yard.
format: { aspect: "9:16", size: 144x256, fps: 12 }
deliver: [{ name: small, size: 90x160, fps: 6, max_seconds: ${maxSeconds} }]
scenes:
  - id: yard
    setting: a yard in snow
    shots:
      - { size: wide, seconds: 4, action: Snow falls. }
      - { size: insert, seconds: 4, action: A letter on the step. }
`;

async function load(maxSeconds: number) {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shots-length-"));
  await writeFile(join(dir, "drama.yaml"), project(maxSeconds));
  return loadBuildGraph(dir, { offline: true });
}

test("a multi-shot scene's shots count against a platform's max_seconds, not the scene's default seconds", async () => {
  // 8 s of shots: over a 7 s platform (the scene's default 6 s would have passed), within a 9 s one.
  const over = await load(7);
  assert.equal(over.ok, false);
  if (!over.ok) assert.match(over.error.message, /drama\.yaml:\d+:\d+.*(longer|too long|at most)/s);
  const within = await load(9);
  assert.equal(within.ok, true, within.ok ? "" : within.error.message);
});
