/**
 * Issue 33, item 2: a build SIGKILLed after a paid answer (image, speech) came
 * back but before the step stored it finishes from the kept answer on the next
 * build, without asking again. The kill lands in the answer's decode check
 * (the fake runner holds that ffmpeg command), which is between the answer
 * and the store. One request in flight per modality, so every request the
 * fake server logs is one the build needed or one it paid twice for.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { CLI, runCli } from "./build-helpers.js";
import { FAKE_RUNNER } from "./watch-helpers.js";
import type { OpenAIServer, Route } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, cloudEnv, CLOUD, copyFixture, editProject, startOpenAIServer } from "./build-openai-helpers.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer();
});
after(() => server.close());

/** `dramake build dir` until the first command matching `hold` is held, then SIGKILL. */
function killedWhileHolding(dir: string, hold: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...FAKE_RUNNER, CLI, "build", dir], {
      env: { ...process.env, NO_COLOR: "1", ...cloudEnv(server), DRAMAKE_TEST_HOLD: hold },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.includes("fake runner: holding")) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("close", (code, signal) => (signal === "SIGKILL" ? resolve() : reject(new Error(`the build ended (${code}) before holding /${hold}/:\n${stderr}`))));
  });
}

/** Requests per prompt (images) or text (speech) on these routes. */
function asked(routes: readonly Route[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const e of server.log) if ((routes as string[]).includes(e.route)) n.set(e.prompt ?? e.input ?? "", (n.get(e.prompt ?? e.input ?? "") ?? 0) + 1);
  return n;
}

const cases = [
  { what: "an image", hold: String.raw`-i \S+/portrait\.png -map 0:v:0`, routes: ["images.generations", "images.edits"] as Route[] },
  { what: "a voice line", hold: String.raw`-i \S+/voice\.wav -map 0:a:0`, routes: ["audio.speech"] as Route[] },
];

for (const { what, hold, routes } of cases) {
  test(`SIGKILL between ${what}'s answer and its store: the rebuild finishes from the kept answer, no request repeated`, async () => {
    server.reset();
    const dir = await copyFixture(CLOUD);
    // One request in flight per modality: the kill never cuts one off mid-air (that one would be lost honestly).
    await editProject(dir, "concurrency: { text: 2, image: 2, speech: 4, video: 2 }", "concurrency: { text: 1, image: 1, speech: 1, video: 2 }");
    await killedWhileHolding(dir, hold);
    const before = asked(routes);
    assert.ok(before.size >= 1, `${what} was asked for before the kill`);

    const again = await runCli(["build", dir], { env: cloudEnv(server) });
    assert.equal(again.code, 0, again.stderr);
    const all = asked(routes);
    const twice = [...all].filter(([, n]) => n > 1).map(([p]) => p);
    assert.deepEqual(twice, [], `answers bought twice across the kill`);
    await assertNoKeyUnder(dir);
  });
}
