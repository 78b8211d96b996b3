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
import { loudnessJson, type LineTiming } from "../../media/index.js";
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
}

/** Not hashed: the voice steps in the order they are spoken (their ids and outputs are in the key). */
export interface DialogueArgs {
  readonly voices: readonly string[];
}

export function dialogueStep(ep: EpisodeView, scene: ResolvedScene, voices: number): StepSpec {
  const inputs = Array.from({ length: voices }, (_, i) => ep.ids.voice(scene.id, i + 1));
  const params: DialogueParams = { gap: DIALOGUE_GAP, voices };
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
    const { gap } = params as unknown as DialogueParams;
    const { voices } = args as unknown as DialogueArgs;
    const out = join(io.tmpDir, "dialogue.wav");
    // Empty: a voice slot past the lines the text model wrote (voice.ts).
    const spoken = voices.map((id) => io.inputs[id]![VOICE_OUTPUT]!).filter((a) => a.size > 0);
    const mixed = media(await mixDialogue(spoken.map((a) => a.path), out, { gap }, mediaRun(io)));
    await io.output(DIALOGUE_OUTPUT.audio, { file: out });
    await io.output(DIALOGUE_OUTPUT.timings, { bytes: JSON.stringify({ timings: mixed.timings, seconds: mixed.seconds }) });
    await io.output(DIALOGUE_OUTPUT.loudness, { bytes: loudnessJson(mixed.loudness) });
  },
};

/** For an op's run: when each line of an input dialogue step is spoken. */
export async function inputTimings(io: StepContext, step: string): Promise<LineTiming[]> {
  return (JSON.parse(await readFile(io.inputs[step]![DIALOGUE_OUTPUT.timings]!.path, "utf8")) as { timings: LineTiming[] }).timings;
}
