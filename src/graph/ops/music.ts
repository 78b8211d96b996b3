/**
 * `music`: made once per mood at a fixed length (or the user's file, as is)
 * and fitted to the episode at `final`, so editing a scene never regenerates it.
 * A series shares one `music`; an episode that sets its own gets
 * `episode/<ep>/music`.
 */
import type { StepSpec } from "../../engine/step.js";
import type { Music } from "../../project/schema.js";
import type { MusicRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { providerArgs } from "./provider.js";
import { referenceStep } from "./reference.js";
import { asJson } from "../json.js";
import type { Op } from "../../engine/ops.js";
import { storeGenerated } from "../call-context.js";
import { providerFor } from "./provider.js";

/** Length of generated music; `final` loops it to the episode. */
export const MUSIC_SECONDS = 32;
export const DEFAULT_MOOD = "gentle, hopeful";
/** The output name of a music step. */
export const MUSIC_OUTPUT = "audio";

/**
 * `episodeSeconds` is the length of the episode the music plays under (the
 * longest, for a series' shared music). Offline music is synthesized at a
 * fixed loopable length, so a scene edit never remakes it; a paid provider is
 * asked for the episode's length (a looped song sounds looped).
 */
export function musicStep(id: string, music: Music | undefined, backends: Backends, episodeSeconds: number): StepSpec {
  if (music && "file" in music) {
    return referenceStep(id, music.file, "audio", MUSIC_OUTPUT);
  }
  const backend = backends.music;
  const seconds = music?.seconds ?? (backend.remote ? Math.ceil(episodeSeconds) : MUSIC_SECONDS);
  const request: MusicRequest = { mood: music?.mood ?? DEFAULT_MOOD, seconds };
  return {
    id,
    kind: "music",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    take: (music && "take" in music ? music.take : undefined) ?? 1,
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    op: "music",
    args: providerArgs(backend.config),
  };
}

export const musicOp: Op = {
  name: "music",
  async run(params, io, args) {
    const provider = await providerFor(args, io);
    const { request } = params as unknown as { request: MusicRequest };
    await storeGenerated(io, "music.wav", MUSIC_OUTPUT, (call) => provider.music(request, call));
  },
};
