/**
 * Issue 29, native dialogue through the video presets: the shot's lines go
 * into the clip prompt in the form each preset documents (speaker, a few
 * words of look, voice style, language, the line in quotes); Seedance gets
 * generate_audio: true and the speakers' voice samples as reference audio
 * (URLs through uploads); a clip that comes back without sound fails as
 * no-native-audio with nothing kept; a model without sound is refused
 * before anything is paid. Requests counted at the fakes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClipRequest, NativeDialogue } from "../src/providers/types.js";
import { OpenAIProviderError } from "../src/providers/openai/errors.js";
import { probe } from "../src/media/probe.js";
import { callContext } from "./fixtures/openai-server/call-context.js";
import { startVendorFake } from "./fixtures/vendors/server.js";
import { seedanceShape } from "./fixtures/vendors/seedance.js";
import { klingShape } from "./fixtures/vendors/kling.js";
import { veoShape } from "./fixtures/vendors/veo.js";
import { startUploadStore } from "./fixtures/vendors/upload-store.js";
import { KEYS, UPLOAD_TOKEN, clipRequest, leaks, vendorVideo } from "./fixtures/vendors/harness.js";
import { talkingClip, voice } from "./fixtures/dialogue/media.js";

async function samples(): Promise<{ grandpa: string; son: string }> {
  const dir = await mkdtemp(join(tmpdir(), "voice-samples-"));
  const grandpa = join(dir, "grandpa.wav");
  const son = join(dir, "son.wav");
  await writeFile(grandpa, await voice(2, 180));
  await writeFile(son, await voice(2, 260));
  return { grandpa, son };
}

async function nativeRequest(seconds: number, withSamples = true): Promise<ClipRequest> {
  const s = await samples();
  const dialogue: NativeDialogue = {
    language: "en-US",
    lines: [
      { castId: "grandpa", name: "Grandpa", look: "old man, weathered face, kind eyes, blue cotton jacket, grey hair", style: "warm and slow", text: "Wei? You are not coming home?", ...(withSamples ? { voiceSample: s.grandpa } : {}) },
      { castId: "son", name: "Wei", look: "tired man in an office shirt", text: 'Dad, I\'m sorry. "Work".', ...(withSamples ? { voiceSample: s.son } : {}) },
      { castId: "grandpa", name: "Grandpa", look: "old man, weathered face, kind eyes, blue cotton jacket, grey hair", style: "warm and slow", text: "I see.", ...(withSamples ? { voiceSample: s.grandpa } : {}) },
    ],
  };
  return { ...(await clipRequest(seconds)), dialogue };
}

const creates = (fake: Awaited<ReturnType<typeof startVendorFake>>) => fake.log.filter((e) => e.route === "create");

test("Seedance, native: the lines in the prompt in order, generate_audio true, each speaker's sample once as reference audio; the clip's sound is kept", async () => {
  const fake = await startVendorFake(seedanceShape, KEYS, { clip: await talkingClip(5) });
  const store = await startUploadStore(UPLOAD_TOKEN);
  try {
    const uploads = { put: `${store.origin}/put/{sha256}{ext}`, get: `${store.origin}/pub/{sha256}{ext}` };
    const video = vendorVideo("seedance", fake.url, { uploads });
    const ctx = await callContext("mp4");
    await video.video(await nativeRequest(5), ctx);

    assert.equal(creates(fake).length, 1);
    const body = creates(fake)[0]!.body as { generate_audio: boolean; content: { type: string; text?: string; role?: string; audio_url?: { url: string } }[] };
    assert.equal(body.generate_audio, true);
    const text = body.content[0]!.text!;
    const first = text.indexOf('Grandpa (old man, weathered face, kind eyes, blue cotton), warm and slow, says in English: "Wei? You are not coming home?"');
    const second = text.indexOf(`Wei (tired man in an office shirt) says in English: "Dad, I'm sorry. 'Work'."`);
    const third = text.indexOf('says in English: "I see."');
    assert.ok(first > 0 && second > first && third > second, text);
    assert.match(text, /^He answers a video call; his smile fades\. Camera: slow push-in\. /);
    const audios = body.content.filter((c) => c.type === "audio_url");
    assert.equal(audios.length, 2, "one sample per speaker, not per line");
    assert.ok(audios.every((a) => a.role === "reference_audio" && a.audio_url!.url.startsWith(`${store.origin}/pub/`)));
    assert.equal(store.log.filter((e) => e.method === "PUT").length, 2);

    const info = await probe(ctx.outFile, ctx.signal);
    assert.ok(info.ok && info.value.audio, "the native clip keeps its sound");
    assert.ok(fake.log.filter((e) => e.side === "cdn").every((e) => e.credentials.length === 0));
    assert.equal(leaks(JSON.stringify(fake.log)), undefined);
  } finally {
    await fake.close();
    await store.close();
  }
});

test("Seedance, voice-over: no dialogue in the prompt, generate_audio false, no reference audio", async () => {
  const fake = await startVendorFake(seedanceShape, KEYS);
  try {
    await vendorVideo("seedance", fake.url).video(await clipRequest(5), await callContext("mp4"));
    const body = creates(fake)[0]!.body as { generate_audio: boolean; content: { type: string; text?: string }[] };
    assert.equal(body.generate_audio, false);
    assert.doesNotMatch(body.content[0]!.text!, /Dialogue|says/);
    assert.equal(body.content.filter((c) => c.type === "audio_url").length, 0);
  } finally {
    await fake.close();
  }
});

test("a native clip that comes back silent fails as no-native-audio: nothing kept, the job booked, lipsync suggested", async () => {
  const fake = await startVendorFake(seedanceShape, KEYS); // its clip has no sound track
  try {
    const video = vendorVideo("seedance", fake.url, { prices: { "doubao-seedance-2-0-260128": { per_second: 0.1 } } });
    const ctx = await callContext("mp4");
    const e = await video.video(await nativeRequest(5, false), ctx).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(e instanceof OpenAIProviderError, String(e));
    assert.equal(e.failure.kind, "no-native-audio");
    assert.match(e.message, /no-native-audio: .*without an audio stream.*dialogue: lipsync/);
    await assert.rejects(stat(ctx.outFile), "no output left to cache");
    assert.deepEqual(ctx.spentLog, [0.5], "the paid job is counted");
    assert.equal(creates(fake).length, 1);
  } finally {
    await fake.close();
  }
});

test("before paying: a model without sound refuses a native shot; samples without an upload store fail too", async () => {
  const fake = await startVendorFake(seedanceShape, KEYS);
  try {
    const silentModel = vendorVideo("seedance", fake.url, { model: "doubao-seedance-1-0-pro-250528" });
    const e = await silentModel.video(await nativeRequest(5, false), await callContext("mp4")).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(e instanceof OpenAIProviderError);
    assert.equal(e.failure.kind, "unsupported");
    assert.match(e.message, /makes no sound.*dialogue: lipsync/);

    const noStore = vendorVideo("seedance", fake.url);
    await assert.rejects(noStore.video(await nativeRequest(5), await callContext("mp4")), /uploads/);
    assert.equal(fake.log.length, 0, "nothing reached the vendor");
  } finally {
    await fake.close();
  }
});

test("Kling, native: the bracket form of its sound guide, sound on; no reference audio, so no upload store needed", async () => {
  const fake = await startVendorFake(klingShape, KEYS, { clip: await talkingClip(5) });
  try {
    const ctx = await callContext("mp4");
    await vendorVideo("kling", fake.url).video(await nativeRequest(5), ctx);
    const body = creates(fake)[0]!.body as { sound: string; prompt: string };
    assert.equal(body.sound, "on");
    assert.match(body.prompt, /\[Grandpa, old man, weathered face, kind eyes, blue cotton, warm and slow, English\]: "Wei\? You are not coming home\?"/);
    assert.match(body.prompt, /\[Wei, tired man in an office shirt, English\]: "Dad, I'm sorry\. 'Work'\."/);
    const info = await probe(ctx.outFile, ctx.signal);
    assert.ok(info.ok && info.value.audio);

    // Voice-over with the same model: sound off.
    await vendorVideo("kling", fake.url).video(await clipRequest(5), await callContext("mp4"));
    assert.equal((creates(fake)[1]!.body as { sound: string }).sound, "off");
  } finally {
    await fake.close();
  }
});

test("Veo 3.1, native: the says form of its prompt guide (it always makes sound); the clip's sound is kept", async () => {
  const fake = await startVendorFake(veoShape, KEYS, { clip: await talkingClip(6) });
  try {
    const ctx = await callContext("mp4");
    await vendorVideo("veo", fake.url).video(await nativeRequest(6, false), ctx);
    const prompt = (creates(fake)[0]!.body as { instances: { prompt: string }[] }).instances[0]!.prompt;
    assert.match(prompt, /Grandpa \(old man, weathered face, kind eyes, blue cotton\), warm and slow, says in English: "Wei\? You are not coming home\?"/);
    assert.match(prompt, /No music, no subtitles or captions\.$/);
    const info = await probe(ctx.outFile, ctx.signal);
    assert.ok(info.ok && info.value.audio);
  } finally {
    await fake.close();
  }
});
