/** `dramake write --episodes N` on a series: offline premises appended in place, validated, never rewritten. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "./build-helpers.js";
import { addedLines } from "./additions.js";

const SERIES = `# a series, one episode so far
dramake: 1
title: Night Stall
language: en
theme: A young cook takes over her grandfather's noodle stall. The regulars doubt her. She finds his notebook. The stall is full again.
cast:
  jun: { name: Jun, look: a young cook in an apron }   # the lead
episodes:
  - id: "01"
    title: The Stall   # kept as typed
    scenes:
      - id: first-night
        cast: [jun]
        seconds: 3
        beat: Jun lifts the shutter.
`;

test("write --episodes 3 on a one-episode series adds two outline premises (additions only), validates, and a rerun adds nothing", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-write-episodes-"));
  const file = path.join(dir, "drama.yaml");
  await writeFile(file, SERIES);

  const dry = await runCli(["write", "--episodes", "3", "--dry-run", dir]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /# outline: episodes written offline by `dramake write --episodes`[\s\S]*- id: "02"[\s\S]*premise: "Turn: She finds his notebook\."/);
  assert.match(dry.stderr, /would write 2 episodes and 2 scenes/);
  assert.equal(await readFile(file, "utf8"), SERIES, "--dry-run wrote nothing");

  const wrote = await runCli(["write", "--episodes", "3", dir]);
  assert.equal(wrote.code, 0, wrote.stderr);
  const after = await readFile(file, "utf8");
  const added = addedLines(SERIES, after);
  assert.ok(added, `a line of the original changed:\n${after}`);
  assert.ok(after.startsWith(SERIES), "the new episodes follow everything that was there");
  const episodes = (parse(after) as { episodes: { id: string; title: string; premise?: string; scenes: { beat: string }[] }[] }).episodes;
  assert.deepEqual(episodes.map((e) => e.id), ["01", "02", "03"]);
  assert.equal(episodes[0]!.premise, undefined, "the existing episode is untouched");
  // The theme's four sentences spread over three episodes: the first two go to episode 1, one each after.
  assert.deepEqual(episodes.slice(1).map((e) => e.premise), ["Turn: She finds his notebook.", "Resolution: The stall is full again."]);
  assert.deepEqual(episodes.slice(1).map((e) => e.scenes[0]!.beat), episodes.slice(1).map((e) => e.premise));

  const valid = await runCli(["validate", dir]);
  assert.equal(valid.code, 0, valid.stderr + valid.stdout);
  assert.match(valid.stdout + valid.stderr, /3 episodes, 3 scenes/);

  const again = await runCli(["write", "--episodes", "3", dir]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /the series has 3 episodes already; nothing is missing for --episodes 3/);
  assert.equal(await readFile(file, "utf8"), after, "a rerun adds nothing");

  const more = await runCli(["write", "--episodes", "4", dir]);
  assert.equal(more.code, 0, more.stderr);
  const fourth = (parse(await readFile(file, "utf8")) as { episodes: { id: string }[] }).episodes;
  assert.deepEqual(fourth.map((e) => e.id), ["01", "02", "03", "04"]);
  await rm(dir, { recursive: true, force: true });
});

test("write --episodes on a single-episode project is a usage error (exit 2), nothing written", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-write-episodes-"));
  const file = path.join(dir, "drama.yaml");
  const single = "dramake: 1\ntitle: One\ntheme: A cook and a stall.\nscenes:\n  - { id: a, seconds: 2, beat: A stall. }\n";
  await writeFile(file, single);
  const r = await runCli(["write", "--episodes", "2", dir]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--episodes writes the episodes of a series \(episodes:\); this project has scenes: \(use --scenes\)/);
  const zero = await runCli(["write", "--episodes", "0", dir]);
  assert.equal(zero.code, 2);
  assert.equal(await readFile(file, "utf8"), single);
  await rm(dir, { recursive: true, force: true });
});
