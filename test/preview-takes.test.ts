/**
 * "use this take" under plain `dramake preview` (no watch): nothing else
 * would build, so the preview server edits the take line, builds, and tells
 * the open pages to reload once the new storyboard is written. A real
 * process, the real HTTP post the page makes, the reload channel a page
 * listens on. Offline, at the tiny fixture's 180x320.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI, copyFixture, runCli } from "./build-helpers.js";
import { postTake, reloadChannel, servedUrl, tokenOf } from "./takes-helpers.js";

test("preview: use this take edits only the take line, builds, and reloads the page with it chosen", async (t) => {
  const dir = await copyFixture("builds/tiny");
  assert.equal((await runCli(["build", dir, "-q"])).code, 0);
  assert.equal((await runCli(["retake", "scene/hello/keyframe", dir, "-q"])).code, 0);
  const yaml = join(dir, "drama.yaml");
  const withTake2 = await readFile(yaml, "utf8");

  const child = spawn(process.execPath, [CLI, "preview", dir, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => child.kill("SIGINT"));
  const url = await servedUrl(child);
  const page = await (await fetch(url)).text();
  const token = tokenOf(page);
  assert.match(page, /data-step="scene\/hello\/keyframe"[^]*?<li class="take chosen" data-take="2">/);

  const { reloaded } = await reloadChannel(url);
  const r = await postTake(url, "use", { step: "scene/hello/keyframe", take: 1 }, token);
  const answer = (await r.json()) as { ok: boolean; take: number; building: boolean; file: string; message: string };
  assert.equal(r.status, 200, answer.message);
  assert.deepEqual([answer.ok, answer.take, answer.building, answer.file], [true, 1, true, "drama.yaml"]);
  assert.equal(await readFile(yaml, "utf8"), withTake2.replace("\n      keyframe: 2\n", "\n      keyframe: 1\n"), "only the take line changed");

  // While that build runs, another click waits its turn.
  const busy = await postTake(url, "new", { step: "scene/hello/clip" }, token);
  assert.equal(busy.status, 409);
  assert.equal(((await busy.json()) as { error: string }).error, "busy");

  await reloaded;
  const after = await (await fetch(url)).text();
  assert.match(after, /data-step="scene\/hello\/keyframe"[^]*?<li class="take chosen" data-take="1">/, "the reloaded page shows take 1 chosen");
  const lock = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")) as { steps: Record<string, { take?: number }> };
  assert.equal(lock.steps["scene/hello/keyframe"]!.take, undefined, "built with take 1");
});
