/** `scene/<id>/dialogue`: the scene's voices joined in order, with when each line is spoken. */
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import { mixDialogue } from "../../media/audio.js";
import { stepId } from "../ids.js";
import { media, mediaRun } from "./media-run.js";

/** Silence between lines, and before the first one. */
export const DIALOGUE_GAP = 0.35;

export function dialogueStep(scene: ResolvedScene, voices: number): StepSpec {
  const inputs = Array.from({ length: voices }, (_, i) => stepId.voice(scene.id, i + 1));
  return {
    id: stepId.dialogue(scene.id),
    kind: "ffmpeg",
    version: 1,
    params: { gap: DIALOGUE_GAP, voices },
    inputs,
    files: [],
    pool: "ffmpeg",
    async run(ctx) {
      const out = join(ctx.tmpDir, "dialogue.wav");
      const mixed = media(await mixDialogue(inputs.map((id) => ctx.inputs[id]!["audio"]!.path), out, { gap: DIALOGUE_GAP }, mediaRun(ctx)));
      await ctx.output("audio", { file: out });
      await ctx.output("timings", { bytes: JSON.stringify(mixed) });
    },
  };
}
