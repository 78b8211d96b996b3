/**
 * `dramake write --episodes N` on a series: offline premises appended in place,
 * validated, never rewritten; with a text provider, the fake server on 127.0.0.1.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import { runCli } from "./build-helpers.js";
import { addedLines } from "./additions.js";
import { cloudEnv, KEY } from "./build-openai-helpers.js";
import { defaultChat, startOpenAIServer, type ChatBody } from "./fixtures/openai-server/server.js";
import { loadProject } from "../src/project/load.js";
import { writeDrama } from "../src/write/write.js";

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
  assert.match(dry.stdout, /# outline: episodes written offline by `dramake write --episodes`[\s\S]*- id: "02"[\s\S]*premise: She finds his notebook\./);
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
  // Narrated as written: no "Turn:" read aloud.
  assert.deepEqual(episodes.slice(1).map((e) => e.premise), ["She finds his notebook.", "The stall is full again."]);
  assert.deepEqual(episodes.slice(1).map((e) => e.scenes[0]!.beat), episodes.slice(1).map((e) => e.premise));
  // A setting on every new scene, and each as long as its premise takes to say (not 8 s of mostly silence).
  for (const e of episodes.slice(1) as unknown as { scenes: { setting?: string; seconds: number }[] }[]) {
    assert.ok(e.scenes[0]!.setting, JSON.stringify(e));
    assert.ok(e.scenes[0]!.seconds >= 2 && e.scenes[0]!.seconds <= 3.5, JSON.stringify(e));
  }

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

const CLOUD = SERIES.replace("language: en\n", `language: en
providers:
  cloud:
    type: openai
    base_url: \${OPENAI_BASE_URL}
    api_key: \${OPENAI_API_KEY}
    models: { text: gpt-4.1-mini }
use: { text: cloud }
budget: 1.00
`);

test("write --episodes with a text provider: one JSON-schema call, a misfit answer retried once, premises appended; over budget nothing is asked", async () => {
  const asked: ChatBody[] = [];
  // The first answer has one premise too few: the repair turn must fix it.
  const server = await startOpenAIServer({ chat: (body) => (asked.push(body), asked.length === 1 ? JSON.stringify({ episodes: [{ title: "Only", premise: "One." }] }) : defaultChat(body)) });
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-write-episodes-"));
  const file = path.join(dir, "drama.yaml");
  try {
    await writeFile(file, CLOUD);
    const r = await writeDrama(dir, { episodes: 3, env: cloudEnv(server) });
    assert.ok(r.ok, r.ok ? "" : JSON.stringify(r.error));
    assert.equal(asked.length, 2, "one call and one repair turn");
    assert.equal(asked[0]!.response_format?.json_schema?.name, "drama_episodes");
    assert.match(JSON.stringify(asked[0]!.messages), /exactly 2 episode premises: episodes 2 to 3 of 3/);
    assert.match(JSON.stringify(asked[0]!.messages), /The Stall: Jun lifts the shutter\./, "the episode already there is given as context");
    assert.ok(r.value.estimate > 0 && r.value.cost > 0);
    const after = await readFile(file, "utf8");
    assert.ok(addedLines(CLOUD, after), "additions only");
    assert.ok(!after.includes(KEY));
    const episodes = (parse(after) as { episodes: { id: string; title: string; premise?: string }[] }).episodes;
    assert.deepEqual(episodes.slice(1).map((e) => [e.id, e.title, e.premise]), [["02", "Night 2", "Premise of episode 2."], ["03", "Night 3", "Premise of episode 3."]]);
    assert.ok((await loadProject(dir, { env: cloudEnv(server) })).ok, "the result loads");

    asked.length = 0;
    const poor = await writeDrama(dir, { episodes: 5, budget: 0, env: cloudEnv(server) });
    assert.ok(!poor.ok && poor.error.kind === "over-budget", JSON.stringify(poor));
    assert.equal(asked.length, 0, "nothing asked over budget");
    assert.equal(await readFile(file, "utf8"), after, "nothing written over budget");
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
