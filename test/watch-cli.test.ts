/**
 * `dramake watch` end to end: the real CLI process, real files, real chokidar
 * events, the tiny project (180x320, 3 scenes). Waits are bounded and on
 * events; the only timed wait is the one that proves no further build follows
 * a burst of saves.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { copyFixture, editProject, events, runCli } from "./build-helpers.js";
import { FAKE_RUNNER, WatchProcess, startedIds, stepIds, type Event } from "./watch-helpers.js";

const DEBOUNCE_MS = 150;
const MIN_GAP_MS = 1000;
const sorted = (ids: string[]) => [...ids].sort();
const lineCone = (scene: string, voice: number) => sorted([`scene/${scene}/voice/${voice}`, ...["dialogue", "subtitles", "cut"].map((n) => `scene/${scene}/${n}`), "soundtrack", "final"]);
const isSummary = (e: Event) => e.event === "summary";

/** Save like vim or VS Code: write a temp file beside it, then rename it over drama.yaml. One save, any number of edits. */
async function saveByRename(dir: string, ...edits: [from: string, to: string][]): Promise<void> {
  const file = join(dir, "drama.yaml");
  let text = await readFile(file, "utf8");
  for (const [from, to] of edits) {
    assert.equal(text.split(from).length, 2, `'${from}' once in drama.yaml`);
    text = text.replace(from, to);
  }
  await writeFile(`${file}.tmp~`, text);
  await rename(`${file}.tmp~`, file);
}

