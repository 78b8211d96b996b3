/**
 * drama.yaml or .env that is not a regular file (a symlink to /dev/zero, a
 * FIFO) is reported at its path with exit code 2, quickly, without reading
 * from it (issue 33, item 10). Before, a FIFO blocked `validate` forever and
 * /dev/zero as .env was read until memory ran out. Through the real CLI, so
 * the code frames' reader (readSources) is covered too.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./build-helpers.js";

const PROJECT = `dramake: 1
title: Special files
cast:
  ann: { name: Ann, look: young woman }
scenes:
  - id: hi
    cast: [ann]
    beat: She waves.
`;

async function validate(dir: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = performance.now();
  const run = await runCli(["validate", dir], { env: { ...process.env, NO_COLOR: "1" } });
  return { code: run.code, stderr: run.stderr, ms: performance.now() - started };
}

const cases: [string, (dir: string, name: string) => Promise<void>, RegExp][] = [
  ["a symlink to /dev/zero", (dir, name) => symlink("/dev/zero", join(dir, name)), /is a character device, not a regular file/],
  ["a FIFO", async (dir, name) => void execFileSync("mkfifo", [join(dir, name)]), /is a named pipe \(FIFO\), not a regular file/],
];

for (const [what, make, said] of cases) {
  test(`drama.yaml as ${what}: refused at its path, exit 2, at once`, { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "dramake-special-"));
    await make(dir, "drama.yaml");
    const run = await validate(dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, new RegExp(`${join(dir, "drama.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:1`));
    assert.match(run.stderr, said);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
    assert.ok(run.ms < 10_000, `took ${run.ms.toFixed(0)} ms`);
  });

  test(`.env as ${what}: refused at its path, exit 2, at once`, { timeout: 30_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), "dramake-special-"));
    await writeFile(join(dir, "drama.yaml"), PROJECT);
    await make(dir, ".env");
    const run = await validate(dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /\.env:1:1/);
    assert.match(run.stderr, said);
    assert.ok(run.ms < 10_000, `took ${run.ms.toFixed(0)} ms`);
  });
}
