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
import type { EngineEvent } from "../src/engine/index.js";
import { processRunner, setCommandRunner } from "../src/media/run.js";
import { copyFixture } from "./build-helpers.js";
// @ts-expect-error plain JS fixture shared with child processes
import { fakeRunner } from "./fixtures/runner/fake-runner.mjs";

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

test("an ffmpeg that fails in one cut (the fake runner, no real crash needed) fails that scene only, as data with its stderr; the next build runs only that cut and the final", async () => {
  const dir = await copyFixture("builds/tiny");
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok, graph.ok ? "" : graph.error.message);
  const events: EngineEvent[] = [];
  // The first cut's encode ends like an ffmpeg on a full disk; every other command runs for real.
  const runner = fakeRunner(processRunner, [{ match: /\/\.tmp-cut\.mp4-\d+-[0-9a-f]+\.mp4( |$)/, action: "fail", times: 1, stderr: "Error writing trailer: No space left on device" }]);
  const previous = setCommandRunner(runner);
  let first;
  try {
    first = await runBuild(graph.value, { keepGoing: true, onEvent: (e) => events.push(e) });
  } finally {
    setCommandRunner(previous);
  }
  assert.equal(runner.seen.filter((c: { action: string }) => c.action === "fail").length, 1, "one cut was failed");
  assert.ok(first.result.ok && first.result.value.summary.failed === 1);
  const failed = events.filter((e) => e.type === "failed");
  assert.equal(failed.length, 1);
  const cut = failed[0]!.type === "failed" ? failed[0]! : assert.fail();
  assert.match(cut.id, /^scene\/[a-z]+\/cut$/);
  assert.match(cut.message, /ffmpeg failed \(exit 1\)[^]*No space left on device/);
  const ran = events.filter((e) => e.type === "finished").map((e) => (e as { id: string }).id);
  assert.equal(ran.filter((id) => id.endsWith("/cut")).length, 2, "the other scenes' cuts were made");
  assert.ok(events.some((e) => e.type === "skipped" && e.id === "final"), "the final waits for every cut");

  const again: EngineEvent[] = [];
  const second = await runBuild(graph.value, { onEvent: (e) => again.push(e) });
  assert.ok(second.result.ok && second.result.value.summary.failed === 0);
  assert.deepEqual(again.filter((e) => e.type === "started").map((e) => (e as { id: string }).id).sort(), [cut.id, "final"].sort());
  assert.ok(existsSync(join(dir, "build/tiny-test.mp4")));
});
