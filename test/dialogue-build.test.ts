/**
 * Issue 29 through `dramake build`: one project with a native scene (Seedance
 * 2 with generate_audio and the speaker's voice sample, timed by whisper-1
 * word timestamps) and a lipsync scene (a silent clip, TTS voices, sync.so),
 * every request counted at fakes written from the vendors' references.
 *  - the final's sound carries the native clip's own sound (a 1 kHz tone only
 *    that clip has) in the native scene's span; the lipsync scene's picture
 *    is the lip-sync output (red), not the clip (green); the native scene's
 *    SRT cue lies inside its span and shows the script's words;
 *  - a line edit in the lipsync scene: 1 speech + 1 lip-sync job, 0 video jobs;
 *  - a line edit in the native scene: `plan` names the clip and the
 *    transcription with their price, then 1 video job + 1 transcription, 0
 *    speech; a model that said other words is warned at the line's file:line:col;
 *  - a setting edit in the lipsync scene: keyframe + clip + lip sync, no voice;
 *  - the voice sample is one series-wide step, made once.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { editProject, events, runCli, stepsIn } from "./build-helpers.js";
import { assertNoKeysUnder } from "./build-relay-helpers.js";
import { KEYS, UPLOAD_TOKEN } from "./fixtures/vendors/harness.js";
import { probe } from "./fixtures/openai-server/call-context.js";
import { dialogueEnv, dialogueProject, ffmpeg, OPENAI_KEY, startDialogueFakes, WHISPER_KEY, type DialogueFakes } from "./fixtures/dialogue/project.js";

const run = promisify(execFile);
let fakes: DialogueFakes;
let dir: string;
const env = () => dialogueEnv();

/** Counts at every fake, to subtract before and after a build. */
function counts() {
  return {
    video: fakes.ark.count("create"),
    lipsync: fakes.lips.count("create"),
    speech: fakes.cloud.count("audio.speech"),
    transcribe: fakes.whisper.calls.length,
  };
}
const delta = (a: ReturnType<typeof counts>, b: ReturnType<typeof counts>) => ({ video: b.video - a.video, lipsync: b.lipsync - a.lipsync, speech: b.speech - a.speech, transcribe: b.transcribe - a.transcribe });

async function build(): Promise<{ stdout: string; stderr: string }> {
  const r = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(r.code, 0, r.stderr + r.stdout.slice(-2000));
  return r;
}

/** Mean volume (dB) of the final's sound between two times, through a narrow band around `hz`. */
async function bandVolume(file: string, from: number, to: number, hz: number): Promise<number> {
  const r = await run(ffmpeg, ["-hide_banner", "-ss", String(from), "-to", String(to), "-i", file, "-vn", "-af", `bandpass=f=${hz}:width_type=q:w=8,volumedetect`, "-f", "null", "-"]);
  const m = /mean_volume: (-?[\d.]+) dB/.exec(r.stderr);
  assert.ok(m, r.stderr);
  return Number(m[1]);
}

/** The average colour of the picture at `at` seconds (top half, above the subtitles). */
async function colourAt(file: string, at: number): Promise<[number, number, number]> {
  const r = await run(ffmpeg, ["-hide_banner", "-loglevel", "error", "-ss", String(at), "-i", file, "-frames:v", "1", "-vf", "crop=iw:ih/2:0:0,scale=1:1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], { encoding: "buffer" });
  const b = r.stdout as unknown as Buffer;
  return [b[0]!, b[1]!, b[2]!];
}

interface Cue {
  start: number;
  end: number;
  text: string;
}
function cues(srt: string): Cue[] {
  const t = (s: string) => {
    const [h, m, rest] = s.split(":");
    return Number(h) * 3600 + Number(m) * 60 + Number(rest!.replace(",", "."));
  };
  return srt
    .trim()
    .split(/\r?\n\r?\n/)
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const [a, b] = lines[1]!.split(" --> ");
      return { start: t(a!), end: t(b!), text: lines.slice(2).join(" ") };
    });
}

before(async () => {
  fakes = await startDialogueFakes();
  dir = await mkdtemp(join(tmpdir(), "dramake-dialogue-"));
  await writeFile(join(dir, "drama.yaml"), dialogueProject(fakes));
});
after(() => fakes.close());

