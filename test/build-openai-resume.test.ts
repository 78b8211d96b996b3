/**
 * Issue 5: a build killed (SIGKILL: no cleanup at all) while video jobs are
 * being polled, then rebuilt, resumes polling the same paid jobs: the server
 * never sees a second POST /videos for a scene whose job was already polled.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, build, CLOUD, copyFixture, spawnDramake, startOpenAIServer, waitUntil } from "./build-openai-helpers.js";

let server: OpenAIServer;
let dir: string;
before(async () => {
  // 50 status checks, 20 ms apart: each job polls for a second or more, time to kill the build mid-poll.
  server = await startOpenAIServer({ videoPolls: 50 });
  dir = await copyFixture(CLOUD);
});
after(() => server.close());

const jobOf = (path: string) => path.split("/")[3];

test("SIGKILL while a video job is polling, then rebuild: no second POST /videos for that scene", async () => {
  const { child, done } = spawnDramake(server, ["build", dir, "--json"]);
  const polled = () => new Set(server.log.filter((e) => e.route === "videos.retrieve").map((e) => jobOf(e.path)));
  await waitUntil("a POST /videos and a poll of its job", 30_000, () => polled().size > 0);
  child.kill("SIGKILL");
  const killed = await done;
  assert.equal(killed.code, null, "killed, not finished");

  // The jobs polled before the kill, and the scene (prompt) each was created for.
  const creates = server.log.filter((e) => e.route === "videos.create");
  const inFlight = [...polled()].map((job) => creates.find((c) => c.job === job)!);
  assert.ok(inFlight.length >= 1);
  assert.equal(server.count("videos.content"), 0, "killed before any clip was downloaded");
  const mark = server.log.length;

  const rebuilt = await build(server, dir);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.equal(rebuilt.summary.output, "build/cloud-test.mp4");
  const after = server.log.slice(mark);
  for (const job of inFlight) {
    const again = after.filter((e) => e.route === "videos.create" && e.prompt === job.prompt);
    assert.deepEqual(again, [], `a second POST /videos for the scene of ${job.job}`);
    assert.ok(after.some((e) => e.route === "videos.content" && jobOf(e.path) === job.job), `the resumed job ${job.job} is downloaded`);
  }
  // Every scene got its clip, from a job made by whichever build got to it first.
  const prompts = server.log.filter((e) => e.route === "videos.create").map((e) => e.prompt);
  assert.equal(new Set(prompts).size, 3);
  await assertNoKeyUnder(dir);
});