test("watch: builds, rebuilds exactly the cone of a saved line, ignores its own outputs, coalesces bursts, survives an invalid save, remembers failures", async (t) => {
  const dir = await copyFixture("builds/tiny");
  // --keep-going: both of Ann's keyframes fail in the same build whichever fails first.
  const w = new WatchProcess([dir, "--keep-going"]);
  t.after(() => w.stop());

  await t.test("the first build runs every step, then waits", async () => {
    const from = 0;
    const summary = await w.next(isSummary, from, 120_000, "first summary");
    await w.watchEvent("idle", from);
    const s = summary.e as unknown as { steps: { total: number; ran: number } };
    assert.equal(s.steps.ran, s.steps.total);
    assert.ok((await stat(join(dir, "build/storyboard.html"))).isFile());
  });

  await t.test("writes to build/, .dramake/ and drama.lock start nothing; a saved line rebuilds exactly its cone", async () => {
    const from = w.mark;
    await writeFile(join(dir, "build/notes.txt"), "mine\n");
    await writeFile(join(dir, ".dramake/notes.txt"), "mine\n");
    const lock = join(dir, "drama.lock");
    await writeFile(lock, await readFile(lock));
    const savedWall = Date.now();
    const savedAt = performance.now();
    await editProject(dir, "- bob: Hello.", "- bob: Hello there.");
    const building = await w.watchEvent("building", from);
    // Only the project file is named: the writes to dramake's own outputs above did not count.
    assert.deepEqual(building.e.changed, ["drama.yaml"]);
    const firstStep = await w.next((e) => e.event === "started", from);
    const summary = await w.next(isSummary, from);
    const events = w.slice(from, w.events.indexOf(summary) + 1);
    assert.deepEqual(stepIds(events, "ran"), lineCone("hello", 2));
    assert.equal(w.slice(from).filter((e) => e.event === "watch" && e.state === "building").length, 1);
    const toBuild = (building.e.at as number) - savedWall;
    const toStep = Math.round(firstStep.at - savedAt);
    t.diagnostic(`save -> build start: ${toBuild} ms (debounce ${DEBOUNCE_MS} ms, ${building.e.sinceChangeMs} ms after the watcher saw it); save -> first step started: ${toStep} ms`);
    assert.ok(toBuild < 10_000, `${toBuild} ms`);
  });

  await t.test("ten saves in a row start at most two builds, and the last text wins", async () => {
    await w.watchEvent("idle", w.mark - 1);
    const from = w.mark;
    let text = "Hello there.";
    const burstStart = performance.now();
    // Back to back, as fast as the files are written: the timing rule itself (uneven pauses, a build started
    // inside the burst, the gap between builds) is tested on a controlled clock in watch-engine.test.ts.
    for (let i = 1; i <= 10; i++) {
      const next = `Hello ${i}.`;
      await editProject(dir, `- bob: ${text}`, `- bob: ${next}`);
      text = next;
    }
    const burstMs = performance.now() - burstStart;
    // The one timed wait: past the quiet time after the last save (at most the least gap between builds), any build it causes has begun.
    await new Promise((r) => setTimeout(r, MIN_GAP_MS + 300));
    // Settled: idle with the last text built (a loaded machine may deliver the last save's event late).
    const srt = join(dir, "build/tiny-test.srt");
    const latest = w.events.filter((s, i) => i >= from && s.e.event === "watch").at(-1);
    let final = latest?.e.state === "idle" ? latest : await w.watchEvent("idle", w.mark, 60_000);
    while (!/Bob: Hello 10\./.test(await readFile(srt, "utf8"))) final = await w.watchEvent("idle", w.events.indexOf(final) + 1, 60_000);
    const builds = w.slice(from, w.events.indexOf(final)).filter((e) => e.event === "watch" && e.state === "building");
    // Build starts are at least MIN_GAP_MS apart and lie between the burst's first save and one gap plus the
    // debounce after its last: a burst of under 850 ms allows two. Bound by the burst as it really ran, so a
    // loaded machine that stretches it is not a failure, and ten builds (no coalescing) still are.
    const allowed = 2 + Math.floor((burstMs + DEBOUNCE_MS) / MIN_GAP_MS);
    t.diagnostic(`ten saves in ${Math.round(burstMs)} ms: ${builds.length} build(s), at most ${allowed} allowed`);
    assert.ok(builds.length >= 1 && builds.length <= allowed, `${builds.length} builds for a burst of ${Math.round(burstMs)} ms`);
  });

  await t.test("an invalid save prints the diagnostics and keeps the outputs; the fix (saved by rename) rebuilds without a restart", async () => {
    const from = w.mark;
    const video = await stat(join(dir, "build/tiny-test.mp4"));
    const errBefore = w.stderr.length;
    await saveByRename(dir, ["    seconds: 2\n", "    seconds: 2\n    sconds: 3\n"]);
    const invalid = await w.watchEvent("invalid", from);
    assert.match(invalid.e.message as string, /drama\.yaml:\d+:\d+/);
    const problem = w.slice(from).find((e) => e.event === "error");
    assert.deepEqual([problem?.code, problem?.line], ["unknown-key", (invalid.e.message as string).match(/drama\.yaml:(\d+):/)?.map(Number)[1]], "--json also gets the problem as data");
    assert.match(w.stderr.slice(errBefore), /sconds/);
    assert.equal((await stat(join(dir, "build/tiny-test.mp4"))).ino, video.ino, "the last good video is kept");
    await w.watchEvent("idle", from);

    const fixedFrom = w.mark;
    await saveByRename(dir, ["    sconds: 3\n", ""], ["- ann: Bye.", "- ann: Goodbye."]);
    const summary = await w.next(isSummary, fixedFrom);
    assert.deepEqual(stepIds(w.slice(fixedFrom, w.events.indexOf(summary) + 1), "ran"), lineCone("bye", 1));
  });

  await t.test("a failed step is not retried on an unrelated save, is retried on r + Enter, and runs again when its input is fixed", async () => {
    await w.watchEvent("idle", w.mark - 1);
    // Ann's reference picture is not an image: her portrait fails, naming the file; her scenes wait on it.
    await mkdir(join(dir, "refs"));
    await writeFile(join(dir, "refs/ann.png"), "not an image\n");
    let from = w.mark;
    await editProject(dir, "look: young woman, red coat", "look: young woman, red coat\n    reference: refs/ann.png");
    let summary = await w.next(isSummary, from);
    let events = w.slice(from, w.events.indexOf(summary) + 1);
    assert.deepEqual(stepIds(events, "failed"), ["cast/ann/portrait"]);
    assert.match((events.find((e) => e.event === "step" && e.id === "cast/ann/portrait") as { reason: string }).reason, /refs\/ann\.png is not a picture/);
    await w.watchEvent("idle", from);

    from = w.mark;
    await editProject(dir, "- bob: Hello 10.", "- bob: Hello again.");
    summary = await w.next(isSummary, from);
    events = w.slice(from, w.events.indexOf(summary) + 1);
    assert.ok(!startedIds(events).includes("cast/ann/portrait"), "the known failure did not run again");
    assert.ok(startedIds(events).includes("scene/hello/voice/2"), "the unrelated edit built");
    const replay = events.find((e) => e.event === "step" && e.id === "cast/ann/portrait") as { state: string; reason: string };
    assert.equal(replay.state, "failed");
    assert.match(replay.reason, /not retried until they change[^]*refs\/ann\.png is not a picture/);
    await w.watchEvent("idle", from);

    from = w.mark;
    w.send("r");
    const retry = await w.watchEvent("building", from);
    assert.equal(retry.e.trigger, "retry");
    summary = await w.next(isSummary, from);
    assert.ok(startedIds(w.slice(from, w.events.indexOf(summary) + 1)).includes("cast/ann/portrait"), "r + Enter ran it again");
    await w.watchEvent("idle", from);

    // A real picture: the reference file is watched too, and its new digest is a new key.
    from = w.mark;
    await copyFile(join(dir, "build/cast/bob.png"), join(dir, "refs/ann.png"));
    const fixed = await w.watchEvent("building", from);
    assert.deepEqual(fixed.e.changed, ["refs/ann.png"]);
    summary = await w.next(isSummary, from);
    events = w.slice(from, w.events.indexOf(summary) + 1);
    assert.deepEqual(stepIds(events, "failed"), []);
    assert.ok(stepIds(events, "ran").includes("scene/hello/keyframe"));
  });

  await t.test("Ctrl-C stops cleanly with exit code 0", async () => {
    await w.watchEvent("idle", w.mark - 1);
    const from = w.mark;
    w.signal("SIGINT");
    await w.watchEvent("stopped", from, 30_000);
    assert.deepEqual(await w.exited, { code: 0, signal: null });
  });
});

