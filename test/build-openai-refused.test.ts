/**
 * Issue 33, item 3: a request the provider refused on content grounds (a
 * video job failed by moderation; an image answered 400 by the safety
 * system) is remembered by key with the provider's message. The next build
 * reports the step failed with that message without sending it; an edit to
 * its inputs or `--retry-failed` sends it again. Counted at the fake server.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { build, CLOUD, copyFixture, dramake, editProject, events, startOpenAIServer } from "./build-openai-helpers.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer();
});
after(() => server.close());

const MODERATION = "Your request was blocked by our moderation system.";
const creates = (prompt: string) => server.log.filter((e) => e.route === "videos.create" && e.prompt === prompt).length;

test("a video job refused by moderation is not sent again until --retry-failed", async () => {
  server.reset();
  const dir = await copyFixture(CLOUD);
  server.inject("videos.create", { kind: "video-fail", reason: MODERATION, code: "moderation_blocked" });
  const first = await build(server, dir, "--keep-going");
  assert.equal(first.code, 1);
  const refused = server.log.find((e) => e.route === "videos.create")!;
  const failed = [...first.steps].filter(([, s]) => s.state === "failed");
  assert.equal(failed.length, 1, "one clip failed");
  const [clipId] = failed[0]!;
  assert.equal(creates(refused.prompt!), 1);

  const second = await build(server, dir, "--keep-going");
  assert.equal(second.code, 1, "still failed");
  assert.equal(creates(refused.prompt!), 1, "the refused request was not sent again");
  assert.equal(second.steps.get(clipId)?.state, "failed");
  assert.match(second.steps.get(clipId)?.reason ?? "", /moderation system/, "with the provider's message");
  assert.match(second.steps.get(clipId)?.reason ?? "", /--retry-failed/);
  assert.equal(second.steps.get(clipId)?.failure?.["refused"], true);

  // status and plan show it failed, with the provider's message, not pending; and send nothing.
  const mark = server.log.length;
  const status = events((await dramake(server, ["status", dir, "--json"])).stdout).find((e) => e.id === clipId);
  assert.equal(status?.state, "failed");
  assert.match(String(status?.reason), /moderation system/);
  const planned = events((await dramake(server, ["plan", dir, "--json"])).stdout).find((e) => e.id === clipId);
  assert.equal(planned?.state, "failed");
  assert.match(String(planned?.refused), /moderation system/);
  const text = await dramake(server, ["plan", dir]);
  assert.match(text.stdout + text.stderr, new RegExp(`failed ${clipId}[\\s\\S]*refused by the provider: .*moderation system[\\s\\S]*--retry-failed`));
  assert.equal(server.log.length, mark);

  const third = await build(server, dir, "--retry-failed");
  assert.equal(third.code, 0, third.stderr);
  assert.equal(creates(refused.prompt!), 2, "--retry-failed sent it once more");
  const fourth = await build(server, dir);
  assert.equal(fourth.code, 0);
  assert.equal(creates(refused.prompt!), 2);
});

test("an image refused by the safety system (HTTP 400) is remembered; an edit to its inputs sends it again", async () => {
  server.reset();
  const dir = await copyFixture(CLOUD);
  server.inject("images.generations", { kind: "status", status: 400, message: "Your request was rejected as a result of our safety system." });
  const first = await build(server, dir, "--keep-going");
  assert.equal(first.code, 1);
  const asked = server.log.find((e) => e.route === "images.generations")!;
  const portraits = () => server.log.filter((e) => e.route === "images.generations" && e.prompt === asked.prompt).length;
  assert.equal(portraits(), 1);

  const second = await build(server, dir, "--keep-going");
  assert.equal(second.code, 1);
  assert.equal(portraits(), 1, "not sent again");

  const who = asked.prompt!.includes("Ann") ? "young woman, red coat" : "old man, grey hat";
  await editProject(dir, `look: ${who}`, `look: ${who}, smiling`);
  const edited = await build(server, dir);
  assert.equal(edited.code, 0, edited.stderr);
  assert.equal(server.log.filter((e) => e.route === "images.generations" && e.prompt?.includes("smiling")).length, 1, "the edited request was sent");
});

test("a server error is not a refusal: the next build sends the request again", async () => {
  server.reset();
  const dir = await copyFixture(CLOUD);
  server.inject("images.generations", { kind: "status", status: 500, message: "moderation service unavailable", times: 20 });
  const first = await build(server, dir, "--keep-going");
  assert.equal(first.code, 1);
  assert.ok(server.count("images.generations") >= 1);
  server.reset(); // the faults left over go too: the server is well again
  const second = await build(server, dir);
  assert.equal(second.code, 0, second.stderr);
  assert.ok(server.count("images.generations") >= 1, "sent again");
});
