/**
 * Series: a project with `episodes:` (inline and included), cast from an
 * included file, one `final` per episode. Built for real (offline, 64x112,
 * 1 s scenes) through the CLI; edits and targets checked by the step ids
 * that ran. Project-file errors in included files, and a format-1 lockfile
 * from before series existed, without building.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { computePlan, type EngineGraph } from "../src/engine/index.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { loadProject } from "../src/project/load.js";
import { probe } from "../src/media/probe.js";
import { copyFixture, events, FIXTURES, runCli, stepsIn } from "./build-helpers.js";

/** Replace one exact string in a project file (it must be there exactly once). */
async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, "utf8");
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `'${from}' is not in ${file} exactly once`);
  await writeFile(file, text.slice(0, at) + to + text.slice(at + from.length));
}

async function graphOf(dir: string): Promise<EngineGraph> {
  const loaded = await loadBuildGraph(dir, { offline: true });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.message);
  return loaded.value;
}

const VIDEOS = ["01-hello", "02-the-letter", "03-goodbye"].map((name) => `build/tiny-series/${name}.mp4`);

test("a 3-episode series: --target builds one episode, portraits are made once, an edit reruns only its episode's cone", async () => {
  const dir = await copyFixture("builds/series");

  // An unknown target is a usage error that names the nearest one, and nothing runs.
  const typo = await runCli(["build", dir, "--target", "episode/2", "--json"]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /--target episode\/2: no step has this id or lies under it \(did you mean 'episode\/02'\?\)/);

  // Episode 02 alone: its own steps and the shared ones it needs (Bob's portrait, the music), nothing of 01 or 03.
  const only = await runCli(["build", dir, "-t", "episode/02", "--json"]);
  assert.equal(only.code, 0, only.stderr);
  const first = stepsIn(only.stdout, "ran");
  assert.deepEqual(first.filter((id) => !id.startsWith("episode/02/")), ["cast/bob/portrait", "music"]);
  assert.ok(first.includes("episode/02/final"));
  const summary = events(only.stdout).find((e) => e.event === "summary") as { episodes: Record<string, { output: string | null }> };
  assert.deepEqual(Object.keys(summary.episodes), ["02"]);
  assert.equal(summary.episodes["02"]!.output, "build/tiny-series/02-the-letter.mp4");
  await assert.rejects(stat(join(dir, VIDEOS[0]!)));

  // The whole series: the rest runs; Bob's portrait and the music are reused, never made again.
  const all = await runCli(["build", dir, "--json"]);
  assert.equal(all.code, 0, all.stderr);
  const second = stepsIn(all.stdout, "ran");
  assert.deepEqual(second.filter((id) => id.startsWith("episode/02/")), []);
  const portraits = [...first, ...second].filter((id) => id.endsWith("/portrait")).sort();
  assert.deepEqual(portraits, ["cast/ann/portrait", "cast/bob/portrait"], "one portrait per cast member for the whole series");
  for (const video of VIDEOS) {
    const info = await probe(join(dir, video), AbortSignal.timeout(10_000));
    assert.ok(info.ok && info.value.duration >= 1, video);
    assert.match(await readFile(join(dir, video.replace(/\.mp4$/, ".srt")), "utf8"), /-->/);
  }
  // The storyboard of a series: an index with a row per episode, a page per episode linking back.
  const index = await readFile(join(dir, "build/storyboard.html"), "utf8");
  // Episode 02 was built by the targeted build before: this build reused it.
  assert.deepEqual([...index.matchAll(/<article class="card episode (\w+)" id="episode-(\d+)"/g)].map((m) => `${m[2]} ${m[1]}`), ["01 built", "02 cached", "03 built"]);
  for (const ep of ["01", "02", "03"]) assert.match(index, new RegExp(`<a class="poster" href="storyboard-${ep}.html"><img src="episodes/${ep}/scenes/[a-z]+/keyframe.png"`));
  const page = await readFile(join(dir, "build/storyboard-02.html"), "utf8");
  assert.equal((page.match(/<article class="card /g) ?? []).length, 2);
  assert.match(page, /<a href="storyboard.html">← Tiny Series<\/a>/);
  assert.match(page, /<video[^>]+src="tiny-series\/02-the-letter.mp4"/);
  const indexBefore = await stat(join(dir, "build/storyboard.html"));
  const lockBefore = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")).steps as Record<string, unknown>;
  const untouched = await stat(join(dir, VIDEOS[0]!));

  // A line edit in episode 03 reruns exactly that line's voice and what is made from it, in episode 03.
  await edit(join(dir, "episodes/03.yaml"), "bob: Bye now.", "bob: See you.");
  const edited = await runCli(["build", dir, "-t", "episode/03", "--json"]);
  assert.equal(edited.code, 0, edited.stderr);
  assert.deepEqual(stepsIn(edited.stdout, "ran"), [
    "episode/03/final",
    "episode/03/scene/bye/cut",
    "episode/03/scene/bye/dialogue",
    "episode/03/scene/bye/subtitles",
    "episode/03/scene/bye/voice/2",
    "episode/03/soundtrack",
  ]);
  const lockAfter = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")).steps as Record<string, unknown>;
  assert.deepEqual(Object.keys(lockAfter).sort(), Object.keys(lockBefore).sort(), "no episode's steps forgotten");
  for (const id of Object.keys(lockBefore).filter((k) => !k.startsWith("episode/03/"))) assert.deepEqual(lockAfter[id], lockBefore[id], id);
  assert.equal((await stat(join(dir, VIDEOS[0]!))).mtimeMs, untouched.mtimeMs, "episode 01's video not rewritten");
  // A targeted build rewrites its episode's page, not the index it cannot fill in.
  assert.equal((await stat(join(dir, "build/storyboard.html"))).mtimeMs, indexBefore.mtimeMs);
  assert.match(await readFile(join(dir, "build/storyboard-03.html"), "utf8"), /See you\./);

});

/** Keys of the steps that read no other step (the lines steps among them): known without building. */
async function leafKeys(dir: string): Promise<Map<string, string>> {
  const loaded = await loadBuildGraph(dir, { keysOptional: true });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.message);
  const plan = await computePlan(loaded.value);
  assert.ok(plan.ok);
  return new Map(plan.value.steps.filter((s) => s.key !== undefined).map((s) => [s.id, s.key!]));
}

test("beat-only lines see their episode's neighbours and the previous episode's end: an edit reaches no other episode", async () => {
  const dir = await copyFixture("builds/series");
  // A text provider writes the lines (offline narrates beats instead); planning needs neither a key nor the network.
  await edit(
    join(dir, "drama.yaml"),
    "include: [cast.yaml]",
    "include: [cast.yaml]\nproviders:\n  cloud: { type: openai, base_url: \"http://127.0.0.1:9/v1\", api_key: \"${NO_SUCH_KEY}\", models: { text: m } }\nuse: { text: cloud }",
  );
  const before = await leafKeys(dir);
  assert.ok(before.has("episode/02/scene/think/lines") && before.has("episode/03/scene/answer/lines"));
  const changed = (after: Map<string, string>) => [...after].filter(([id, key]) => before.get(id) !== key).map(([id]) => id).sort();

  await edit(join(dir, "episodes/03.yaml"), "beat: Ann writes back.", "beat: Ann writes back at once.");
  assert.deepEqual(changed(await leafKeys(dir)), ["episode/03/scene/answer/lines"]);
  await edit(join(dir, "episodes/03.yaml"), "beat: Ann writes back at once.", "beat: Ann writes back.");
  // The last beat of 02 is heard by 02's own lines and by 03's first lines (continuity); nothing of 01.
  await edit(join(dir, "episodes/02.yaml"), "beat: Bob wonders who wrote it.", "beat: Bob guesses who wrote it.");
  assert.deepEqual(changed(await leafKeys(dir)), ["episode/02/scene/think/lines", "episode/03/scene/answer/lines"]);
});

test("a format-1 project keeps its step ids and keys: a lockfile written before series existed still matches", async () => {
  const dir = await copyFixture("builds/tiny");
  const old = JSON.parse(await readFile(join(FIXTURES, "locks/tiny-format1.lock"), "utf8")).steps as Record<string, { key: string }>;
  const graph = await graphOf(dir);
  // Every step id the old lockfile names is still there; the one step added since is the soundtrack (mixed beside the cuts).
  assert.deepEqual(graph.steps.map((s) => s.id).filter((id) => id !== "soundtrack").sort(), Object.keys(old).sort());
  assert.ok(graph.steps.some((s) => s.id === "soundtrack"));
  const plan = await computePlan(graph);
  assert.ok(plan.ok);
  // Without a cache only steps that read no other step have a key yet: each is the one the old lockfile
  // names, but music's: the offline pad is synthesized at 16 kHz since (renderVersions.music 2), new bytes, a new key;
  // the offline images' (renderVersions.image 3: keyframe cards in zones per shot size) and voices'
  // (renderVersions.speech 3: the silent stand-in's timing), free to make again.
  const keyed = plan.value.steps.filter((s) => s.key !== undefined);
  assert.ok(keyed.length >= 5);
  for (const s of keyed) {
    if (s.id === "music" || s.id.endsWith("/portrait") || /\/voice\/\d+$/.test(s.id)) assert.notEqual(s.key, old[s.id]!.key, `${s.id}: its render version is in its key`);
    else assert.equal(s.key, old[s.id]!.key, s.id);
  }
});

async function problems(files: Record<string, string>): Promise<string[]> {
  const dir = await copyFixture("builds/series");
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const loaded = await loadProject(dir, { offline: true });
  assert.ok(!loaded.ok, "the project should be refused");
  return loaded.error.map((d) => `${d.file.slice(dir.length + 1)}:${d.line}:${d.col} ${d.message}`);
}

test("a mistake in an included file is reported in that file, at its line, with 'did you mean'", async () => {
  const episode = (await readFile(join(FIXTURES, "builds/series/episodes/02.yaml"), "utf8"))
    .replace("      - bob: A letter came.", "      - bobb: A letter came.")
    .replace("    seconds: 1\n    beat:", "    secnds: 1\n    beat:");
  assert.deepEqual(await problems({ "episodes/02.yaml": episode }), [
    "episodes/02.yaml:9:9 unknown speaker 'bobb' (did you mean 'bob'?)",
    "episodes/02.yaml:12:5 unknown key 'secnds' (did you mean 'seconds'?)",
  ]);
  const cast = (await readFile(join(FIXTURES, "builds/series/cast.yaml"), "utf8")).replace("    look: old man, grey cap\n", "");
  assert.deepEqual(await problems({ "cast.yaml": cast }), ["cast.yaml:6:3 missing required key 'look'"]);
});

test("includes: a cycle, a missing file and a path outside the project are refused where they are written", async () => {
  const cast = await readFile(join(FIXTURES, "builds/series/cast.yaml"), "utf8");
  assert.deepEqual(await problems({ "cast.yaml": `${cast}include: [more/extra.yaml]\n`, "more/extra.yaml": "include: [../cast.yaml]\n" }), [
    "more/extra.yaml:1:11 including '../cast.yaml' makes a cycle: cast.yaml -> more/extra.yaml -> cast.yaml",
  ]);
  // The project file itself is on the way too.
  assert.deepEqual(await problems({ "cast.yaml": `${cast}include: [drama.yaml]\n` }), [
    "cast.yaml:9:11 including 'drama.yaml' makes a cycle: drama.yaml -> cast.yaml -> drama.yaml",
  ]);
  const main = await readFile(join(FIXTURES, "builds/series/drama.yaml"), "utf8");
  assert.deepEqual(await problems({ "drama.yaml": main.replace("include: episodes/03.yaml", "include: episodes/04.yaml") }), [
    "drama.yaml:19:14 file not found: 'episodes/04.yaml'",
  ]);
  assert.deepEqual(await problems({ "drama.yaml": main.replace("include: [cast.yaml]", "include: [../cast.yaml]") }), [
    "drama.yaml:7:11 '../cast.yaml' points outside the project directory",
  ]);
  // scenes and episodes at once: which one is meant is the writer's call.
  assert.deepEqual(await problems({ "drama.yaml": `${main}scenes:\n  - id: x\n    beat: y\n` }), ["drama.yaml:8:1 this project has both scenes and episodes"]);
});
