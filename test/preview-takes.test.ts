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
import { get } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI, copyFixture, runCli } from "./build-helpers.js";

/** Resolves when the reload channel says `event: reload` (a page would reload then). */
function nextReload(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get(new URL("/__dramake/events?page=%2F", url), (res) => {
      let seen = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        seen += chunk;
        if (seen.includes("event: reload")) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
    setTimeout(() => reject(new Error("no reload within 90 s")), 90_000).unref();
  });
}

test("preview: use this take edits only the take line, builds, and reloads the page with it chosen", async (t) => {
  const dir = await copyFixture("builds/tiny");
  assert.equal((await runCli(["build", dir, "-q"])).code, 0);
  assert.equal((await runCli(["retake", "scene/hello/keyframe", dir, "-q"])).code, 0);
  const yaml = join(dir, "drama.yaml");
  const withTake2 = await readFile(yaml, "utf8");

  const child = spawn(process.execPath, [CLI, "preview", dir, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  t.after(() => child.kill("SIGINT"));
  let out = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /storyboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", () => reject(new Error(`preview ended: ${out}`)));
  });
  const page = await (await fetch(url)).text();
  const token = /<meta name="dramake-token" content="([^"]+)">/.exec(page)?.[1];
  assert.ok(token, "the served page carries its token");
  assert.match(page, /data-step="scene\/hello\/keyframe"[^]*?<li class="take chosen" data-take="2">/);

  const reloaded = nextReload(url);
  const r = await fetch(new URL("/__dramake/takes/use", url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin, "x-dramake-token": token },
    body: JSON.stringify({ step: "scene/hello/keyframe", take: 1 }),
  });
  const answer = (await r.json()) as { ok: boolean; take: number; building: boolean; file: string; message: string };
  assert.equal(r.status, 200, answer.message);
  assert.deepEqual([answer.ok, answer.take, answer.building, answer.file], [true, 1, true, "drama.yaml"]);
  assert.equal(await readFile(yaml, "utf8"), withTake2.replace("\n      keyframe: 2\n", "\n      keyframe: 1\n"), "only the take line changed");

  // While that build runs, another click waits its turn.
  const busy = await fetch(new URL("/__dramake/takes/new", url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin, "x-dramake-token": token },
    body: JSON.stringify({ step: "scene/hello/clip" }),
  });
  assert.equal(busy.status, 409);
  assert.equal(((await busy.json()) as { error: string }).error, "busy");

  await reloaded;
  const after = await (await fetch(url)).text();
  assert.match(after, /data-step="scene\/hello\/keyframe"[^]*?<li class="take chosen" data-take="1">/, "the reloaded page shows take 1 chosen");
  const lock = JSON.parse(await readFile(join(dir, "drama.lock"), "utf8")) as { steps: Record<string, { take?: number }> };
  assert.equal(lock.steps["scene/hello/keyframe"]!.take, undefined, "built with take 1");
});
