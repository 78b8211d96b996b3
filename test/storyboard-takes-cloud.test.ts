/**
 * The storyboard's takes against the fake OpenAI server, served by a real
 * `dramake preview`: a retaken clip's card has both videos, the one not
 * chosen served from the cache (a real mp4, by ffprobe, ranged); "new take"
 * over `--budget` is refused with nothing sent and drama.yaml as it was; "use
 * this take" of take 1 sends nothing, rebuilds the first film byte for byte
 * and reloads the page. No API key in any page or answer.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { assertNoKeyIn, build, CLOUD, dramake, since, spawnDramake, startOpenAIServer } from "./build-openai-helpers.js";
import { copyFixture } from "./build-helpers.js";
import { postTake, reloadChannel, servedUrl, tokenOf } from "./takes-helpers.js";
import { probe } from "../src/media/probe.js";

let server: OpenAIServer;
before(async () => {
  // Every video job a new video, as a real model: take 2 is another clip.
  server = await startOpenAIServer({ variedVideos: true });
});
after(() => server?.close());

test("cloud: clip takes side by side from the cache; new take over budget sends nothing; take 1 again sends nothing and restores the first film", async (t) => {
  const dir = await copyFixture(CLOUD);
  const first = await build(server, dir);
  assert.equal(first.code, 0, first.stderr);
  const film = await readFile(join(dir, "build/cloud-test.mp4"));
  const retake = await dramake(server, ["retake", "scene/hello/clip", dir, "-q", "--yes"]);
  assert.equal(retake.code, 0, retake.stderr);
  const yaml = join(dir, "drama.yaml");
  const withTake2 = await readFile(yaml, "utf8");

  const { child, done } = spawnDramake(server, ["preview", dir, "--port", "0", "--budget", "0.01"]);
  t.after(async () => {
    child.kill("SIGINT");
    await done;
  });
  const url = await servedUrl(child);
  const page = await (await fetch(url)).text();
  assertNoKeyIn(page, "the served page");
  const token = tokenOf(page);

  const strip = /<section class="takes" aria-label="Clip takes" data-step="scene\/hello\/clip">[^]*?<\/section>/.exec(page)?.[0];
  assert.ok(strip, "the hello card has its clip's takes");
  assert.match(strip, /<li class="take" data-take="1">[^]*?<video [^>]*data-take-src="(\/__dramake\/take\/[0-9a-f]{16}\/video\.mp4)"/);
  assert.match(strip, /<li class="take chosen" data-take="2">[^]*?<video [^>]*src="scenes\/hello\/clip\.mp4"/);
  assert.match(strip, /take 1 · \$0\.40[^]*take 2 · \$0\.40 · <b>chosen<\/b>/, "what each take cost");
  assert.match(strip, /<dt>action<\/dt><dd>They meet at the door\.<\/dd><dt>camera<\/dt><dd>slow push-in<\/dd>/, "what it was made from");

  // Take 1 is not in build/: the server sends it from the cache, a real video, ranged for <video>.
  const cached = /data-take-src="(\/__dramake\/take\/[0-9a-f]{16}\/video\.mp4)"/.exec(strip)![1]!;
  const whole = await fetch(new URL(cached, url));
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get("content-type"), "video/mp4");
  const bytes = Buffer.from(await whole.arrayBuffer());
  const file = join(tmpdir(), `take-${process.pid}.mp4`);
  await writeFile(file, bytes);
  const info = await probe(file, AbortSignal.timeout(20_000));
  assert.ok(info.ok && info.value.duration > 0, "ffprobe reads a video");
  const part = await fetch(new URL(cached, url), { headers: { range: "bytes=0-99" } });
  assert.equal(part.status, 206);
  assert.equal((await part.arrayBuffer()).byteLength, 100);

  // A new take is priced first: over the budget it is refused, nothing sent, the file as it was.
  let mark = server.log.length;
  const refused = await postTake(url, "new", { step: "scene/hello/clip" }, token);
  const no = (await refused.json()) as { error: string; message: string };
  assert.equal(refused.status, 422, no.message);
  assert.equal(no.error, "refused");
  assert.match(no.message, /take 3 of scene\/hello\/clip: estimated cost \$0\.40 .* exceeds the budget of \$0\.01; nothing was run.*drama\.yaml is unchanged/);
  assertNoKeyIn(JSON.stringify(no), "the refusal");
  assert.deepEqual(since(server, mark), [], "not a single request");
  assert.equal(await readFile(yaml, "utf8"), withTake2);

  // Take 1 again: restored from the cache, the first film byte for byte.
  mark = server.log.length;
  const { reloaded } = await reloadChannel(url);
  const use = await postTake(url, "use", { step: "scene/hello/clip", take: 1 }, token);
  const yes = (await use.json()) as { message: string; estimate: number };
  assert.equal(use.status, 200, yes.message);
  assert.equal(yes.estimate, 0, "a take already made costs nothing");
  assert.equal(await readFile(yaml, "utf8"), withTake2.replace("      clip: 2", "      clip: 1"));
  await reloaded;
  assert.deepEqual(since(server, mark), [], "0 requests");
  assert.deepEqual(await readFile(join(dir, "build/cloud-test.mp4")), film, "byte-identical to the first film");
  assert.match(await (await fetch(url)).text(), /data-step="scene\/hello\/clip">[^]*?<li class="take chosen" data-take="1">/);
});

test("cloud: the new-take button shows the price; a post that did not agree to it is priced and refused as 'unconfirmed' (nothing sent, file as it was); agreeing to the estimate makes it", async (t) => {
  const dir = await copyFixture(CLOUD);
  const first = await build(server, dir);
  assert.equal(first.code, 0, first.stderr);
  const yaml = join(dir, "drama.yaml");
  const before = await readFile(yaml, "utf8");
  const { child, done } = spawnDramake(server, ["preview", dir, "--port", "0"]);
  t.after(async () => {
    child.kill("SIGINT");
    await done;
  });
  const url = await servedUrl(child);
  const page = await (await fetch(url)).text();
  const token = tokenOf(page);
  assert.match(page, /<button type="button" class="new-take" data-take-action="new" data-step="scene\/hello\/clip" hidden>new take · about \$0\.40<\/button>/, "the price on the button");
  // The page's script asks once, with the server's estimate, before it posts again agreeing to it.
  assert.match(page, /answer\.error === "unconfirmed"[^]*window\.confirm\(/);

  let mark = server.log.length;
  const asked = await postTake(url, "new", { step: "scene/hello/clip" }, token);
  const ask = (await asked.json()) as { error: string; take: number; estimate: number; message: string };
  assert.equal(asked.status, 409, ask.message);
  assert.deepEqual([ask.error, ask.take, ask.estimate], ["unconfirmed", 2, 0.4]);
  assert.deepEqual(since(server, mark), [], "not a single request");
  assert.equal(await readFile(yaml, "utf8"), before);
  // Agreeing to less than the estimate is the same refusal.
  const cheap = await postTake(url, "new", { step: "scene/hello/clip", confirm: 0.1 }, token);
  assert.equal(cheap.status, 409);
  assert.equal(await readFile(yaml, "utf8"), before);

  mark = server.log.length;
  const { reloaded } = await reloadChannel(url);
  const made = await postTake(url, "new", { step: "scene/hello/clip", confirm: ask.estimate }, token);
  const yes = (await made.json()) as { take: number; message: string };
  assert.equal(made.status, 200, yes.message);
  assert.equal(yes.take, 2);
  await reloaded;
  assert.equal(since(server, mark).filter((e) => e.route === "videos.create").length, 1, "one new video job");
});
