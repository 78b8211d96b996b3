/**
 * `dramake shots` (issue 27), as a user runs it (the built CLI) on a copy of
 * the example: shots that validate, the lines moved into them in order, and
 * every byte outside the scenes asked for as it was (a diff test).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isSeq, parseDocument } from "yaml";
import { loadProject } from "../src/project/load.js";
import { planShots } from "../src/graph/plan/shots.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const EXAMPLE = path.join(root, "examples/new-year-surprise");

function dramake(args: string[]) {
  return spawnSync(process.execPath, [path.join(root, "dist/cli/main.js"), ...args], { encoding: "utf8" });
}

async function copy(): Promise<{ dir: string; file: string; before: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-shots-"));
  await cp(EXAMPLE, dir, { recursive: true });
  const file = path.join(dir, "drama.yaml");
  return { dir, file, before: await readFile(file, "utf8") };
}

/** [start, end) of each scene's node in the file's text, by id. */
function sceneRanges(text: string): Map<string, [number, number]> {
  const scenes = parseDocument(text).get("scenes", true);
  assert.ok(isSeq(scenes));
  return new Map(scenes.items.map((item) => {
    assert.ok(isMap(item));
    return [String(item.get("id")), [item.range![0], item.range![1]]] as [string, [number, number]];
  }));
}

/** The text outside the named scenes, in order. */
function outside(text: string, ids: readonly string[]): string[] {
  const ranges = sceneRanges(text);
  const cuts = ids.map((id) => ranges.get(id)!).sort((a, b) => a[0] - b[0]);
  const parts: string[] = [];
  let at = 0;
  for (const [start, end] of cuts) {
    parts.push(text.slice(at, start));
    at = end;
  }
  parts.push(text.slice(at));
  return parts;
}

