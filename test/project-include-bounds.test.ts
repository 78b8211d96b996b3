/**
 * Includes cannot blow up: a file included a second time anywhere in a
 * project is refused where that second include is written, and the included
 * files together are bounded in size (issue 33, item 9). Before, seven files
 * each including the next six times made `validate` expand 6^6 copies.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../src/project/load.js";
/** The documented bound on all included files together. */
const MAX_INCLUDED_BYTES = 10 * 1024 * 1024;

const MAIN = `dramake: 1
title: Includes
cast:
  ann: { name: Ann, look: young woman }
scenes:
  - id: hi
    cast: [ann]
    beat: She waves.
`;

async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-includes-"));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, ".."), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

async function problems(dir: string): Promise<string[]> {
  const loaded = await loadProject(dir, { offline: true });
  assert.ok(!loaded.ok, "the project should be refused");
  return loaded.error.map((d) => `${d.file.slice(dir.length + 1)}:${d.line}:${d.col} ${d.code} ${d.message}`);
}

test("a file included twice is refused at the second include, naming the first", async () => {
  const dir = await project({
    "drama.yaml": `${MAIN}include: [a.yaml, b.yaml]\n`,
    "a.yaml": "include: [c.yaml]\n",
    "b.yaml": "# b\ninclude:\n  - c.yaml\n",
    "c.yaml": "{}\n",
  });
  assert.deepEqual(await problems(dir), ["b.yaml:3:5 include-repeated 'c.yaml' is already included (at a.yaml:1); a file is included once per project"]);
  // Once is fine.
  await writeFile(join(dir, "b.yaml"), "# b\n{}\n");
  assert.ok((await loadProject(dir, { offline: true })).ok);
});

test("seven files each including the next six times: refused at once, not expanded 6^6 times", { timeout: 20_000 }, async () => {
  const files: Record<string, string> = { "drama.yaml": `${MAIN}include: [f1.yaml]\n` };
  for (let i = 1; i <= 7; i++) files[`f${i}.yaml`] = i === 7 ? "{}\n" : `include:\n${`  - f${i + 1}.yaml\n`.repeat(6)}`;
  const dir = await project(files);
  const started = performance.now();
  const found = await problems(dir);
  const ms = performance.now() - started;
  // f1..f6 each repeat their include five times: 30 positioned errors, each file read once.
  assert.equal(found.length, 30);
  assert.equal(found[0], "f1.yaml:3:5 include-repeated 'f2.yaml' is already included (at f1.yaml:2); a file is included once per project");
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test("included files together are bounded: the include that passes the limit is refused where it is written", async () => {
  // Three files of 4 MB of comment each: every one alone is within a project file's limit.
  const big = `# ${"x".repeat(4 * 1024 * 1024)}\n{}\n`;
  const dir = await project({ "drama.yaml": `${MAIN}include:\n  - a.yaml\n  - b.yaml\n  - c.yaml\n`, "a.yaml": big, "b.yaml": big, "c.yaml": big });
  assert.ok(3 * big.length > MAX_INCLUDED_BYTES && 2 * big.length < MAX_INCLUDED_BYTES);
  assert.deepEqual(await problems(dir), ["drama.yaml:12:5 include-limit including 'c.yaml' makes the included files add up to more than 10 MB"]);
});
