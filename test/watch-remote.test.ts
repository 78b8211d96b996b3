/**
 * `dramake watch` against the fake OpenAI-compatible server: a save while
 * paid video jobs are in flight stops the build, but the jobs run to the end
 * and are cached, so the new plan reuses them and no scene is paid for twice.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { CLOUD, KEY, cloudEnv, copyFixture, editProject, startOpenAIServer } from "./build-openai-helpers.js";
import { WatchProcess, stepIds } from "./watch-helpers.js";

let server: OpenAIServer;
before(async () => {
  // 100 status checks 20 ms apart: each video job takes two seconds or more, time to save over it
  // (a save within a second of a build's start waits for that second).
  server = await startOpenAIServer({ videoPolls: 100 });
});
after(() => server.close());

test("a save during paid remote steps: they finish and are cached, the new plan reuses them", async (t) => {
  const dir = await copyFixture(CLOUD);
  const w = new WatchProcess([dir], cloudEnv(server));
  t.after(() => w.stop());

  const clip = await w.next((e) => e.event === "started" && String(e.id).endsWith("/clip") && e.remote === true, 0, 60_000, "a remote clip started");
  const from = w.events.indexOf(clip);
  await editProject(dir, "- bob: Take my umbrella.", "- bob: Take my big umbrella.");
  await w.watchEvent("aborting", from);
  const stopped = await w.next((e) => e.event === "summary", from);
  assert.equal(stopped.e.aborted, true);
  const first = w.slice(from, w.events.indexOf(stopped) + 1);
  assert.ok(first.some((e) => e.event === "notice" && /paid remote step\(s\) finish/.test(String(e.message))), "says it lets paid steps finish");
  // The clip in flight when the save came ran to the end instead of being cancelled.
  assert.ok(stepIds(first, "ran").includes(clip.e.id as string), `${String(clip.e.id)} ran: ${JSON.stringify(first.filter((e) => e.id === clip.e.id))}`);

  const rebuilt = await w.next((e) => e.event === "summary", w.events.indexOf(stopped) + 1, 60_000, "the new plan's summary");
  assert.equal(rebuilt.e.aborted, undefined);
  assert.equal((rebuilt.e.steps as { failed: number }).failed, 0);
  const second = w.slice(w.events.indexOf(stopped) + 1, w.events.indexOf(rebuilt) + 1);
  assert.ok(stepIds(second, "cached").includes(clip.e.id as string), "the new plan reuses the finished paid clip");
  assert.ok(stepIds(second, "ran").includes("scene/hello/voice/2"), "and speaks the saved line");
  // One paid video job per scene over both builds.
  const prompts = server.log.filter((e) => e.route === "videos.create").map((e) => e.prompt);
  assert.equal(prompts.length, 3);
  assert.equal(new Set(prompts).size, 3);
  assert.ok(!w.stderr.includes(KEY) && !JSON.stringify(w.events).includes(KEY), "the API key is never printed");

  // The beat-only scene's card shows the lines as spoken: the polish model's, read from the store, not placeholders.
  await w.watchEvent("idle", w.events.indexOf(rebuilt));
  const page = await readFile(join(dir, "build/storyboard.html"), "utf8");
  const think = /<article[^>]+id="scene-think"[^]*?<\/article>/.exec(page)?.[0] ?? "";
  const texts = [...think.matchAll(/<li(?: class="placeholder")?><span class="speaker">Bob<\/span><span class="text">([^<]*)<\/span>/g)].map((m) => m[1]);
  assert.ok(texts.length >= 2, think);
  for (const text of texts) assert.match(text!, /\(polished\)$/);
  assert.doesNotMatch(think, /class="placeholder"/);
  assert.deepEqual(await w.stop(), { code: 0, signal: null });
});

test("a build refused by the budget spends nothing, says why as an error event, and watch goes on", async (t) => {
  const dir = await copyFixture(CLOUD);
  const mark = server.log.length;
  const w = new WatchProcess([dir, "--budget", "0.0001"], cloudEnv(server));
  t.after(() => w.stop());
  const refused = await w.next((e) => e.event === "error", 0, 60_000, "an error event");
  assert.equal(refused.e.kind, "over-budget");
  assert.match(String(refused.e.message), /exceeds the budget/);
  await w.watchEvent("idle", 0);
  assert.equal(server.log.length, mark, "no request reached the provider");
  assert.deepEqual(await w.stop(), { code: 0, signal: null });
});
