/**
 * The offline animatic end to end (issue 4), through the real CLI, real
 * ffmpeg and real files, on a tiny project (180x320, 12 fps, 1–2 s scenes).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFile, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { probe } from "../src/media/probe.js";
import { FIXTURES, copyFixture, editProject, events, runCli, stepsIn } from "./build-helpers.js";

const signal = AbortSignal.timeout(120_000);

const sceneSteps = (scene: string, ...names: string[]) => names.map((n) => `scene/${scene}/${n}`);
const sorted = (ids: string[]) => [...ids].sort();

test("a tiny project builds offline into a playable MP4, then every edit rebuilds exactly its cone", async (t) => {
  const dir = await copyFixture("builds/tiny");

  await t.test("first build runs every step and makes a probed H.264 + AAC file", async () => {
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const summary = events(r.stdout).find((e) => e.event === "summary") as { steps: { total: number; ran: number }; output: string };
    assert.equal(summary.steps.ran, summary.steps.total);
    assert.equal(summary.output, "build/tiny-test.mp4");

    const info = await probe(join(dir, "build/tiny-test.mp4"), signal);
    assert.ok(info.ok);
    const { video, audio } = info.value;
    assert.equal(video?.codec, "h264");
    assert.equal(video?.width, 180);
    assert.equal(video?.height, 320);
    assert.equal(video?.fps, 12);
    assert.equal(audio?.codec, "aac");
    assert.equal(audio?.sampleRate, 48000);
    // The soundtrack, mixed beside the cuts, lies level under the joined picture: same start, same end.
    assert.ok(Math.abs(video!.startTime) < 0.001 && Math.abs(audio!.startTime) < 0.001, `starts: video ${video!.startTime}, audio ${audio!.startTime}`);
    assert.ok(Math.abs((audio!.duration ?? 0) - (video!.duration ?? 0)) < 1 / 12, `audio ${audio!.duration} s, video ${video!.duration} s`);
    let scenes = 0;
    for (const id of ["hello", "think", "bye"]) {
      const cut = await probe(join(dir, `build/scenes/${id}/cut.mp4`), signal);
      assert.ok(cut.ok);
      scenes += cut.value.duration;
    }
    assert.ok(Math.abs(info.value.duration - scenes) <= 0.25, `final ${info.value.duration}s vs scenes ${scenes}s`);
    const srt = await readFile(join(dir, "build/tiny-test.srt"), "utf8");
    assert.match(srt, /Ann: Hi\./);
    assert.match(srt, /Ann: Bye\./);
    // The narrated beat is a caption with nobody's name, never a placeholder line.
    assert.match(srt, /\n\d\d:\d\d:\d\d,\d+ --> [^\n]+\nHe thinks about the meeting\./);
    assert.doesNotMatch(srt, /placeholder/);
  });

  await t.test("a second build runs nothing", async () => {
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), []);
    // Offline, the beat-only scene is narrated: one voice step, no lines step.
    assert.equal(stepsIn(r.stdout, "cached").length, 24);
  });

  await t.test("one line's text: that voice, the scene's dialogue, subtitles, cut, and final", async () => {
    await editProject(dir, "- bob: Hello.", "- bob: Hello there.");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    // The soundtrack is mixed from the dialogue, so it reruns too; the other cuts are untouched.
    assert.deepEqual(stepsIn(r.stdout, "ran"), sorted([...sceneSteps("hello", "voice/2", "dialogue", "subtitles", "cut"), "soundtrack", "final"]));
  });

  await t.test("a cast member's look: their portrait, and keyframe, clip and cut of each scene they are in", async () => {
    await editProject(dir, "young woman, red coat", "young woman, green coat");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      stepsIn(r.stdout, "ran"),
      sorted(["cast/ann/portrait", ...sceneSteps("hello", "keyframe", "clip", "cut"), ...sceneSteps("bye", "keyframe", "clip", "cut"), "final"]),
    );
  });

  await t.test("a scene's camera: its clip, cut and final", async () => {
    await editProject(dir, "camera: pan left", "camera: slow pull-out");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), sorted([...sceneSteps("bye", "clip", "cut"), "final"]));
  });

  await t.test("the global style: all portraits, keyframes, clips, cuts and final; never music or voices", async () => {
    await editProject(dir, "style: flat colours", "style: pastel watercolour");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const scenes = ["hello", "think", "bye"];
    assert.deepEqual(
      stepsIn(r.stdout, "ran"),
      sorted(["cast/ann/portrait", "cast/bob/portrait", ...scenes.flatMap((s) => sceneSteps(s, "keyframe", "clip", "cut")), "final"]),
    );
  });
});

test("two builds from empty caches give identical digests for every step output", async () => {
  const [a, b] = await Promise.all([copyFixture("builds/tiny"), copyFixture("builds/tiny")]);
  for (const dir of [a, b]) {
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
  }
  const lockA = await readFile(join(a, "drama.lock"), "utf8");
  const lockB = await readFile(join(b, "drama.lock"), "utf8");
  // The lockfile holds every step's key and output digests, so equal lockfiles mean equal bytes everywhere.
  assert.match(lockA, /"final"/);
  assert.equal(lockA, lockB);
});

test("graph prints every step and edge as Mermaid, and as DOT", async () => {
  const dir = await copyFixture("builds/tiny");
  const mermaid = await runCli(["graph", dir]);
  assert.equal(mermaid.code, 0, mermaid.stderr);
  assert.match(mermaid.stdout, /^flowchart LR\n/);
  // Offline, the beat-only scene is narrated: one voice, no lines step.
  assert.match(mermaid.stdout, /\["scene\/think\/voice\/1"\]/);
  assert.doesNotMatch(mermaid.stdout, /scene\/think\/lines/);
  const edges = (mermaid.stdout.match(/ --> /g) ?? []).length;
  const dot = await runCli(["graph", dir, "--format", "dot"]);
  assert.equal(dot.code, 0, dot.stderr);
  assert.match(dot.stdout, /"scene\/think\/voice\/1" -> "scene\/think\/dialogue";/);
  assert.equal((dot.stdout.match(/ -> /g) ?? []).length, edges);
  // 24 steps: every one is a node in both renderings.
  assert.equal((mermaid.stdout.match(/^\s+s\d+\["/gm) ?? []).length, 24);
  assert.match(dot.stdout, /"scene\/think\/dialogue" -> "soundtrack";/);
  const bad = await runCli(["graph", dir, "--format", "svg"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /mermaid or dot/);
});

test("the no-op fast path notices a changed environment variable the project reads", async () => {
  // Only fields marked to take ${VAR} read the environment (a title does not): here a reference path.
  const dir = await copyFixture("builds/tiny");
  await mkdir(join(dir, "refs"));
  await copyFile(join(FIXTURES, "projects/with-files/refs/grandpa.png"), join(dir, "refs/a.png"));
  const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  execFileSync(ffmpeg, ["-v", "error", "-f", "lavfi", "-i", "color=c=red:s=16x16", "-frames:v", "1", join(dir, "refs/b.png")]);
  await editProject(dir, "look: old man, grey hat", 'look: old man, grey hat\n    reference: "${TINY_REF:-refs/a.png}"');
  const first = await runCli(["build", dir, "--json"], { env: { TINY_REF: "" } });
  assert.equal(first.code, 0, first.stderr);
  const again = await runCli(["build", dir, "--json"], { env: { TINY_REF: "" } });
  assert.deepEqual(stepsIn(again.stdout, "ran"), []);
  // Another picture: the fast path must not answer "up to date".
  const moved = await runCli(["build", dir, "--json"], { env: { TINY_REF: "refs/b.png" } });
  assert.equal(moved.code, 0, moved.stderr);
  assert.ok(stepsIn(moved.stdout, "ran").includes("cast/bob/portrait"), moved.stdout);
  const movedLock = await readFile(join(dir, "drama.lock"), "utf8");

  // A `.env` written after the last build is read too (unset in the environment, which would win over it).
  const unset = { env: { TINY_REF: undefined } };
  assert.equal((await runCli(["build", dir], unset)).code, 0);
  assert.equal((await runCli(["build", dir], unset)).code, 0);
  assert.notEqual(await readFile(join(dir, "drama.lock"), "utf8"), movedLock);
  await writeFile(join(dir, ".env"), "TINY_REF=refs/b.png\n");
  const old = new Date(Date.now() - 60_000);
  await utimes(join(dir, ".env"), old, old);
  const viaDotEnv = await runCli(["build", dir], unset);
  assert.equal(viaDotEnv.code, 0, viaDotEnv.stderr);
  assert.equal(await readFile(join(dir, "drama.lock"), "utf8"), movedLock, "the fast path must not answer 'up to date' over a new .env");
});
