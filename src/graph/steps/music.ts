/**
 * `music`: made once per mood at a fixed length (or the user's file, as is)
 * and fitted to the episode at `final`, so editing a scene never regenerates it.
 */
import type { StepSpec } from "../../engine/step.js";
import type { Project } from "../../project/project.js";
import type { MusicRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { referenceStep } from "./reference.js";
import { asJson } from "../json.js";
import { stepId } from "../ids.js";

/** Length of generated music; `final` loops it to the episode. */
export const MUSIC_SECONDS = 32;
export const DEFAULT_MOOD = "gentle, hopeful";

export function musicStep(project: Project, backends: Backends): StepSpec {
  const music = project.music;
  if (music && "file" in music) {
    return referenceStep(stepId.music(), music.file, "audio", "audio");
  }
  const backend = backends.music;
  const request: MusicRequest = { mood: music?.mood ?? DEFAULT_MOOD, seconds: music?.seconds ?? MUSIC_SECONDS };
  return {
    id: stepId.music(),
    kind: "music",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    async run(ctx) {
      await storeGenerated(ctx, "music.wav", "audio", (call) => backend.provider.music(request, call));
    },
  };
}
