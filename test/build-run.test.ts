/**
 * Issue 10, defect 7: when the summary event goes out, every output of the
 * build is in place, the storyboard page included (a script that reads the
 * summary may open any of them at once). Checked at the moment the event is
 * delivered, so the test does not depend on how fast a reader is.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBuild } from "../src/cli/build-run.js";
import { loadBuildGraph } from "../src/graph/load.js";

/** One scene, one line, one second: the smallest project that writes every kind of output. */
const PROJECT = `dramake: 1
title: One Shot
language: en
theme: A test.
format: { aspect: "9:16", size: 72x128, fps: 12 }
cast:
  ann: { name: Ann, look: red coat }
scenes:
  - id: hi
    setting: a street
    cast: [ann]
    action: She waves.
    seconds: 1
    lines:
      - ann: Hi.
music: { mood: calm, seconds: 1 }
`;

test("the summary is delivered after build/storyboard.html, the video and drama.lock are written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "dramake-build-run-"));
  writeFileSync(join(dir, "drama.yaml"), PROJECT);
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok, graph.ok ? "" : graph.error.message);
  const outputs = ["build/storyboard.html", "build/one-shot.mp4", "build/one-shot.srt", "drama.lock"];
  let atSummary: Record<string, boolean> | undefined;
  const { result, storyboard } = await runBuild(graph.value, {
    onEvent: (e) => {
      if (e.type === "summary") atSummary = Object.fromEntries(outputs.map((f) => [f, existsSync(join(dir, f))]));
    },
  });
  assert.ok(result.ok && result.value.summary.failed === 0);
  assert.equal(storyboard, join(dir, "build/storyboard.html"));
  assert.deepEqual(atSummary, Object.fromEntries(outputs.map((f) => [f, true])));
});