test("shots on two scenes of the example: they validate, their lines move into shots in order, and the file is byte-identical outside them", async () => {
  const { dir, file, before } = await copy();
  const old = await loadProject(file, { env: {} });
  assert.ok(old.ok);
  const r = dramake(["shots", "the-call,the-door", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /wrote shots for 2 scenes/);
  const after = await readFile(file, "utf8");
  assert.notEqual(after, before);
  assert.deepEqual(outside(after, ["the-call", "the-door"]), outside(before, ["the-call", "the-door"]), "a byte changed outside the two scenes");
  // Inside them too, only lines and seconds changed: the other keys keep their text (flow lists included).
  for (const id of ["the-call", "the-door"]) {
    const [s0, e0] = sceneRanges(before).get(id)!;
    const [s1, e1] = sceneRanges(after).get(id)!;
    const keep = (t: string) => t.split("\n").filter((l) => /^    (id|setting|cast|action|camera):/.test(l));
    assert.deepEqual(keep(after.slice(s1, e1)), keep(before.slice(s0, e0)), id);
  }

  const now = await loadProject(file, { env: {} });
  assert.ok(now.ok, now.ok ? "" : now.error.map((d) => d.message).join("\n"));
  assert.equal(dramake(["validate", dir]).status, 0);
  for (const [i, scene] of now.value.scenes.entries()) {
    const was = old.value.scenes[i]!;
    assert.deepEqual(scene.lines, was.lines, `${scene.id}: the same lines in the same order`);
    if (!["the-call", "the-door"].includes(scene.id)) {
      assert.deepEqual(scene, was, `${scene.id} was not asked for`);
      continue;
    }
    const shots = scene.shots!;
    assert.equal(shots[0]!.size, "wide");
    assert.equal(shots[0]!.action, was.action);
    assert.deepEqual(shots.slice(1).map((s) => [s.size, s.on, s.lines.length]), was.lines!.map((l) => ["close-up", [l.speaker], 1]));
    const plan = planShots(scene, { lengths: { seconds: [5, 10] }, gap: 0.35 });
    assert.equal(plan.source, "written");
    assert.ok(plan.shots.every((s) => [5, 10].includes(s.seconds)));
  }
});

test("shots --dry-run prints the shots and writes nothing; a scene with shots is left alone without --force; --force is idempotent", async () => {
  const { dir, file, before } = await copy();
  const dry = dramake(["shots", "the-call", dir, "--dry-run"]);
  assert.equal(dry.status, 0, dry.stderr);
  assert.equal(await readFile(file, "utf8"), before, "--dry-run wrote");
  assert.match(dry.stdout, /shots:\n\s+- size: wide/);
  assert.match(dry.stdout, /- grandpa: Wei\? You are not coming home\?/);
  assert.match(dry.stderr, /would write shots for 1 scene/);

  assert.equal(dramake(["shots", "the-call", dir]).status, 0);
  const once = await readFile(file, "utf8");
  const again = dramake(["shots", "the-call", dir]);
  assert.equal(again.status, 0);
  assert.match(again.stderr, /left alone: the-call: it has shots already/);
  assert.equal(await readFile(file, "utf8"), once);
  assert.equal(dramake(["shots", "the-call", dir, "--force"]).status, 0);
  assert.equal(await readFile(file, "utf8"), once, "written again from the same lines: the same bytes");

  const beat = dramake(["shots", "decision", dir]);
  assert.equal(beat.status, 0);
  assert.match(beat.stderr, /left alone: decision: it has no written lines yet/);
});

test("shots --seconds cuts a long turn into clips the model allows; a bad target or list is a usage error", async () => {
  const { dir, file, before } = await copy();
  const long = "I walked the whole way from the station, past the market, past the school, and every door looked like yours, Wei.";
  await writeFile(file, before.replace("      - grandpa: Six hours. He will be so surprised.", `      - grandpa: ${long}\n      - grandpa: ${long}`));
  const r = dramake(["shots", "the-train", dir, "--seconds", "4,8"]);
  assert.equal(r.status, 0, r.stderr);
  const now = await loadProject(file, { env: {} });
  assert.ok(now.ok, now.ok ? "" : now.error.map((d) => d.message).join("\n"));
  const scene = now.value.scenes.find((s) => s.id === "the-train")!;
  const plan = planShots(scene, { lengths: { seconds: [4, 8] }, gap: 0.35 });
  assert.deepEqual(plan.problems, [], "every shot fits the model");
  assert.ok(plan.shots.length >= 3, `${plan.shots.length} shots: an opening, and the turn (~15 s) cut in two or more`);
  assert.ok(plan.shots.every((s) => [4, 8].includes(s.seconds)));
  assert.deepEqual(plan.shots.map((s) => s.size).slice(0, 3), ["wide", "close-up", "medium"]);

  const bad = dramake(["shots", "the-cal", dir]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no scene 'the-cal'.*the-call/);
  assert.equal(dramake(["shots", "the-call", dir, "--seconds", "5,x"]).status, 2);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test("shots on a series: episode/<id> edits the episode where it is written (inline, or its own file), nothing else", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-shots-series-"));
  await cp(path.join(root, "test/fixtures/builds/series"), dir, { recursive: true });
  const files = ["drama.yaml", "cast.yaml", "episodes/02.yaml", "episodes/03.yaml"];
  const before = new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), "utf8")] as const)));
  const r = dramake(["shots", "episode/01,episode/02", dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /left alone: episode\/02\/scene\/think: it has no written lines yet/);
  const after = new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), "utf8")] as const)));
  assert.equal(after.get("cast.yaml"), before.get("cast.yaml"));
  assert.equal(after.get("episodes/03.yaml"), before.get("episodes/03.yaml"));
  assert.notEqual(after.get("drama.yaml"), before.get("drama.yaml"));
  assert.notEqual(after.get("episodes/02.yaml"), before.get("episodes/02.yaml"));
  const loaded = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
  assert.ok(loaded.ok, loaded.ok ? "" : loaded.error.map((d) => d.message).join("\n"));
  const [one, two, three] = loaded.value.episodes;
  assert.deepEqual(one!.scenes[0]!.shots!.map((s) => s.on), [["ann"], ["bob"]]);
  assert.equal(two!.scenes[0]!.shots!.length, 1);
  assert.equal(two!.scenes[1]!.shots, undefined);
  assert.ok(three!.scenes.every((s) => s.shots === undefined));
  assert.equal(dramake(["shots", "episode/09", dir]).status, 2);
});
