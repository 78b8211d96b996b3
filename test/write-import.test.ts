/** `import`: Fountain and `NAME: line` text into scenes and cast, with what could not be mapped reported by line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { loadProject } from "../src/project/load.js";
import { starterProject } from "../src/project/starter.js";
import { importScreenplay } from "../src/write/import.js";
import { addedLines } from "./additions.js";
import { FIXTURES, runCli } from "./build-helpers.js";

const play = (name: string) => path.join(FIXTURES, "screenplays", name);

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "dramake-import-"));
}

test("a Fountain file with 3 scenes and 2 characters becomes a new project that validates", async () => {
  const dir = await tempDir();
  const r = await importScreenplay(play("umbrella.fountain"), dir, { env: {} });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  assert.equal(r.value.created, true);
  assert.deepEqual(r.value.unmapped, []);
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  assert.equal(data.title, "One Umbrella");
  assert.deepEqual(Object.keys(data.cast), ["ann", "bob"]);
  // The introduction in the action ("ANN, 30s, red coat over her arm, looks for her keys.") gives the look.
  assert.equal(data.cast.ann.look, "30s, red coat over her arm");
  assert.equal(data.cast.bob.look, "70s, grey hat and a dripping cane");
  assert.deepEqual(
    data.scenes.map((s: { id: string; setting: string }) => [s.id, s.setting]),
    [
      ["int-anns-flat-evening", "ann's flat, evening (interior)"],
      ["ext-doorway", "doorway (exterior)"],
      ["ext-street-night", "street, night (exterior)"],
    ],
  );
  assert.deepEqual(data.scenes[0].lines, [{ ann: "Where did I leave it?" }, { bob: "Your umbrella is by the door!" }]);
  assert.deepEqual(data.scenes[0].cast, ["ann", "bob"]);
  assert.equal(data.scenes[2].action, "Ann walks into the rain under the black umbrella. She looks back once.");
  const loaded = await loadProject(dir, { env: {} });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.map((d) => `${d.line}: ${d.message}`).join("\n"));
  assert.equal(loaded.value.scenes.length, 3);
  await rm(dir, { recursive: true, force: true });
});

test("dual dialogue, transitions, parentheticals, notes, boneyard, forced headings and cues: handled or reported by line", async () => {
  const dir = await tempDir();
  const r = await importScreenplay(play("corners.fountain"), dir, { env: {} });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  const report = r.value.unmapped.map((u) => `${u.line}: ${u.what}`);
  const expect = [
    /^3: text before the first scene heading: made a scene 'opening'$/,
    /^10: parenthetical \(muttering\): not spoken/,
    /^13: transition CUT TO:/,
    /^17: note \[\[maybe cut this scene\]\]/,
    /^1[89]: dual dialogue: the two speeches are spoken one after the other$/,
    /^25: boneyard/,
    /^31: transition FADE OUT\./,
  ];
  for (const re of expect) assert.ok(report.some((l) => re.test(l)), `${re} not in:\n${report.join("\n")}`);
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  const ids = data.scenes.map((s: { id: string }) => s.id);
  // The boneyard's EXT. ROOF scene is left out; the forced .FLASHBACK heading is a scene.
  assert.deepEqual(ids, ["opening", "int-bus-night", "flashback-a-sunny-day"]);
  assert.equal(data.scenes[1].beat, "They argue over the last seat.", "a synopsis is the scene's beat");
  assert.deepEqual(data.scenes[2].lines, [{ bob: "Go!" }, { ann: "No!" }, { mcclane: "Yippee." }]);
  assert.ok(!JSON.stringify(data).includes("Jump"), "boneyard text never becomes a line");
  assert.ok((await loadProject(dir, { env: {} })).ok);
  await rm(dir, { recursive: true, force: true });
});

test("plain NAME: line text into an existing project: appended, additions only, existing cast reused by name", async () => {
  const dir = await tempDir();
  const starter = starterProject({ title: "Mara", schemaPath: "x.json" }).replace("name: Mara", "name: Mei");
  await writeFile(path.join(dir, "drama.yaml"), starter);
  const r = await importScreenplay(play("chat.txt"), dir, { env: {} });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  assert.equal(r.value.created, false);
  const text = await readFile(path.join(dir, "drama.yaml"), "utf8");
  assert.ok(addedLines(starter, text), "only additions");
  const data = parse(text);
  assert.deepEqual(Object.keys(data.cast), ["mara", "grandpa"], "Mei is the existing cast member mara");
  assert.deepEqual(data.scenes.slice(2).map((s: { id: string }) => s.id), ["scene-1", "scene-2"]);
  assert.deepEqual(data.scenes[2].lines, [{ mara: "Grandpa, are you up?" }, { grandpa: "Since five!" }]);
  assert.ok(r.value.unmapped.some((u) => u.line === 4 && /\(from the other room\): not spoken/.test(u.what)));
  assert.ok((await loadProject(dir, { env: {} })).ok);

  // Dry run and --force: nothing written, then the scenes replaced.
  const dry = await importScreenplay(play("umbrella.fountain"), dir, { env: {}, force: true, dryRun: true });
  assert.ok(dry.ok);
  assert.equal(await readFile(path.join(dir, "drama.yaml"), "utf8"), text);
  assert.equal(parse(dry.value.after).scenes.length, 3);
  assert.deepEqual(await readdir(dir), ["drama.yaml"]);
  await rm(dir, { recursive: true, force: true });
});

test("a file with no scenes, or none at all, is a clear error and writes nothing", async () => {
  const dir = await tempDir();
  await writeFile(path.join(dir, "empty.fountain"), "\n\n");
  const empty = await importScreenplay(path.join(dir, "empty.fountain"), dir, { env: {} });
  assert.match(empty.ok ? "" : empty.error.kind === "usage" ? empty.error.message : "", /no scenes in .*empty\.fountain: expected Fountain/);
  const missing = await importScreenplay(path.join(dir, "nope.fountain"), dir, { env: {} });
  assert.equal(missing.ok ? "" : missing.error.kind, "usage");
  assert.deepEqual(await readdir(dir), ["empty.fountain"]);
  await rm(dir, { recursive: true, force: true });
});

test("a new user's screenplay: a titled name keeps its description, CONTINUOUS is no setting, an empty heading is no scene, voices follow the stated gender", async () => {
  const dir = await tempDir();
  const r = await importScreenplay(play("ferry.fountain"), dir, { env: {} });
  assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
  const data = parse(await readFile(path.join(dir, "drama.yaml"), "utf8"));
  // "MR. LIN, 50s, a tired ticket clerk ..., counts coins.": the period of the title ends no sentence.
  assert.equal(data.cast["mr-lin"].look, "50s, a tired ticket clerk in a frayed uniform");
  assert.equal(data.cast["mr-lin"].name, "Mr. Lin");
  assert.ok(!r.value.unmapped.some((u) => /no description of Mr\. Lin/.test(u.what)), JSON.stringify(r.value.unmapped));
  // "JADE, 22, a young woman" gets a female voice, Mr. Lin a male one (espeak-ng's f and m variants).
  assert.match(data.cast.jade.voice.offline, /^en\+f\d$/);
  assert.match(data.cast["mr-lin"].voice.offline, /^en\+m\d$/);
  const ids = data.scenes.map((s: { id: string }) => s.id);
  assert.deepEqual(ids, ["int-ferry-terminal-night", "ext-pier", "ext-harbour-night"]);
  assert.equal(data.scenes[1].setting, "pier (exterior)");
  // The empty heading is reported by its line, not narrated.
  assert.ok(r.value.unmapped.some((u) => u.line === 24 && /INT\. FERRY TERMINAL - LATER has no action or dialogue/.test(u.what)), JSON.stringify(r.value.unmapped));
  assert.ok(!JSON.stringify(data.scenes).includes("later (interior)"));
  // The plain-text path reads genders from the name too: "Grandpa" speaks with a male voice.
  const chat = await importScreenplay(play("chat.txt"), path.join(dir, "chat"), { env: {} });
  assert.ok(chat.ok);
  assert.match(parse(chat.value.after).cast.grandpa.voice.offline, /^en\+m\d$/);
  await rm(dir, { recursive: true, force: true });
});

test("imported scenes are timed line by line: the first offline build of an import warns of no overrun", async () => {
  for (const name of ["ferry.fountain", "corners.fountain"]) {
    const dir = await tempDir();
    const r = await importScreenplay(play(name), dir, { env: {} });
    assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
    await writeFile(path.join(dir, "drama.yaml"), `${r.value.after}format: { aspect: "9:16", size: 72x128, fps: 12 }\n`);
    const built = await runCli(["build", dir]);
    assert.equal(built.code, 0, built.stderr);
    // Three one-word lines ("Go!", "No!", "Yippee.") were planned 3 s and ran 3.8 s.
    assert.doesNotMatch(built.stderr, /warning: scene .* runs/, `${name}:\n${built.stderr}`);
    await rm(dir, { recursive: true, force: true });
  }
});
