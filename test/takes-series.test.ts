/**
 * Takes in a series (issue 13): a take is written where the thing it chooses
 * for is written (an episode file, an episode inline in drama.yaml, a cast
 * member in an included file), and a take naming a step an episode's scene
 * does not have is an error at its file:line:col, from `validate` and `build`
 * alike. Offline, at the series fixture's 64x112.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { CLI, copyFixture, runCli } from "./build-helpers.js";
import { insertedLines, postTake, reloadChannel, servedUrl, tokenOf } from "./takes-helpers.js";

const SERIES = "builds/series";

const read = (dir: string, file: string) => readFile(join(dir, file), "utf8");

test("series: retake (and the episode page's button) edits the file the episode or the cast member is written in, and only its take lines", async () => {
  const dir = await copyFixture(SERIES);
  const files = ["drama.yaml", "cast.yaml", "episodes/02.yaml", "episodes/03.yaml"];
  const before = Object.fromEntries(await Promise.all(files.map(async (f) => [f, await read(dir, f)] as const)));

  assert.equal((await runCli(["build", dir, "-q"])).code, 0);
  const episodeFile = await runCli(["retake", "episode/02/scene/letter/keyframe", dir, "-q"]);
  assert.equal(episodeFile.code, 0, episodeFile.stderr);
  assert.deepEqual(insertedLines(before["episodes/02.yaml"]!, await read(dir, "episodes/02.yaml")), ["    take:", "      keyframe: 2"]);
  for (const f of ["drama.yaml", "cast.yaml", "episodes/03.yaml"]) assert.equal(await read(dir, f), before[f], `${f} untouched`);
  const lock = JSON.parse(await read(dir, "drama.lock")) as { steps: Record<string, { take?: number }> };
  assert.equal(lock.steps["episode/02/scene/letter/keyframe"]!.take, 2);

  const castFile = await runCli(["retake", "cast/ann/portrait", dir, "-q"]);
  assert.equal(castFile.code, 0, castFile.stderr);
  assert.deepEqual(insertedLines(before["cast.yaml"]!, await read(dir, "cast.yaml")), ["    take: 2"]);
  assert.equal(await read(dir, "drama.yaml"), before["drama.yaml"], "drama.yaml untouched");

  const inline = await runCli(["retake", "episode/01/scene/hi/clip", dir, "-q"]);
  assert.equal(inline.code, 0, inline.stderr);
  assert.deepEqual(insertedLines(before["drama.yaml"]!, await read(dir, "drama.yaml")), ["        take:", "          clip: 2"]);

  const unknown = await runCli(["retake", "episode/09/scene/hi/clip", dir]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no step 'episode\/09\/scene\/hi\/clip'; steps with takes: .*episode\/01\/scene\/hi\/keyframe/);

  // The episode's own page, served: "use this take" of take 1 edits the episode's file, builds, reloads.
  const child = spawn(process.execPath, [CLI, "preview", dir, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  try {
    const url = await servedUrl(child);
    const page = await (await fetch(new URL("/storyboard-02.html", url))).text();
    assert.match(page, /data-step="episode\/02\/scene\/letter\/keyframe">[^]*?<li class="take chosen" data-take="2">/);
    const episodeText = await read(dir, "episodes/02.yaml");
    const { reloaded } = await reloadChannel(url);
    const r = await postTake(url, "use", { step: "episode/02/scene/letter/keyframe", take: 1 }, tokenOf(page));
    const answer = (await r.json()) as { file: string; message: string };
    assert.equal(r.status, 200, answer.message);
    assert.equal(answer.file, "episodes/02.yaml");
    assert.equal(await read(dir, "episodes/02.yaml"), episodeText.replace("      keyframe: 2", "      keyframe: 1"));
    await reloaded;
    const rebuilt = await (await fetch(new URL("/storyboard-02.html", url))).text();
    assert.match(rebuilt, /data-step="episode\/02\/scene\/letter\/keyframe">[^]*?<li class="take chosen" data-take="1">/);
  } finally {
    child.kill("SIGINT");
  }
});

test("series: a take naming a step an episode's scene does not have is an error at its file:line:col, from validate and build", async () => {
  const dir = await copyFixture(SERIES);
  const file = join(dir, "episodes/03.yaml");
  const text = await readFile(file, "utf8");
  // The first scene of episode 03, whatever it is called: a take of a step it cannot have.
  const at = text.indexOf("    seconds:");
  assert.ok(at > 0);
  await writeFile(file, `${text.slice(0, at)}    take: { keyframes: 2 }\n${text.slice(at)}`);
  const line = text.slice(0, at).split("\n").length;

  const validate = await runCli(["validate", dir]);
  assert.equal(validate.code, 2, validate.stdout + validate.stderr);
  assert.match(validate.stderr, new RegExp(`episodes/03\\.yaml:${line}:13: error: scene [^ ]+ of episode 03 has no step 'keyframes' with takes`));
  assert.match(validate.stderr, /allowed: keyframe, clip, voice\/1/);
  assert.doesNotMatch(validate.stderr + validate.stdout, /\n\s+at /, "no stack trace");

  const json = await runCli(["validate", dir, "--json"]);
  assert.equal(json.code, 2);
  const events = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(
    events.filter((e) => e.code === "unknown-take").map((e) => [e.event, e.line, e.col, e.allowed]),
    [["error", line, 13, "keyframe, clip, voice/1"]],
  );
  assert.deepEqual(events.at(-1), { event: "validated", ok: false, errors: 1, warnings: 0 });

  const build = await runCli(["build", dir]);
  assert.equal(build.code, 2);
  assert.match(build.stderr, new RegExp(`episodes/03\\.yaml:${line}:13: error: scene [^ ]+ of episode 03 has no step 'keyframes' with takes`));

  // The same file with a take it does have: valid.
  await writeFile(file, `${text.slice(0, at)}    take: { keyframe: 2 }\n${text.slice(at)}`);
  const fine = await runCli(["validate", dir]);
  assert.equal(fine.code, 0, fine.stderr);
});
