import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createOfflineProvider, OfflineProviderError } from "../src/providers/offline/index.js";
import type { CastMemberRef, KeyframeRequest, PortraitRequest } from "../src/providers/types.js";
import { wavSeconds } from "../src/media/wav.js";
import { callContext, digest, FPS, probed, scratch, TINY } from "./media-helpers.js";

const grandpa: CastMemberRef = { id: "grandpa", name: "Grandfather Wang", look: "70-year-old man, blue cotton jacket", voice: "en+m3" };
const son: CastMemberRef = { id: "son", name: "Wei", look: "40-year-old man, office shirt" };
const portraitReq: PortraitRequest = { castId: "grandpa", name: grandpa.name, look: grandpa.look, style: "warm light", language: "en", size: TINY };

/** Run `make` twice into fresh files and return both digests. */
async function twice(dir: string, name: string, make: (out: string, sub: string) => Promise<unknown>): Promise<[string, string, string]> {
  const outs: string[] = [];
  for (const n of [1, 2]) {
    const sub = join(dir, `${name}-${n}`);
    await mkdir(sub, { recursive: true });
    const out = join(sub, name);
    await make(out, sub);
    outs.push(out);
  }
  return [await digest(outs[0]!), await digest(outs[1]!), outs[0]!];
}

test("portrait and keyframe are PNG cards at the requested size, byte-identical across runs", async () => {
  const dir = await scratch("offline-cards");
  const p = createOfflineProvider();
  const [a, b, portrait] = await twice(dir, "portrait.png", (out, sub) => p.portrait(portraitReq, callContext(sub, out)));
  assert.equal(a, b, "same portrait request, same bytes");
  const info = await probed(portrait);
  assert.equal(info.video?.codec, "png");
  assert.deepEqual([info.video?.width, info.video?.height], [180, 320]);

  const other = join(dir, "son.png");
  await p.portrait({ ...portraitReq, castId: "son", name: son.name, look: son.look }, callContext(dir, other));
  assert.notEqual(await digest(other), a, "another cast member gets another card");

  const kf: KeyframeRequest = {
    sceneId: "the-call",
    setting: "small kitchen, New Year's Eve: one dim lamp",
    action: "He answers a video call; his smile fades.",
    camera: "slow push-in",
    style: "warm",
    language: "en",
    size: TINY,
    references: [
      { castId: "grandpa", look: grandpa.look, file: portrait },
      { castId: "son", look: son.look, file: other },
    ],
  };
  const [k1, k2, keyframe] = await twice(dir, "keyframe.png", (out, sub) => p.keyframe(kf, callContext(sub, out)));
  assert.equal(k1, k2, "same keyframe request, same bytes");
  const kinfo = await probed(keyframe);
  assert.deepEqual([kinfo.video?.codec, kinfo.video?.width, kinfo.video?.height], ["png", 180, 320]);
});

test("clip is H.264 yuv420p at the project size and fps, exactly `seconds` long, no audio, deterministic", async () => {
  const dir = await scratch("offline-clip");
  const p = createOfflineProvider();
  const key = join(dir, "key.png");
  await p.portrait(portraitReq, callContext(dir, key));
  for (const camera of ["slow push-in", "pan left", "static"]) {
    const [a, b, clip] = await twice(dir, `${camera.replace(/\W/g, "_")}.mp4`, (out, sub) =>
      p.clip({ sceneId: "s", keyframe: key, action: "", camera, seconds: 1.5, size: TINY, fps: FPS }, callContext(sub, out)),
    );
    assert.equal(a, b, `${camera}: same clip request, same bytes`);
    const info = await probed(clip);
    assert.equal(info.video?.codec, "h264");
    assert.equal(info.video?.pixFmt, "yuv420p");
    assert.deepEqual([info.video?.width, info.video?.height, info.video?.fps], [180, 320, FPS]);
    assert.equal(info.video?.frames, 18);
    assert.ok(Math.abs(info.duration - 1.5) < 0.01, `duration ${info.duration}`);
    assert.equal(info.audio, undefined);
  }
});

test("speech with espeak-ng is mono 16-bit speech at espeak-ng's own 22.05 kHz (the dialogue resamples), deterministic, voice from the cast member", async (t) => {
  const dir = await scratch("offline-speech");
  const p = createOfflineProvider();
  const req = { text: "Wei? You are not coming home?", language: "en", speaker: grandpa };
  const ctx = callContext(dir, join(dir, "v.wav"));
  const usage = await p.speech(req, ctx);
  if (usage.detail?.voice === "silence") return t.skip("espeak-ng is not installed here");
  assert.equal(usage.detail?.voice, "en+m3");
  assert.equal(usage.cost, 0);
  const [a, b, wav] = await twice(dir, "line.wav", (out, sub) => p.speech(req, callContext(sub, out)));
  assert.equal(a, b, "same line, same bytes");
  const info = await probed(wav);
  assert.deepEqual([info.audio?.codec, info.audio?.sampleRate, info.audio?.channels], ["pcm_s16le", 22050, 1]);
  assert.ok(info.duration > 1 && info.duration < 5, `duration ${info.duration}`);
  const header = wavSeconds(await readFile(wav)) ?? NaN;
  assert.ok(Math.abs(header - info.duration) < 1e-5, `its header says how long it is (${header} vs ffprobe's ${info.duration})`);
  const zh = await p.speech({ text: "你好，爸爸。", language: "zh-CN", speaker: son }, callContext(dir, join(dir, "zh.wav")));
  assert.match(String(zh.detail?.voice), /^cmn\+/, "no voice given: derived from the language and cast id");
});

