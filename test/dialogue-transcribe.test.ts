/**
 * Issue 29, timing native dialogue: transcribe() sends a clip's sound to an
 * OpenAI-compatible /audio/transcriptions through the SDK (multipart,
 * whisper-1, verbose_json, timestamp_granularities[]=word), and answers the
 * words with their times. The fake parses the multipart body and checks each
 * field as OpenAI's reference says; requests are counted; the key goes only
 * to that server and never into an error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createBackend } from "../src/providers/openai/config.js";
import { transcribe } from "../src/providers/openai/transcribe.js";
import { OpenAIProviderError } from "../src/providers/openai/errors.js";
import { callContext } from "./fixtures/openai-server/call-context.js";
import { startTranscribeFake, wavInfo } from "./fixtures/dialogue/transcribe-server.js";
import { silentClip, talkingClip } from "./fixtures/dialogue/media.js";

const KEY = "sk-transcribe-SECRET-0123456789";
const TUNING = { retry: { baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 5000 } };

async function clipFile(bytes: Buffer): Promise<{ file: string; ctx: Awaited<ReturnType<typeof callContext>> }> {
  const ctx = await callContext("json");
  const file = join(ctx.tmpDir, "clip.mp4");
  await writeFile(file, bytes);
  return { file, ctx };
}

const backend = (url: string) => createBackend({ name: "cloud", base_url: url, models: {} }, KEY, TUNING);

test("a native clip's sound: one multipart request with the fields the reference asks for; words with times inside the clip", async () => {
  const fake = await startTranscribeFake(KEY);
  try {
    fake.said = "Wei? You are not coming home?";
    const { file, ctx } = await clipFile(await talkingClip(3));
    const r = await transcribe(backend(fake.url), "whisper-1", { audio: file, language: "en-GB", prompt: "Wei? You are not coming home?" }, ctx);

    assert.equal(fake.calls.length, 1);
    const call = fake.calls[0]!;
    assert.equal(call.status, 200);
    assert.deepEqual(call.fields.model, ["whisper-1"]);
    assert.deepEqual(call.fields.response_format, ["verbose_json"]);
    assert.deepEqual(call.fields["timestamp_granularities[]"], ["word"]);
    assert.deepEqual(call.fields.language, ["en"], "the BCP-47 tag's language subtag");
    assert.deepEqual(call.fields.prompt, ["Wei? You are not coming home?"]);
    // The sound alone, as 16 kHz mono WAV, as long as the clip.
    const wav = wavInfo(call.file!.bytes)!;
    assert.equal(wav.rate, 16000);
    assert.equal(wav.channels, 1);
    assert.ok(Math.abs(wav.seconds - 3) < 0.1, `sound of ${wav.seconds} s`);
    assert.ok(call.file!.bytes.length < 200_000, "the picture is not uploaded");

    assert.deepEqual(r.transcript.words.map((w) => w.word), ["Wei?", "You", "are", "not", "coming", "home?"]);
    for (const w of r.transcript.words) assert.ok(w.start >= 0 && w.end > w.start && w.end <= 3, JSON.stringify(w));
    assert.deepEqual(JSON.parse(await readFile(ctx.outFile, "utf8")), r.transcript, "the step's output is the transcript");
    assert.ok(Math.abs(r.cost - (0.006 * 3) / 60) < 1e-4, `cost ${r.cost}`);
    assert.equal(call.authorization, `Bearer ${KEY}`);
  } finally {
    await fake.close();
  }
});

test("429 with Retry-After and a 500 are asked again; the answer is the third request's", async () => {
  const fake = await startTranscribeFake(KEY);
  try {
    fake.said = "Then I will come to you.";
    fake.faults.push({ status: 429, retryAfter: "0" }, { status: 500 });
    const { file, ctx } = await clipFile(await talkingClip(2));
    const r = await transcribe(backend(fake.url), "whisper-1", { audio: file }, ctx);
    assert.deepEqual(fake.calls.map((c) => c.status), [429, 500, 200]);
    assert.equal(r.transcript.words.length, 6);
  } finally {
    await fake.close();
  }
});

test("an answer without word times is an error (paid, booked), not an empty transcript; the key is not in it", async () => {
  const fake = await startTranscribeFake(KEY);
  try {
    fake.said = "Wei?";
    fake.ignoreGranularity = true;
    const { file, ctx } = await clipFile(await talkingClip(2));
    const e = await transcribe(backend(fake.url), "whisper-1", { audio: file }, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(e instanceof OpenAIProviderError);
    assert.equal(e.failure.kind, "invalid-output");
    assert.match(e.message, /no word timestamps/);
    assert.ok(!e.message.includes(KEY));
    assert.equal(fake.calls.length, 1, "not asked again: the answer was charged");
    assert.equal(ctx.spentLog.length, 1);
    await assert.rejects(readFile(ctx.outFile), "nothing written");
  } finally {
    await fake.close();
  }
});

test("a clip without sound fails before any request", async () => {
  const fake = await startTranscribeFake(KEY);
  try {
    const { file, ctx } = await clipFile(await silentClip(2));
    await assert.rejects(transcribe(backend(fake.url), "whisper-1", { audio: file }, ctx), /no sound to transcribe/);
    assert.equal(fake.calls.length, 0);
  } finally {
    await fake.close();
  }
});

test("a refused request (401) fails at once with the server's words, without the key", async () => {
  const fake = await startTranscribeFake("another-key");
  try {
    const { file, ctx } = await clipFile(await talkingClip(1));
    const e = await transcribe(backend(fake.url), "whisper-1", { audio: file }, ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(e instanceof OpenAIProviderError);
    assert.equal(e.failure.kind, "http");
    assert.match(e.message, /401/);
    assert.ok(!e.message.includes(KEY));
    assert.equal(fake.calls.length, 1);
  } finally {
    await fake.close();
  }
});