test("native and lipsync scenes build: the native clip's sound in the final, the lip-sync picture in the cut, native cues inside their span", async () => {
  fakes.whisper.said = "Wei, you are not coming home";
  const before = counts();
  const first = await build();
  const d = delta(before, counts());
  // One clip per scene; the lipsync scene's line and grandpa's voice sample are the only speech; one lip sync, one transcription.
  assert.deepEqual(d, { video: 2, lipsync: 1, speech: 2, transcribe: 1 });
  const ran = stepsIn(first.stdout, "ran");
  for (const id of ["cast/grandpa/voice-sample", "scene/the-call/transcribe", "scene/the-door/lipsync", "scene/the-door/voice/1"]) assert.ok(ran.includes(id), `${id} ran: ${ran.join(", ")}`);
  assert.ok(!ran.includes("scene/the-call/voice/1"), "no TTS for a native line");

  const creates = fakes.ark.log.filter((e) => e.route === "create");
  const nativeCreate = creates.find((e) => JSON.stringify(e.body).includes("Wei, you are not coming home"));
  assert.ok(nativeCreate, "the native line is in its clip's request");
  assert.equal(nativeCreate.body!.generate_audio, true);
  const parts = nativeCreate.body!.content as { type: string; role?: string }[];
  assert.equal(parts.filter((p) => p.type === "audio_url" && p.role === "reference_audio").length, 1, "grandpa's voice sample as reference audio");
  const silent = creates.find((e) => e !== nativeCreate)!;
  assert.equal(silent.body!.generate_audio, false, "the lipsync scene's clip is asked silent");
  assert.ok(!JSON.stringify(silent.body).includes("Who is it"), "a lipsync clip's request holds no line");

  const final = join(dir, "build", "talking.mp4");
  const info = await probe(final);
  assert.ok(info.streams.some((s) => s.codec_type === "audio"));
  const lengths = events(first.stdout);
  assert.ok(lengths.some((e) => e.event === "summary"));
  // The native scene comes first: its clip's 1 kHz tone is in the final there, and not under the lipsync scene.
  const inNative = await bandVolume(final, 0.5, 4.5, 1000);
  const inLipsync = await bandVolume(final, 6.5, 9, 1000);
  assert.ok(inNative > inLipsync + 20, `1 kHz: ${inNative} dB in the native scene, ${inLipsync} dB in the lipsync scene`);
  // The lipsync scene's picture is the sync output (red), the native scene's the clip (green).
  const [r1, g1] = await colourAt(final, 2);
  assert.ok(g1 > 100 && r1 < 80, `native scene picture ${r1},${g1}`);
  const [r2, g2] = await colourAt(final, 7.5);
  assert.ok(r2 > 150 && g2 < 80, `lipsync scene picture ${r2},${g2}: the lip-sync output's`);

  const srt = cues(await readFile(join(dir, "build", "talking.srt"), "utf8"));
  // The native scene's cues: the script's words (split for reading), inside the scene's span (its 5 s clip's sound plus the tail).
  const doorStart = srt.find((c) => c.text.includes("Who is it"))!.start;
  const native = srt.filter((c) => c.end <= doorStart);
  assert.equal(native.map((c) => c.text).join(" "), "Grandpa: Wei, you are not coming home", JSON.stringify(srt));
  assert.ok(native.every((c) => c.start >= 0 && c.end <= 5.6), `native cues inside the-call: ${JSON.stringify(native)}`);
  // The fake hears the words spread over the whole sound: the cues follow it, not a TTS voice's length.
  assert.ok(native.at(-1)!.end - native[0]!.start > 3.5, JSON.stringify(native));
  const call = fakes.whisper.calls.at(-1)!;
  assert.deepEqual(call.fields["timestamp_granularities[]"], ["word"]);
  assert.deepEqual(call.fields.response_format, ["verbose_json"]);
  await assertNoKeysUnder(dir, [KEYS.apiKey, UPLOAD_TOKEN, OPENAI_KEY, WHISPER_KEY]);

  const again = await build();
  assert.deepEqual(stepsIn(again.stdout, "ran"), []);
});

test("a line edit in the lipsync scene: 1 speech + 1 lip-sync job, 0 video jobs", async () => {
  const before = counts();
  await editProject(dir, "grandpa: Who is it", "grandpa: Who is there");
  const r = await build();
  assert.deepEqual(delta(before, counts()), { video: 0, lipsync: 1, speech: 1, transcribe: 0 });
  assert.ok(stepsIn(r.stdout, "ran").includes("scene/the-door/lipsync"));
});

