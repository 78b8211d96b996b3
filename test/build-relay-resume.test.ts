/**
 * Issue 9: a relay job's id is journaled the moment the create call answers.
 * A build killed (SIGKILL) while polling, then rebuilt, polls the same jobs:
 * one POST /videos/generations per scene across the kill.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFixture } from "./build-helpers.js";
import { KEY, waitUntil } from "./build-openai-helpers.js";
import { startOpenAIServer } from "./fixtures/openai-server/server.js";
import { startRelayServer } from "./fixtures/relay-server/server.js";
import { assertNoKeysUnder, buildRelay, RELAY, RELAY_KEY, spawnRelayBuild, type Fakes } from "./build-relay-helpers.js";

let fakes: Fakes;
before(async () => {
  // 150 status checks 20 ms apart: each job polls for three seconds or more, time to see both jobs polled and kill the build mid-poll.
  const [openai, relay] = await Promise.all([startOpenAIServer({ apiKey: KEY }), startRelayServer({ apiKey: RELAY_KEY, polls: 150 })]);
  fakes = { openai, relay };
});
after(async () => {
  await fakes.openai.close();
  await fakes.relay.close();
});

test("SIGKILL while relay jobs are polling, then rebuild: one create per scene across the kill", async () => {
  const dir = await copyFixture(RELAY);
  const { child, done } = spawnRelayBuild(fakes, dir);
  const polled = () => new Set(fakes.relay.log.filter((e) => e.route === "video.poll").map((e) => e.path.split("/").at(-1)));
  // Kill only once every job created so far has been polled: a job whose create was sent but whose answer the
  // killed build never heard of cannot be journaled by anyone, and would be created again (that window is the network's, not ours).
  const created = () => fakes.relay.log.filter((e) => e.route === "video.create").length;
  await waitUntil("both jobs created and polled", 30_000, () => polled().size === 2 && created() === 2);
  child.kill("SIGKILL");
  assert.equal((await done).code, null, "killed, not finished");
  assert.equal(fakes.relay.count("download"), 0, "killed before any clip was downloaded");
  const before = fakes.relay.log.filter((e) => e.route === "video.create").map((e) => e.body?.prompt);
  const inFlight = [...polled()];

  const rebuilt = await buildRelay(fakes, dir);
  assert.equal(rebuilt.code, 0, rebuilt.stderr);
  const prompts = fakes.relay.log.filter((e) => e.route === "video.create").map((e) => e.body?.prompt);
  assert.equal(prompts.length, 2, `one create per scene across the kill (before the kill: ${before.length})`);
  assert.equal(new Set(prompts).size, 2);
  for (const id of inFlight) {
    assert.ok(fakes.relay.log.some((e) => e.route === "download" && e.path.includes(String(id))), `the job ${id} polled before the kill is the one downloaded`);
  }
  await assertNoKeysUnder(dir);
});
