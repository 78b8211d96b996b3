/**
 * Without espeak-ng, the shipped example's first build warns of no overrun
 * (issue 33, item 19): the silent stand-in for a narrated beat is timed like
 * espeak-ng's fitted reading, not as long as the whole scene, so the cut
 * (lead-in + voice + tail) stays within the scene's seconds. Real CLI build
 * of examples/new-year-surprise at a small size (lengths do not depend on
 * it), PATH without espeak-ng; cut lengths probed with ffprobe.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { probe } from "../src/media/probe.js";
import { runCli } from "./build-helpers.js";

const EXAMPLE = fileURLToPath(new URL("../examples/new-year-surprise/", import.meta.url));

/** A PATH holding what a machine without espeak-ng has that a build uses (fontconfig's tools, if any). */
async function pathWithoutEspeak(): Promise<string> {
  const bin = await mkdtemp(join(tmpdir(), "dramake-bin-"));
  for (const tool of ["fc-list", "fc-match", "ffmpeg", "ffprobe"]) {
    try {
      await symlink(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), join(bin, tool));
    } catch {
      // not on this machine: the build finds its own ffmpeg
    }
  }
  return bin;
}

test("the example built without espeak-ng: timed silence, no overrun warning, the narrated scene's cut is its 4 s", { timeout: 300_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-noespeak-"));
  await cp(EXAMPLE, dir, { recursive: true, filter: (src) => !/[/\\](build|\.dramake)$/.test(src) });
  const text = await readFile(join(dir, "drama.yaml"), "utf8");
  assert.ok(text.includes("size: 720x1280, fps: 24"));
  await writeFile(join(dir, "drama.yaml"), text.replace("size: 720x1280, fps: 24", "size: 72x128, fps: 24"));
  await mkdir(join(dir, "build"), { recursive: true });

  const run = await runCli(["build", dir], { env: { ...process.env, PATH: await pathWithoutEspeak(), NO_COLOR: "1" } });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /espeak-ng not found: offline voices are timed silence/);
  assert.doesNotMatch(run.stderr, /warning: scene .* runs [\d.]+ s, past its/);
  const cut = await probe(join(dir, "build/scenes/decision/cut.mp4"), AbortSignal.timeout(30_000));
  assert.ok(cut.ok, "the decision cut is probed");
  assert.ok(Math.abs(cut.value.duration - 4) < 0.1, `the narrated 4 s scene's cut lasts ${cut.value.duration} s`);
});
