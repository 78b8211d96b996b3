/**
 * Issue 33, item 1: a build SIGKILLed after the server made a video job but
 * before the create's answer reached it (the fake server holds the answer
 * back) does not buy the clip again: the intent journaled before the create
 * leads the next build to the job through GET /videos, and it resumes it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyUnder, build, CLOUD, copyFixture, spawnDramake, startOpenAIServer, waitUntil } from "./build-openai-helpers.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer();
});
after(() => server.close());

/** Jobs the server made, per prompt (a create cut off before the server made its job costs nothing). */
function jobsPerPrompt(): Map<string, string[]> {
  const jobs = new Map<string, string[]>();
  for (const e of server.log) if (e.route === "videos.create" && e.job) jobs.set(e.prompt ?? "", [...(jobs.get(e.prompt ?? "") ?? []), e.job]);
  return jobs;
}

test("SIGKILL between a video job's creation and the create's answer, then rebuild: the job is found and resumed, not bought again", async () => {
  server.reset();
  const dir = await copyFixture(CLOUD);
  // The first create's job is made at once and its answer held back long enough to kill the build in between.
  server.inject("videos.create", { kind: "late-answer", ms: 60_000 });
  const { child, done } = spawnDramake(server, ["build", dir, "--json"]);
  await waitUntil("a video job made whose answer is held back", 60_000, () => server.log.some((e) => e.route === "videos.create" && e.job));
  child.kill("SIGKILL");
  assert.equal((await done).code, null, "killed, not finished");
  const lost = server.log.find((e) => e.route === "videos.create" && e.job)!;
  assert.equal(server.count("videos.retrieve"), server.log.filter((e) => e.route === "videos.retrieve" && !e.path.includes(lost.job!)).length, "the killed build never polled the job it did not hear about");

  const rebuilt = await build(server, dir);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  const twice = [...jobsPerPrompt()].filter(([, jobs]) => jobs.length > 1);
  assert.deepEqual(twice, [], "a clip bought twice across the kill");
  assert.ok(server.log.some((e) => e.route === "videos.list"), "the rebuild looked the job up");
  assert.ok(server.log.some((e) => e.route === "videos.content" && e.path.split("/")[3] === lost.job), `the job made before the kill (${lost.job}) is downloaded`);
  assert.ok(rebuilt.notices.some((n) => n.includes(lost.job!) && n.includes("resuming")), `the user is told: ${rebuilt.notices.join(" | ")}`);
  await assertNoKeyUnder(dir);
});

test("an intent with no job behind it (the create never reached the server) creates the clip once", async () => {
  server.reset();
  const dir = await copyFixture(CLOUD);
  // Refused before any job is made: the step fails with its intent journaled and no job on the server.
  server.inject("videos.create", { kind: "status", status: 400, message: "bad request", times: 10 });
  const failed = await build(server, dir, "--keep-going");
  assert.equal(failed.code, 1);
  assert.ok(server.count("videos.create") >= 1);
  assert.equal(jobsPerPrompt().size, 0, "no job was made");
  server.reset();

  const rebuilt = await build(server, dir);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  assert.ok(server.count("videos.list") >= 1, "looked for the job first");
  for (const [prompt, jobs] of jobsPerPrompt()) assert.equal(jobs.length, 1, `one job for ${prompt}`);
  assert.equal(jobsPerPrompt().size, 3, "every scene got its clip");
});
