/**
 * Issue 33, item 2 at the provider: every paid answer (chat, image, speech)
 * is handed to CallContext.answer.keep before it is checked and stored, and
 * a call that finds a kept answer finishes from it without a request. Kept
 * bytes that no longer check out are dropped and the call asks as before.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOpenAIServer, type OpenAIServer } from "./fixtures/openai-server/server.js";
import { callContext, probe, type RecordingContext } from "./fixtures/openai-server/call-context.js";
import { testProvider } from "./fixtures/openai-server/provider.js";
import type { CallContext, CastMemberRef } from "../src/providers/types.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer();
});
after(() => server.close());

const SIZE = { width: 720, height: 1280 };
const grandpa: CastMemberRef = { id: "grandpa", name: "Wang", look: "old", voice: "onyx" };
const son: CastMemberRef = { id: "son", name: "Wei", look: "tired", voice: "echo" };

/** A durable place for one call's answer, shared by the runs of that call (as a step's journal is). */
async function keeper(): Promise<{ file: string; kept: number; with(ctx: RecordingContext): CallContext }> {
  const file = join(await mkdtemp(join(tmpdir(), "kept-")), "answer");
  let has = false;
  const k = {
    file,
    kept: 0,
    with: (ctx: RecordingContext): CallContext => ({
      ...ctx,
      answer: {
        keep: async (f: string) => {
          await copyFile(f, file);
          has = true;
          k.kept++;
        },
        kept: () => (has ? file : undefined),
      },
    }),
  };
  return k;
}

test("a kept chat answer finishes the lines without a second chat request, at the same cost", async () => {
  server.reset();
  const k = await keeper();
  const req = { title: "T", theme: "home", language: "en", sceneId: "s", beat: "b", cast: [grandpa, son] };
  const first = await testProvider(server.url).lines(req, k.with(await callContext("json")));
  assert.equal(k.kept, 1);
  assert.equal(server.count("chat"), 1);
  const ctx = await callContext("json");
  const again = await testProvider(server.url).lines(req, k.with(ctx));
  assert.equal(server.count("chat"), 1, "no second request");
  assert.deepEqual(again.lines, first.lines);
  assert.equal(again.cost, first.cost);
  assert.deepEqual(JSON.parse(await readFile(ctx.outFile, "utf8")), { lines: first.lines });
});

test("a kept voice answer is the output without a request; kept image bytes that do not decode are asked for again", async () => {
  server.reset();
  const voice = await keeper();
  const line = { text: "Wei?", language: "en", speaker: grandpa };
  await testProvider(server.url).speech(line, voice.with(await callContext("wav")));
  const ctx = await callContext("wav");
  await testProvider(server.url).speech(line, voice.with(ctx));
  assert.equal(server.count("audio.speech"), 1);
  assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "audio");

  const picture = await keeper();
  const req = { castId: "grandpa", name: "Wang", look: "old", style: "warm", language: "en", size: SIZE };
  await testProvider(server.url).portrait(req, picture.with(await callContext("png")));
  await writeFile(picture.file, "not a picture");
  const pctx = await callContext("png");
  await testProvider(server.url).portrait(req, picture.with(pctx));
  assert.equal(server.count("images.generations"), 2, "broken kept bytes: asked again");
  assert.equal((await probe(pctx.outFile)).streams[0]?.codec_name, "png");
  assert.equal(picture.kept, 2, "the new answer is kept in their place");
});
