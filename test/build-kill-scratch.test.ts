/**
 * A build killed while a media call has its work files out (a cut's subtitle
 * script, a dialogue's converted voices, the final's concat list) leaves them
 * in its own scratch directory under .dramake/tmp, which the next build
 * sweeps, and nothing in the system's temp directory, which nobody would.
 * Real CLI and files; the fake runner holds the one command the kill lands in.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI, copyFixture, runCli } from "./build-helpers.js";
import { FAKE_RUNNER } from "./watch-helpers.js";

/** Build `dir` with TMPDIR=`temp` until the first command matching `hold` is held, then SIGKILL it. Returns its pid. */
function killedWhileHolding(dir: string, temp: string, hold: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FAKE_RUNNER, CLI, "build", dir], {
      env: { ...process.env, NO_COLOR: "1", TMPDIR: temp, DRAMAKE_TEST_HOLD: hold },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.includes("fake runner: holding")) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (code, signal) =>
      signal === "SIGKILL" ? resolve(child.pid!) : reject(new Error(`the build ended (${code}) before holding /${hold}/:\n${stderr}`)),
    );
  });
}

/** What dramake left in a temp directory. Node 22+ keeps its module compile cache there too (node-compile-cache), on purpose. */
async function oursIn(temp: string): Promise<string[]> {
  return (await readdir(temp)).filter((name) => name.startsWith("dramake-"));
}

const cases = [
  { call: "a cut", hold: "libx264", leftover: "dramake-cut-" },
  { call: "a scene's dialogue", hold: "dramake-dialogue-", leftover: "dramake-dialogue-" },
  { call: "the final", hold: "-f concat", leftover: "dramake-concat-" },
];

for (const { call, hold, leftover } of cases) {
  test(`killed inside ${call}: its work files are in the build's scratch, swept by the next build; none in TMPDIR`, async () => {
    const dir = await copyFixture("builds/tiny");
    const temp = await mkdtemp(join(tmpdir(), "dramake-tmpdir-"));
    const pid = await killedWhileHolding(dir, temp, hold);

    assert.deepEqual(await oursIn(temp), [], "nothing in the system's temp directory");
    const scratch = join(dir, ".dramake/tmp");
    const runs = (await readdir(scratch)).filter((name) => name.startsWith(`run-${pid}-`));
    assert.ok(runs.length > 0, `the killed build's scratch is there: ${await readdir(scratch)}`);
    const inside = (await Promise.all(runs.map((r) => readdir(join(scratch, r))))).flat();
    assert.ok(inside.some((name) => name.startsWith(leftover)), `${call}'s work files are in it: ${inside}`);

    const again = await runCli(["build", dir], { env: { TMPDIR: temp } });
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual((await readdir(scratch)).filter((name) => name.startsWith(`run-${pid}-`)), [], "the next build swept it");
    assert.deepEqual(await oursIn(temp), [], "and still nothing in TMPDIR");
  });
}
