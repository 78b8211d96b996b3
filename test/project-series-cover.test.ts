/**
 * A series-level `cover:` (issue 32) is every episode's that has none of its
 * own. Naming a scene only some episodes have was skipped silently (those
 * episodes simply got no cover); now it is a warning at the cover's shot
 * naming them, and a scene no episode has (inline or included) is an error
 * there. Checked on the three-episode fixture (01 inline, 02 and 03 included).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { loadBuildGraph } from "../src/graph/load.js";
import { loadProject } from "../src/project/load.js";
import { copyFixture, runCli } from "./build-helpers.js";

/** The series fixture with a series-level cover (line 7) and optionally episode 03's own. */
async function series(shot: string, ownCoverFor03 = false): Promise<string> {
  const dir = await copyFixture("builds/series");
  const file = join(dir, "drama.yaml");
  const text = await readFile(file, "utf8");
  await writeFile(file, text.replace("format: { size: 64x112, fps: 12 }\n", `format: { size: 64x112, fps: 12 }\ncover: { shot: ${shot} }\n`));
  if (ownCoverFor03) {
    const ep = join(dir, "episodes/03.yaml");
    await writeFile(ep, (await readFile(ep, "utf8")).replace('title: Goodbye\n', "title: Goodbye\ncover: { shot: scene/bye }\n"));
  }
  return dir;
}

test("a scene only some episodes have: one warning at the cover's shot naming them; they build without a cover", async () => {
  const dir = await series("scene/letter");
  const r = await loadProject(join(dir, "drama.yaml"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : r.error.map((d) => d.message).join("\n"));
  const warnings = r.value.warnings.filter((d) => d.code === "unknown-scene");
  assert.equal(warnings.length, 1, JSON.stringify(r.value.warnings));
  const w = warnings[0]!;
  assert.equal(w.severity, "warning");
  assert.equal(w.file, join(dir, "drama.yaml"));
  assert.equal(`${w.line}:${w.col}`, "7:16");
  assert.match(w.message, /the cover names scene 'letter', which episodes 01, 03 do not have: they get no cover/);
  assert.ok(w.allowed && w.allowed.length > 3);
  // What the warning says is what the build does: only episode 02 has a cover step.
  const graph = await loadBuildGraph(dir, { offline: true });
  assert.ok(graph.ok);
  assert.deepEqual(graph.value.steps.map((s) => s.id).filter((id) => id.endsWith("/cover")), ["episode/02/cover"]);
  // The CLI prints it with its position and goes on (exit 0).
  const v = await runCli(["validate", dir]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stderr, /drama\.yaml:7:16.*warning|warning.*drama\.yaml:7:16/s);
  assert.match(v.stderr, /episodes 01, 03 do not have/);
});

test("an episode with its own cover is not warned about; every episode covered, no warning", async () => {
  const one = await series("scene/letter", true);
  const r = await loadProject(join(one, "drama.yaml"), { env: {} });
  assert.ok(r.ok);
  const w = r.value.warnings.filter((d) => d.code === "unknown-scene");
  assert.equal(w.length, 1);
  assert.match(w[0]!.message, /which episode 01 does not have: it gets no cover/);
  // Only episode 01 lacks it now; given 01 a scene `letter` too, nothing is said.
  const all = await series("scene/letter", true);
  const file = join(all, "drama.yaml");
  await writeFile(file, (await readFile(file, "utf8")).replace("      - id: hi\n", "      - id: letter\n"));
  const quiet = await loadProject(file, { env: {} });
  assert.ok(quiet.ok, quiet.ok ? "" : quiet.error.map((d) => d.message).join("\n"));
  assert.deepEqual(quiet.value.warnings.filter((d) => d.code === "unknown-scene"), []);
});

test("a scene no episode has: an error at the cover's shot, with a suggestion, exit 2", async () => {
  const dir = await series("scene/lettr");
  const r = await loadProject(join(dir, "drama.yaml"), { env: {} });
  assert.ok(!r.ok, "loaded");
  const errors = r.error.filter((d) => d.severity === "error");
  assert.equal(errors.length, 1, JSON.stringify(r.error));
  const e = errors[0]!;
  assert.equal(`${e.line}:${e.col}`, "7:16");
  assert.equal(e.code, "unknown-scene");
  assert.match(e.message, /the cover names scene 'lettr', which no episode has.*did you mean 'letter'/);
  assert.match(e.allowed ?? "", /hi, letter, think, answer, bye/);
  const v = await runCli(["validate", dir]);
  assert.equal(v.code, 2);
  assert.match(v.stderr, /drama\.yaml:7:16/);
  assert.doesNotMatch(v.stderr, /\n\s+at /);
});
