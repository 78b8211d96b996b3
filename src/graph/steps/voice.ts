/**
 * `scene/<id>/voice/<n>`: one spoken line. For written lines the text is a
 * parameter, so editing one line re-voices only that line. For generated
 * lines the text comes from the scene's lines step at run time.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import type { Project, ResolvedScene } from "../../project/project.js";
import type { Line, SpeechRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { asJson } from "../json.js";
import { stepId } from "../ids.js";
import { speakerRefs } from "../scene-cast.js";
import { StepFailure } from "../step-failure.js";

/** Where a voice step's line comes from: the project, or the step that wrote the scene's lines (drafts, or their polish). */
export type LineSource =
  | { readonly written: Line }
  | { readonly generated: { readonly index: number; readonly cast: readonly string[]; readonly from: string } };

export async function readGeneratedLines(file: string): Promise<Line[]> {
  return (JSON.parse(await readFile(file, "utf8")) as { lines: Line[] }).lines;
}

export function voiceStep(project: Project, backends: Backends, scene: ResolvedScene, n: number, source: LineSource): StepSpec {
  const backend = backends.speech;
  const refs = (ids: readonly string[]) => speakerRefs(project, ids, backend.name);
  const written = "written" in source ? source.written : undefined;
  const linesId = "generated" in source ? source.generated.from : stepId.lines(scene.id);
  const request = (line: Line): SpeechRequest => ({
    text: line.text,
    language: project.language,
    speaker: refs([line.speaker])[0]!,
  });
  const params = written
    ? { backend: backend.identity, request: asJson(request(written)) }
    : // The speaker is known only once the lines exist: every possible voice is a parameter.
      { backend: backend.identity, line: n, language: project.language, cast: asJson(refs("generated" in source ? source.generated.cast : [])) };
  return {
    id: stepId.voice(scene.id, n),
    kind: "speech",
    version: 1,
    params,
    inputs: written ? [] : [linesId],
    files: [],
    ...servedBy(backend, written ? request(written) : { text: "x".repeat(80) }),
    async run(ctx) {
      let line = written;
      if (!line) {
        const lines = await readGeneratedLines(ctx.inputs[linesId]!["json"]!.path);
        line = lines[n - 1];
        if (!line) throw new StepFailure(`scene ${scene.id} has no generated line ${n}`);
      }
      await storeGenerated(ctx, "voice.wav", "audio", (call) => backend.provider.speech(request(line), call));
    },
  };
}