test("a line edit in the native scene: plan prices the clip and the transcription, then 1 video job + 1 transcription, 0 speech; other words are warned at file:line:col", async () => {
  await editProject(dir, "grandpa: Wei, you are not coming home", "grandpa: Wei, you are not coming back");
  const plan = await runCli(["plan", "--json", dir], { env: env() });
  assert.equal(plan.code, 0, plan.stderr);
  const planned = events(plan.stdout).filter((e) => e.event === "plan" && e.action !== "cached") as { id: string; estimate: number }[];
  const paid = planned.filter((e) => e.estimate > 0).map((e) => [e.id, Math.round(e.estimate * 1e6) / 1e6]);
  // 5 s of Seedance at 0.1 a second, and 5 s of whisper-1 at 0.006 a minute; no voice.
  assert.deepEqual(paid, [["scene/the-call/clip", 0.5], ["scene/the-call/transcribe", 0.0005]]);
  assert.ok(!planned.some((e) => e.id.includes("/voice")), planned.map((e) => e.id).join(", "));
  const summary = events(plan.stdout).find((e) => e.event === "plan-summary") as { cost: { estimated: number } };
  assert.ok(Math.abs(summary.cost.estimated - 0.5005) < 1e-9, JSON.stringify(summary));

  fakes.whisper.said = "Wei, you are not coming home";
  const before = counts();
  const r = await build();
  assert.deepEqual(delta(before, counts()), { video: 1, lipsync: 0, speech: 0, transcribe: 1 });
  // Warned at the line's place in the file: its line number and the column of its speaker.
  const text = await readFile(join(dir, "drama.yaml"), "utf8");
  const row = text.split("\n").findIndex((l) => l.includes("grandpa: Wei, you are not coming back"));
  const col = text.split("\n")[row]!.indexOf("grandpa") + 1;
  const notices = events(r.stdout).filter((e) => e.event === "notice").map((e) => String(e.message));
  assert.ok(
    notices.some((m) => m.startsWith(`line 1 'Wei, you are not coming back' (drama.yaml:${row + 1}:${col}): the video model said "Wei, you are not coming home"`)),
    notices.join("\n"),
  );
  const srt = cues(await readFile(join(dir, "build", "talking.srt"), "utf8"));
  assert.ok(srt.map((c) => c.text).join(" ").includes("Grandpa: Wei, you are not coming back"), `subtitles show the script's words: ${JSON.stringify(srt)}`);
  // The storyboard marks each scene's mode and shows what the model said under the line.
  const page = await readFile(join(dir, "build", "storyboard.html"), "utf8");
  assert.match(page, /native dialogue: the video model speaks these lines/);
  assert.match(page, /lip sync: the clip&#39;s mouths follow these voices|lip sync: the clip's mouths follow these voices/);
  assert.match(page, /Wei, you are not coming back<\/span><span class="said">said: “Wei, you are not coming home”<\/span>/);
});

test("a setting edit in the lipsync scene: keyframe + clip + lip sync, voices untouched", async () => {
  const before = counts();
  await editProject(dir, "setting: a doorway", "setting: a doorway at night");
  const r = await build();
  assert.deepEqual(delta(before, counts()), { video: 1, lipsync: 1, speech: 0, transcribe: 0 });
  const ran = stepsIn(r.stdout, "ran");
  for (const id of ["scene/the-door/keyframe", "scene/the-door/clip", "scene/the-door/lipsync"]) assert.ok(ran.includes(id), ran.join(", "));
  assert.ok(!ran.some((id) => id.includes("/voice")), ran.join(", "));
});

test("a native clip that comes back without sound fails its step (no-native-audio, pointing at lipsync), nothing cached: the next build buys it again", async () => {
  fakes.nativeSilent = true;
  await editProject(dir, "grandpa: Wei, you are not coming back", "grandpa: Wei, are you coming back");
  const before = counts();
  const failed = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(failed.code, 1, failed.stderr);
  const step = events(failed.stdout).find((e) => e.event === "step" && e.id === "scene/the-call/clip") as { state: string; reason?: string; message?: string };
  assert.equal(step.state, "failed");
  assert.match(JSON.stringify(step), /no-native-audio/);
  assert.match(JSON.stringify(step), /dialogue: lipsync/);
  assert.deepEqual(delta(before, counts()), { video: 1, lipsync: 0, speech: 0, transcribe: 0 });

  fakes.nativeSilent = false;
  const again = await build();
  assert.deepEqual(delta(before, counts()), { video: 2, lipsync: 0, speech: 0, transcribe: 1 });
  assert.ok(stepsIn(again.stdout, "ran").includes("scene/the-call/clip"));
});

test("export stems: the native scene's lines are its speaker's (no voice steps), on grandpa's track", async () => {
  const out = join(dir, "stems-out");
  const r = await runCli(["export", "stems", "-o", out, dir], { env: env() });
  assert.equal(r.code, 0, r.stderr);
  const { readdir } = await import("node:fs/promises");
  const files = (await readdir(out, { recursive: true })).map(String).filter((f) => f.endsWith(".wav")).map((f) => f.split("/").at(-1)).sort();
  assert.ok(files.includes("dialogue-grandpa.wav"), files.join(", "));
  assert.ok(!files.some((f) => f!.includes("narrator")), `no narrator track for a native line: ${files.join(", ")}`);
});

test("a lipsync clip shorter than its dialogue fails before the lip-sync job is bought, naming the line that ends after the clip at its file:line:col", async () => {
  const long1 = "I have walked all the way from the station in the snow, and my knees are not what they were";
  const long2 = "so open the door before your dumplings go cold and your old father freezes on your doorstep";
  await editProject(dir, "      - grandpa: Who is there\n", `      - grandpa: ${long1}\n      - grandpa: ${long2}\n`);
  const before = counts();
  const r = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(r.code, 1, r.stderr);
  // Two new voices were bought; no lip-sync job, no new clip (its request holds no line).
  assert.deepEqual(delta(before, counts()), { video: 0, lipsync: 0, speech: 2, transcribe: 0 });
  const failed = events(r.stdout).find((e) => e.event === "step" && e.id === "scene/the-door/lipsync");
  assert.equal(failed?.state, "failed", JSON.stringify(failed));
  const text = await readFile(join(dir, "drama.yaml"), "utf8");
  const row = text.split("\n").findIndex((l) => l.includes(long2)) + 1;
  const message = JSON.stringify(failed);
  assert.ok(message.includes(`line 2 '${long2.slice(0, 39)}…' (drama.yaml:${row}:9) ends after the clip`), message);
});
