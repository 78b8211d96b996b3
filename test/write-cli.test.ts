/** `dramake write` and `dramake import` from the command line: what they print, exit codes, nothing written on a refusal. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXTURES, runCli } from "./build-helpers.js";
import { starterProject } from "../src/project/starter.js";

const outlineReady = starterProject({ title: "Cli", schemaPath: "x.json" }).replace(/\nscenes:[\s\S]*?\nmusic:/, "\nmusic:");

test("write: --dry-run prints the YAML and writes nothing; then writes; a second write is refused with exit 2", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-write-cli-"));
  await writeFile(path.join(dir, "drama.yaml"), outlineReady);
  const dry = await runCli(["write", "--dry-run", "--scenes", "2", dir]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^# outline: written offline by `dramake write`[\s\S]*\nscenes:\n {2}- id: hook\n[\s\S]*- id: resolution\n/);
  assert.match(dry.stderr, /would write 2 scenes in .*drama\.yaml: an offline outline/);
  assert.equal(await readFile(path.join(dir, "drama.yaml"), "utf8"), outlineReady);

  const wrote = await runCli(["write", "--scenes", "2", "-C", dir]);
  assert.equal(wrote.code, 0, wrote.stderr);
  assert.equal(wrote.stdout, "");
  assert.match(wrote.stderr, /wrote 2 scenes to drama\.yaml/);
  const again = await runCli(["write", dir]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^dramake write: 2 scenes are already written; nothing is missing \(--force replaces them with new ones\)\n$/);
  const bad = await runCli(["write", "--scenes", "zero", dir]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--scenes wants a whole number of at least 1, got 'zero'/);
  await rm(dir, { recursive: true, force: true });
});

test("import: a new project from Fountain, what could not be mapped named file:line on stderr", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-import-cli-"));
  const script = path.join(FIXTURES, "screenplays", "corners.fountain");
  const r = await runCli(["import", script, path.join(dir, "new")]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`${script.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:13: not mapped: transition CUT TO:`));
  assert.match(r.stderr, /created with 3 scenes and 3 cast .*new\/drama\.yaml/);
  // A new project gets init's .gitignore too (issue 33 item 8, test/cli-gitignore.test.ts).
  assert.deepEqual((await readdir(path.join(dir, "new"))).sort(), [".gitignore", "drama.yaml"]);
  const v = await runCli(["validate", path.join(dir, "new")]);
  assert.equal(v.code, 0, v.stderr);
  const missing = await runCli(["import", path.join(dir, "none.fountain"), dir]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^dramake import: cannot read /);
  await rm(dir, { recursive: true, force: true });
});