test("without espeak-ng on the PATH speech is timed silence with exactly one notice", async () => {
  const dir = await scratch("offline-silence");
  const p = createOfflineProvider({ env: { PATH: "/nonexistent" } });
  const ctxs = [callContext(dir, join(dir, "a.wav")), callContext(dir, join(dir, "b.wav"))];
  await p.speech({ text: "Short.", language: "en", speaker: grandpa }, ctxs[0]!);
  await p.speech({ text: "A much longer line that takes a good while to say out loud.", language: "en", speaker: son }, ctxs[1]!);
  assert.equal(ctxs.flatMap((c) => c.notices).length, 1, "one notice per provider, not per line");
  assert.match(ctxs[0]!.notices[0]!, /espeak-ng not found/);
  const short = await probed(join(dir, "a.wav"));
  const long = await probed(join(dir, "b.wav"));
  assert.deepEqual([short.audio?.sampleRate, short.audio?.channels], [48000, 1]);
  assert.ok(long.duration > short.duration + 1, `longer text, longer silence (${short.duration} vs ${long.duration})`);
  const bytes = await readFile(join(dir, "b.wav"));
  assert.ok(bytes.subarray(44).every((v) => v === 0), "silence");
});

test("music is a 16 kHz stereo WAV exactly `seconds` long (its partials are all under 2 kHz), audible, and the same for the same mood on every machine", async () => {
  const dir = await scratch("offline-music");
  const p = createOfflineProvider();
  const [a, b, wav] = await twice(dir, "m.wav", (out, sub) => p.music({ mood: "emotional reunion, erhu and piano", seconds: 2.5 }, callContext(sub, out)));
  assert.equal(a, b);
  // Pinned (the bytes renderVersions.music 2 makes: the phasor synth at 16 kHz): a change to synth.ts
  // that changes them must bump the offline provider's renderVersions.music, so caches never serve
  // the old music under the same key.
  assert.equal(a, "72f5054cc00586ecde2956363cbc16879a2f8397b1f5318ac7c16bb368e710f1", "music bytes changed: bump renderVersions.music");
  assert.equal(p.renderVersions?.music ?? 1, 2);
  const info = await probed(wav);
  assert.deepEqual([info.audio?.sampleRate, info.audio?.channels], [16000, 2]);
  assert.equal(info.duration, 2.5);
  const other = join(dir, "sad.wav");
  await p.music({ mood: "sad lonely night", seconds: 2.5 }, callContext(dir, other));
  assert.notEqual(await digest(other), a, "another mood, other music");
  const samples = new Int16Array((await readFile(wav)).buffer.slice(44));
  assert.ok(samples.some((s) => Math.abs(s) > 2000), "not silent");
});

test("lines are placeholders that say so, one per cast member, free; estimate is 0", async () => {
  const dir = await scratch("offline-lines");
  const p = createOfflineProvider();
  const req = { title: "T", theme: "x", language: "en", sceneId: "decision", beat: "He decides.", cast: [grandpa, son] };
  const r = await p.lines(req, callContext(dir, join(dir, "lines.json")));
  assert.equal(r.cost, 0);
  assert.deepEqual(r.lines.map((l) => l.speaker), ["grandpa", "son"]);
  for (const l of r.lines) assert.match(l.text, /placeholder/);
  assert.deepEqual(JSON.parse(await readFile(join(dir, "lines.json"), "utf8")), { lines: r.lines });
  const four = await p.lines({ ...req, count: 4 } as typeof req, callContext(dir, join(dir, "l4.json")));
  assert.deepEqual(four.lines.map((l) => l.speaker), ["grandpa", "son", "grandpa", "son"]);
  for (const m of ["text", "image", "video", "speech", "music"] as const) assert.equal(p.estimate(m, {}), 0);
});

test("a failed generation rejects with OfflineProviderError carrying the typed failure; an abort rejects with the signal's reason", async () => {
  const dir = await scratch("offline-fail");
  const p = createOfflineProvider();
  const clipReq = { sceneId: "s", keyframe: join(dir, "missing.png"), action: "", camera: "static", seconds: 1, size: TINY, fps: FPS };
  await assert.rejects(p.clip(clipReq, callContext(dir, join(dir, "c.mp4"))), (e: unknown) => {
    assert.ok(e instanceof OfflineProviderError);
    assert.equal(e.failure.kind, "tool-failed");
    assert.match(e.message, /missing\.png/);
    return true;
  });
  const controller = new AbortController();
  const reason = new Error("build cancelled");
  controller.abort(reason);
  await assert.rejects(p.portrait(portraitReq, callContext(dir, join(dir, "p.png"), { signal: controller.signal })), (e) => e === reason);
});
