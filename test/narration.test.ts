/**
 * The offline animatic without placeholders: a beat-only scene built with no
 * text provider is narrated (the beat read out and shown as a caption, no
 * speaker name), fits its `seconds`, and its storyboard card says it is an
 * outline. No "[placeholder" text anywhere a build leaves (SRT, the burned-in
 * ASS in the cache, the page). The examples and the `init` starter are built
 * at a tiny size through the real CLI; spoken lines that run past `seconds`
 * are warned about once per scene, at the scene's file:line.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { editYamlText, type YamlEdit } from "../src/project/edit.js";
import { starterProject } from "../src/project/starter.js";
import { OUTLINE_MARK } from "../src/report/storyboard/from-build.js";
import { runCli } from "./build-helpers.js";
import { probed } from "./media-helpers.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const PLACEHOLDER = /\[placeholder|\[占位/;

/** A copy of a project at 72x128, 12 fps: the same scenes, a fraction of the pixels. */
async function tiny(text: string, more: YamlEdit[] = []): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-narration-"));
  const edited = editYamlText(text, [{ kind: "set", path: ["format"], value: { aspect: "9:16", size: "72x128", fps: 12 } }, ...more]);
  assert.ok(edited.ok, edited.ok ? "" : edited.error.message);
  await writeFile(path.join(dir, "drama.yaml"), edited.value);
  return dir;
}

/** Every file under dir, as text, for a search. */
async function everyFile(dir: string): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  for (const rel of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!rel.isFile()) continue;
    const file = path.join(rel.parentPath, rel.name);
    out.push({ file, text: (await readFile(file)).toString("utf8") });
  }
  return out;
}

async function buildAndCheck(dir: string, beat: string): Promise<{ stderr: string; srt: string; page: string }> {
  const r = await runCli(["build", dir]);
  assert.equal(r.code, 0, r.stderr);
  const files = await everyFile(dir);
  for (const { file, text } of files) assert.ok(!PLACEHOLDER.test(text), `placeholder text in ${path.relative(dir, file)}`);
  const srtFile = files.find((f) => f.file.endsWith(".srt") && path.dirname(f.file) === path.join(dir, "build"))!;
  const page = await readFile(path.join(dir, "build", "storyboard.html"), "utf8");
  // The beat is the caption, with nobody's name before it.
  const cue = srtFile.text.split(/\r?\n\r?\n/).find((c) => c.includes(beat.slice(0, 8)));
  assert.ok(cue, `the beat is a caption:\n${srtFile.text}`);
  assert.ok(!/^[^\n]*: /m.test(cue.split("\n").slice(2).join("\n")), `the caption names no speaker: ${cue}`);
  assert.ok(page.includes(OUTLINE_MARK), "the narrated scene's card is marked as an outline");
  return { stderr: r.stderr, srt: srtFile.text, page };
}

test("the English example builds offline with its beat-only scene narrated within its seconds, no placeholder anywhere", async () => {
  const text = await readFile(path.join(root, "examples/new-year-surprise/drama.yaml"), "utf8");
  const dir = await tiny(text);
  const beat = "He decides to travel to the city himself, tonight.";
  const { stderr } = await buildAndCheck(dir, beat);
  // A new user's first build: every scene's lines fit its seconds, so nothing is said but what was built.
  assert.doesNotMatch(stderr, /warning:/);
  // The narrated scene (4 s) is read within its length: the cut is not stretched.
  const cut = await probed(path.join(dir, "build", "scenes", "decision", "cut.mp4"));
  assert.ok(Math.abs(cut.duration - 4) < 0.2, `the narrated cut runs ${cut.duration} s`);
  await rm(dir, { recursive: true, force: true });
});

test("the Chinese example and the init starter: narrated, no placeholder; lines longer than seconds warn once at the scene's line", async () => {
  const zh = await tiny(await readFile(path.join(root, "examples/tea-shop/drama.yaml"), "utf8"));
  const zhBuild = await buildAndCheck(zh, "外婆说出六十年前两家人的约定");
  assert.doesNotMatch(zhBuild.stderr, /warning:/);

  // The starter's first scene squeezed to 1 s: its line runs past it.
  const starter = starterProject({ title: "Starter", schemaPath: "x.json" });
  const dir = await tiny(starter, [{ kind: "set", path: ["scenes", 0, "seconds"], value: 1 }]);
  const { stderr, page } = await buildAndCheck(dir, "She reads what she hoped for");
  const warnings = stderr.split("\n").filter((l) => l.includes("warning: scene"));
  const sceneLine = (await readFile(path.join(dir, "drama.yaml"), "utf8")).split("\n").findIndex((l) => l.includes("- id: the-bottle")) + 1;
  assert.equal(warnings.length, 1, stderr);
  assert.match(warnings[0]!, new RegExp(`drama\\.yaml:${sceneLine}:5: warning: scene the-bottle runs [\\d.]+ s, past its 1 s`));
  assert.match(page, /\(planned 1 s\)/);
  for (const d of [zh, dir]) await rm(d, { recursive: true, force: true });
});

test("the series example builds with no overrun warning; a scene of an episode file that overruns is warned at that file's line, not drama.yaml's", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-series-warn-"));
  await cp(path.join(root, "examples/night-market"), dir, { recursive: true });
  const main = path.join(dir, "drama.yaml");
  await writeFile(main, (await readFile(main, "utf8")).replace("size: 360x640", "size: 72x128"));
  const first = await runCli(["build", dir]);
  assert.equal(first.code, 0, first.stderr);
  // The shipped example printed 5 overrun warnings on its first build. (Shrunk to 72 px wide, its
  // captions wrap so narrowly that a reading-speed warning is fair: only overruns are this test's.)
  assert.doesNotMatch(first.stderr, /warning: scene \S+ runs/);

  // Episode 02's first scene squeezed to 1 s (in its own file), episode 01's inline first scene too.
  const ep2 = path.join(dir, "episodes", "02.yaml");
  const ep2Text = await readFile(ep2, "utf8");
  await writeFile(ep2, ep2Text.replace(/(- id: order[^]*?seconds: )[\d.]+/, "$11"));
  await writeFile(main, (await readFile(main, "utf8")).replace(/(- id: first-night[^]*?seconds: )[\d.]+/, "$11"));
  const again = await runCli(["build", dir]);
  assert.equal(again.code, 0, again.stderr);
  const lineOf = (text: string, what: string) => text.split("\n").findIndex((l) => l.includes(what)) + 1;
  const warnings = again.stderr.split("\n").filter((l) => /warning: scene \S+ runs/.test(l));
  assert.equal(warnings.length, 2, again.stderr);
  assert.ok(warnings.some((w) => new RegExp(`episodes/02\\.yaml:${lineOf(ep2Text, "- id: order")}:5: warning: scene order runs`).test(w)), warnings.join("\n"));
  assert.ok(warnings.some((w) => new RegExp(`drama\\.yaml:${lineOf(readFileSync(main, "utf8"), "- id: first-night")}:9: warning: scene first-night runs`).test(w)), warnings.join("\n"));
  await rm(dir, { recursive: true, force: true });
});
