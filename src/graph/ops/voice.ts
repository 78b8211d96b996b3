/**
 * `scene/<id>/voice/<n>`: one spoken line. For written lines the text is a
 * parameter, so editing one line re-voices only that line. For generated
 * lines the text comes from the scene's lines step at run time; a scene has
 * a voice step for every line its lines step may write, and those past the
 * lines written store an empty output, free, that the dialogue leaves out.
 */
import type { Json, StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { Line, SpeechRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { providerArgs } from "./provider.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { sceneTake } from "../takes.js";
import { speakerRefs } from "../scene-cast.js";
import type { Op } from "../../engine/ops.js";
import type { SpeakerRef } from "../../providers/types.js";
import { storeGenerated } from "../call-context.js";
import { inputLines } from "./lines.js";
import { providerFor } from "./provider.js";

/** The output name of a voice step: one line, spoken. */
export const VOICE_OUTPUT = "audio";

/** Where a voice step's line comes from: the project, or the step that wrote the scene's lines (drafts, or their polish). */
export type LineSource =
  | { readonly written: Line }
  | { readonly generated: { readonly index: number; readonly cast: readonly string[]; readonly from: string } }
  /** A beat-only scene with no writer (offline): the narrator reads the beat, within the scene's length. */
  | { readonly narration: { readonly text: string; readonly seconds: number } };

/** The narrator's speaker id: not a cast id (those have no "~"), so no cast member's voice is ever reused for it. */
export const NARRATOR = "~narrator";

export function voiceStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, n: number, source: LineSource): StepSpec {
  const backend = backends.speech;
  const refs = (ids: readonly string[]) => speakerRefs(ep, ids, backend.name);
  const narration = "narration" in source ? source.narration : undefined;
  const written = "written" in source ? source.written : narration ? { speaker: NARRATOR, text: narration.text } : undefined;
  const linesId = "generated" in source ? source.generated.from : ep.ids.lines(scene.id);
  const request = (line: Line): SpeechRequest =>
    narration
      ? { text: line.text, language: ep.language, speaker: { id: NARRATOR }, fitSeconds: narration.seconds }
      : { text: line.text, language: ep.language, speaker: refs([line.speaker])[0]! };
  // Made once: the parameters and the price read the same request (8,000 voices at 10,000 steps).
  const writtenRequest = written && request(written);
  const params = writtenRequest
    ? { backend: backend.identity, request: asJson(writtenRequest) }
    : // The speaker is known only once the lines exist: every possible voice is a parameter.
      { backend: backend.identity, line: n, language: ep.language, cast: asJson(refs("generated" in source ? source.generated.cast : [])) };
  return {
    id: ep.ids.voice(scene.id, n),
    kind: "speech",
    version: 1,
    take: sceneTake(scene, `voice/${n}`),
    params,
    inputs: written ? [] : [linesId],
    files: [],
    ...servedBy(backend, writtenRequest ?? { text: "x".repeat(80) }),
    op: "voice",
    args: { ...(providerArgs(backend.config) as Record<string, Json>), ...(written ? {} : { lines: linesId }) },
  };
}

/** A voice's params: the whole request for a written line; for a generated one, its slot, language and every possible speaker. */
type VoiceParams = { readonly request: SpeechRequest } | { readonly line: number; readonly language: string; readonly cast: readonly SpeakerRef[] };

export const voiceOp: Op = {
  name: "voice",
  async run(params, io, args) {
    const p = params as unknown as VoiceParams;
    let request: SpeechRequest;
    if ("request" in p) request = p.request;
    else {
      const line: Line | undefined = (await inputLines(io, (args as unknown as { lines: string }).lines))[p.line - 1];
      if (!line) {
        // A slot past the lines written: empty and free; the dialogue leaves it out.
        await io.output(VOICE_OUTPUT, { bytes: "" });
        return;
      }
      request = { text: line.text, language: p.language, speaker: p.cast.find((c) => c.id === line.speaker) ?? { id: line.speaker } };
    }
    const provider = await providerFor(args, io);
    await storeGenerated(io, "voice.wav", VOICE_OUTPUT, (call) => provider.speech(request, call));
  },
};
