/**
 * `scene/<id>/dialogue`: the scene's voices joined in order, with when each
 * line is spoken, and its loudness (the blocks the episode's mix adds up).
 * Owns the timings output: `inputTimings` is its one reader.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepContext, StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import { mixDialogue } from "../../media/audio.js";
import { loudnessJson, type LineTiming } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { VOICE_OUTPUT } from "../steps/voice.js";

/** Silence between lines, and before the first one. */
export const DIALOGUE_GAP = 0.35;

export function dialogueStep(ep: EpisodeView, scene: ResolvedScene, voices: number): StepSpec {
  const inputs = Array.from({ length: voices }, (_, i) => ep.ids.voice(scene.id, i + 1));
  return {
    id: ep.ids.dialogue(scene.id),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "dialogue",
    // 2: also its loudness, measured from the samples (the cut no longer measures it).
    version: 2,
    params: { gap: DIALOGUE_GAP, voices },
    inputs,
    files: [],
    pool: "ffmpeg",
    async run(ctx) {
      const out = join(ctx.tmpDir, "dialogue.wav");
      // Empty: a voice slot past the lines the text model wrote (voice.ts).
      const spoken = inputs.map((id) => ctx.inputs[id]![VOICE_OUTPUT]!).filter((a) => a.size > 0);
      const mixed = media(await mixDialogue(spoken.map((a) => a.path), out, { gap: DIALOGUE_GAP }, mediaRun(ctx)));
      await ctx.output("audio", { file: out });
      await ctx.output("timings", { bytes: JSON.stringify({ timings: mixed.timings, seconds: mixed.seconds }) });
      await ctx.output("loudness", { bytes: loudnessJson(mixed.loudness) });
    },
  };
}

/** For a step's run(): when each line of an input dialogue step is spoken. */
export async function inputTimings(ctx: StepContext, step: string): Promise<LineTiming[]> {
  return (JSON.parse(await readFile(ctx.inputs[step]!["timings"]!.path, "utf8")) as { timings: LineTiming[] }).timings;
}
