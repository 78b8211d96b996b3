/**
 * The storyboard every build writes: the model from a project and a build's
 * step states (pure), and build/storyboard.html from the real CLI on the tiny
 * project, including a real failure (a reference "picture" that is not an image).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadBuildGraph } from "../src/graph/load.js";
import { probe } from "../src/media/probe.js";
import { OUTLINE_MARK, storyboardModel, type StepRecord } from "../src/report/storyboard/from-build.js";
import { copyFixture, editProject, runCli } from "./build-helpers.js";

/** The tiny project's layout, as the graph lays it out offline. */
async function tinyProject() {
  const dir = await copyFixture("builds/tiny");
  const loaded = await loadBuildGraph(dir, { offline: true });
  assert.ok(loaded.ok);
  return loaded.value.layout!;
}

test("scene state: failed (with the first failed step of its cone) > running > waiting > built > cached", async () => {
  const drama = await tinyProject();
  const r = (state: StepRecord["state"], cost = 0, message?: string): StepRecord => ({ state, cost, ...(message ? { message } : {}) });
  const steps = new Map<string, StepRecord>([
    // hello: a portrait of one of its cast failed, so its keyframe never ran.
    ["cast/ann/portrait", r("failed", 0, "no picture")],
    ["cast/bob/portrait", r("cached", 0.04)],
    ["scene/hello/keyframe", r("skipped", 0, "blocked by cast/ann/portrait")],
    ["scene/hello/voice/1", r("ran", 0.01)],
    // think: all cached but one still running.
    ["scene/think/keyframe", r("cached", 0.04)],
    ["scene/think/clip", r("running")],
    // bye's portrait is ann's: failed too. Nothing of "final".
  ]);
  const model = storyboardModel({ drama, steps, failedOrder: ["cast/ann/portrait"] });
  assert.deepEqual(
    model.scenes.map((s) => [s.id, s.state, s.failure?.step]),
    [
      ["hello", "failed", "cast/ann/portrait"],
      ["think", "running", undefined],
      ["bye", "failed", "cast/ann/portrait"],
    ],
  );
  assert.equal(model.scenes[0]!.failure!.reason, "no picture");
  // Only the scene's own steps count towards its cost; a shared portrait is nobody's.
  assert.equal(model.scenes[0]!.cost, 0.01);
  assert.equal(model.scenes[1]!.keyframe, "scenes/think/keyframe.png");
  assert.equal(model.scenes[1]!.clip, undefined, "a clip still rendering is not linked");
  assert.equal(model.final, undefined);

  const all = new Map<string, StepRecord>([
    ["scene/think/keyframe", r("cached")],
    ["scene/think/clip", r("cached")],
    ["cast/bob/portrait", r("cached")],
    ["scene/bye/keyframe", r("ran")],
    ["cast/ann/portrait", r("cached")],
  ]);
  const later = storyboardModel({ drama, steps: all }).scenes;
  // hello has no steps in this build at all: waiting, not cached.
  assert.deepEqual(later.map((s) => s.state), ["waiting", "cached", "built"]);
  // An offline clip is a move the cut renders: no clip.mp4 to play; the keyframe stands for it.
  assert.equal(later[1]!.clip, undefined);
  assert.equal(later[1]!.keyframe, "scenes/think/keyframe.png");
  // A video backend's clip (a file the graph places) is played until the cut exists, then the cut.
  const place = { step: "scene/think/clip", file: "scenes/think/clip.mp4" };
  const videoClips = { ...drama, episodes: drama.episodes.map((e) => ({ ...e, scenes: e.scenes.map((s) => ({ ...s, clip: { ...place, step: `${s.stepPrefix}/clip`, file: place.file.replace("think", s.scene.id) } })) })) };
  assert.equal(storyboardModel({ drama: videoClips, steps: all }).scenes[1]!.clip, "scenes/think/clip.mp4");
  all.set("scene/think/cut", r("ran"));
  assert.equal(storyboardModel({ drama, steps: all }).scenes[1]!.clip, "scenes/think/cut.mp4");
  assert.equal(storyboardModel({ drama: videoClips, steps: all }).scenes[1]!.clip, "scenes/think/cut.mp4");
});

test("offline, a beat-only scene is narrated: no lines of anyone's, the card marked as an outline", async () => {
  const drama = await tinyProject();
  const model = storyboardModel({ drama, steps: new Map() });
  assert.deepEqual(model.scenes[0]!.lines, [
    { speaker: "Ann", text: "Hi." },
    { speaker: "Bob", text: "Hello." },
  ]);
  assert.equal(model.scenes[0]!.outline, undefined);
  assert.deepEqual(model.scenes[1]!.lines, []);
  assert.equal(model.scenes[1]!.outline, OUTLINE_MARK);
});