/** The final's mix (the command writing its final.mp4) hangs until aborted: a slow local step that costs nothing. */
const HOLD_FINAL = { DRAMAKE_TEST_HOLD: "^ffmpeg .*/\\.tmp-final\\.mp4-[0-9]+-[0-9a-f]+\\.mp4( |$)" };

test("watch: a save during a slow local step aborts it, the new plan runs, and the result equals a clean build", async (t) => {
  const dir = await copyFixture("builds/tiny");
  const w = new WatchProcess([dir], HOLD_FINAL, FAKE_RUNNER);
  t.after(() => w.stop());

  const slow = await w.next((e) => e.event === "started" && e.id === "final", 0, 120_000, "final started");
  const from = w.events.indexOf(slow);
  await editProject(dir, "- bob: Hello.", "- bob: Hello, slowly.");
  await w.watchEvent("aborting", from);
  const stopped = await w.next(isSummary, from);
  assert.equal(stopped.e.aborted, true);
  const cancelled = w.slice(from).find((e) => e.event === "step" && e.id === "final") as { state: string; reason: string };
  assert.equal(cancelled.state, "skipped");
  assert.match(cancelled.reason, /cancelled/);

  const rebuilt = await w.next(isSummary, w.events.indexOf(stopped) + 1);
  assert.equal(rebuilt.e.aborted, undefined);
  assert.deepEqual((rebuilt.e.steps as { failed: number }).failed, 0);
  await w.watchEvent("idle", w.events.indexOf(rebuilt));
  const building = w.slice(from).filter((e) => e.event === "watch" && e.state === "building");
  assert.deepEqual(building.map((e) => e.changed), [["drama.yaml"]]);

  const clean = await copyFixture("builds/tiny");
  await editProject(clean, "- bob: Hello.", "- bob: Hello, slowly.");
  const r = await runCli(["build", clean, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await readFile(join(dir, "drama.lock"), "utf8"), await readFile(join(clean, "drama.lock"), "utf8"));
  assert.deepEqual(await w.stop(), { code: 0, signal: null });
});

test("watch: Ctrl-C during a build stops cleanly: exit 0, no temp files, and the next build runs only what was cut short", async (t) => {
  const dir = await copyFixture("builds/tiny");
  const w = new WatchProcess([dir], HOLD_FINAL, FAKE_RUNNER);
  t.after(() => w.stop());
  const slow = await w.next((e) => e.event === "started" && e.id === "final", 0, 120_000, "final started");
  w.signal("SIGINT");
  await w.watchEvent("stopped", w.events.indexOf(slow), 30_000);
  assert.deepEqual(await w.exited, { code: 0, signal: null });
  const leftovers = (await readdir(dir, { recursive: true })).filter((p) => /\.tmp$|(^|\/)tmp\/./.test(p));
  assert.deepEqual(leftovers, [], "no temp file or scratch dir left behind");
  const r = await runCli(["build", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(stepIds(events(r.stdout) as Event[], "ran"), ["final"]);
});

test("watch: usage errors exit 2", async () => {
  const dir = await copyFixture("builds/tiny");
  const bad = await runCli(["watch", dir, "--port", "70000", "--serve"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port/);
  const nowhere = await runCli(["watch", join(dir, "missing")]);
  assert.equal(nowhere.code, 2);
});
