/**
 * The `dialogue` op, `scene/<id>/dialogue`: the scene's voices joined in
 * order, with when each line is spoken, and its loudness (the blocks the
 * episode's mix adds up). Owns the timings output: `inputTimings` is its one reader.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepContext, StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import type { ResolvedScene } from "../../project/project.js";
import { mixDialogue } from "../../media/audio.js";
import { decodeWav, loudnessJson, writeWav, type LineTiming, type LoudnessProfile } from "../../media/index.js";
import { momentaryLoudness } from "../../media/loudness.js";
import { err } from "../../result.js";
import { placeLines } from "../plan/timing.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { VOICE_OUTPUT } from "./voice.js";

/** Silence between lines, and before the first one. */
export const DIALOGUE_GAP = 0.35;

/** The dialogue step's outputs. */
export const DIALOGUE_OUTPUT = { audio: "audio", timings: "timings", loudness: "loudness" } as const;

/** Hashed. */
export interface DialogueParams {
  readonly gap: number;
  readonly voices: number;
  /**
   * A multi-shot scene's written lines (issue 27): the earliest each line may
   * start, seconds into the cut (its shot's start, plan/timing.ts lineFloors).
   * Absent for a format-1 scene, whose key and layout stay as they were.
   */
  readonly floors?: readonly number[];
}

/** Not hashed: the voice steps in the order they are spoken (their ids and outputs are in the key). */
export interface DialogueArgs {
  readonly voices: readonly string[];
}

/** `floors`: a multi-shot scene's, one per voice (plan/timing.ts lineFloors); undefined lays the lines from the scene's start. */
export function dialogueStep(ep: EpisodeView, scene: ResolvedScene, voices: number, floors?: readonly number[]): StepSpec {
  const inputs = Array.from({ length: voices }, (_, i) => ep.ids.voice(scene.id, i + 1));
  // Rounded to a microsecond: the key holds what the file says, not a float's last digits.
  const params: DialogueParams = { gap: DIALOGUE_GAP, voices, ...(floors ? { floors: floors.map((f) => Math.round(f * 1e6) / 1e6) } : {}) };
  const args: DialogueArgs = { voices: inputs };
  return {
    id: ep.ids.dialogue(scene.id),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "dialogue",
    // 2: also its loudness, measured from the samples (the cut no longer measures it).
    version: 2,
    params: { ...params },
    args: { ...args },
    inputs,
    files: [],
    pool: "ffmpeg",
  };
}

export const dialogueOp: Op = {
  name: "dialogue",
  async run(params, io, args) {
    const { gap, floors } = params as unknown as DialogueParams;
    const { voices } = args as unknown as DialogueArgs;
    const out = join(io.tmpDir, "dialogue.wav");
    // Empty: a voice slot past the lines the text model wrote (voice.ts).
    const slots = voices.map((id, i) => ({ audio: io.inputs[id]![VOICE_OUTPUT]!, floor: floors?.[i] ?? 0 })).filter((v) => v.audio.size > 0);
    const paths = slots.map((v) => v.audio.path);
    const mixed = floors
      ? await onShots(paths, slots.map((v) => v.floor), gap, out, io)
      : media(await mixDialogue(paths, out, { gap }, mediaRun(io)));
    await io.output(DIALOGUE_OUTPUT.audio, { file: out });
    await io.output(DIALOGUE_OUTPUT.timings, { bytes: JSON.stringify({ timings: mixed.timings, seconds: mixed.seconds }) });
    await io.output(DIALOGUE_OUTPUT.loudness, { bytes: loudnessJson(mixed.loudness) });
  },
};

/**
 * Lines laid on their shots: the voices joined back to back (mixDialogue
 * converts them, sample-exact), then each moved to its place by the timing
 * rule (plan/timing.ts placeLines), counted in samples.
 */
async function onShots(voices: readonly string[], floors: readonly number[], gap: number, out: string, io: StepContext): Promise<{ timings: LineTiming[]; seconds: number; loudness: LoudnessProfile }> {
  const joined = media(await mixDialogue(voices, out, { gap: 0, lead: 0 }, mediaRun(io)));
  const pcm = decodeWav(await readFile(out));
  if (!pcm) return media(err({ kind: "bad-media", file: out, message: "the joined voices are not a 16-bit PCM WAV" }));
  const rate = pcm.sampleRate;
  const spans = joined.timings.map((t) => ({ from: Math.round(t.start * rate), to: Math.round(t.end * rate) }));
  const placed = placeLines(
    spans.map((s) => s.to - s.from),
    floors.map((f) => Math.round(f * rate)),
    Math.round(gap * rate),
  );
  const samples = new Int16Array(placed.at(-1)!.end);
  spans.forEach((s, i) => samples.set(pcm.samples.subarray(s.from, s.to), placed[i]!.start));
  const laid = { sampleRate: rate, channels: 1, samples };
  media(await writeWav(laid, out));
  return {
    timings: placed.map((p, index) => ({ index, start: p.start / rate, end: p.end / rate })),
    seconds: samples.length / rate,
    loudness: momentaryLoudness(laid),
  };
}

/** For an op's run: when each line of an input dialogue step is spoken. */
export async function inputTimings(io: StepContext, step: string): Promise<LineTiming[]> {
  return (JSON.parse(await readFile(io.inputs[step]![DIALOGUE_OUTPUT.timings]!.path, "utf8")) as { timings: LineTiming[] }).timings;
}