test("with a text provider, a beat-only scene shows the generated lines (placeholders until written; stand-ins as placeholders)", async () => {
  // The cloud fixture's graph, laid out without calling anything: its scene `think` is beat-only, spoken by Bob.
  const dir = await copyFixture("projects/cloud");
  Object.assign(process.env, { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", OPENAI_API_KEY: "sk-unused" });
  const loaded = await loadBuildGraph(dir, {});
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.message);
  const drama = loaded.value.layout!;
  const none = storyboardModel({ drama, steps: new Map() });
  assert.equal(none.scenes[0]!.outline, undefined);
  // Not written yet: as many placeholder lines as the graph asks for (2 for one speaker).
  assert.deepEqual(
    none.scenes[0]!.lines.map((l) => [l.speaker, l.placeholder]),
    [
      ["Bob", true],
      ["Bob", true],
    ],
  );
  const written = { lines: [{ speaker: "bob", text: "Where did she go?" }], standIn: false };
  const generated = new Map([["scene/think", written]]);
  assert.deepEqual(storyboardModel({ drama, steps: new Map(), generated }).scenes[0]!.lines, [{ speaker: "Bob", text: "Where did she go?" }]);
  // Lines from a provider without a writer are placeholders whatever they say.
  const standIn = new Map([["scene/think", { ...written, standIn: true }]]);
  assert.deepEqual(storyboardModel({ drama, steps: new Map(), generated: standIn }).scenes[0]!.lines, [{ speaker: "Bob", text: "Where did she go?", placeholder: true }]);
});

test("every build writes build/storyboard.html: cards, the narrated scene's outline mark, a failure's reason; the no-op path rewrites it only when missing", async () => {
  const dir = await copyFixture("builds/tiny");
  const page = join(dir, "build/storyboard.html");
  const first = await runCli(["build", dir, "--json"]);
  assert.equal(first.code, 0, first.stderr);
  const html = await readFile(page, "utf8");
  assert.equal((html.match(/<article class="card /g) ?? []).length, 3);
  assert.match(html, /<video[^>]+src="tiny-test.mp4"/);
  assert.match(html, /id="scene-think"[^]*?<p class="outline">outline — write the lines or use a text provider<\/p>/);
  assert.doesNotMatch(html, /\[placeholder/);
  assert.equal((html.match(/data-state="built"/g) ?? []).length, 3);
  // Lengths as built: a cut runs past the scene's seconds while its dialogue does, and the header adds up to the final video.
  const final = await probe(join(dir, "build/tiny-test.mp4"), AbortSignal.timeout(10_000));
  assert.ok(final.ok);
  const whole = Math.floor(Math.round(final.value.duration * 10) / 10);
  assert.match(html, new RegExp(`Storyboard · 3 scenes · ${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}<`));
  const think = await probe(join(dir, "build/scenes/think/cut.mp4"), AbortSignal.timeout(10_000));
  assert.ok(think.ok);
  // Its 1 s cannot hold the beat read out: the card says how long it runs and what was planned.
  assert.match(html, new RegExp(`id="scene-think"[^]*?<p class="facts">${Math.round(think.value.duration * 10) / 10} s <span class="planned">\\(planned 1 s\\)</span> ·`));

  // A no-op build leaves the page alone (same inode: not rewritten); after it is deleted, the next no-op writes it back.
  // (One build first: another process rebuilding dist/ in this checkout would send the next one down the full path.)
  assert.equal((await runCli(["build", dir])).code, 0);
  const before = await stat(page);
  assert.equal((await runCli(["build", dir])).code, 0);
  assert.equal((await stat(page)).ino, before.ino);
  await rm(page);
  assert.equal((await runCli(["build", dir])).code, 0);
  const again = await readFile(page, "utf8");
  assert.equal((again.match(/data-state="cached"/g) ?? []).length, 3, "rewritten from the full path: every scene cached");

  // An honest failure: Ann's reference picture is not an image, so her portrait fails, naming the file.
  await mkdir(join(dir, "refs"));
  await writeFile(join(dir, "refs/ann.png"), "not an image\n");
  await editProject(dir, "look: young woman, red coat", "look: young woman, red coat\n    reference: refs/ann.png");
  const failed = await runCli(["build", dir, "--keep-going"]);
  assert.equal(failed.code, 1);
  const broken = await readFile(page, "utf8");
  assert.match(broken, /<article class="card failed" id="scene-hello"[^]*?<p class="failure" role="alert"><code>cast\/ann\/portrait<\/code>[^<]*refs\/ann\.png is not a picture/);
  assert.match(broken, /<article class="card cached" id="scene-think"/);
  assert.doesNotMatch(broken, /<video[^>]+src="tiny-test.mp4"/, "no final cut linked when final did not build");
});
