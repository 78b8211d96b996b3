/**
 * `scene/<id>/polish`: a stronger model rewrites the drafted lines of a
 * beat-only scene (the cheap-draft, premium-polish routing). Its own step,
 * keyed by the polish model, so swapping that model reruns only this step
 * and what reads its lines, never the drafts; and a draft that comes out the
 * same (early cutoff) is not polished again.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import type { Project } from "../../project/project.js";
import type { Line, PolishRequest } from "../../providers/types.js";
import { servedBy, type Backend } from "../backends.js";
import { callContext } from "../call-context.js";
import { asJson } from "../json.js";
import { stepId } from "../ids.js";
import { castRefs } from "../scene-cast.js";
import { StepFailure } from "../step-failure.js";
import { lineCount } from "./lines.js";

/** Characters of a typical spoken line, to price a polish before the draft exists. */
const TYPICAL_LINE_CHARS = 60;

export function polishStep(project: Project, backend: Backend, index: number, cast: readonly string[]): StepSpec {
  const scene = project.scenes[index]!;
  const drafts = stepId.lines(scene.id);
  const request: Omit<PolishRequest, "lines"> = {
    title: project.title,
    theme: project.theme,
    language: project.language,
    sceneId: scene.id,
    beat: scene.beat ?? "",
    cast: castRefs(project, cast, backend.name),
  };
  const count = lineCount(scene, cast.length);
  const typical: Line[] = Array.from({ length: count }, (_, i) => ({ speaker: cast[i % cast.length] ?? "", text: "x".repeat(TYPICAL_LINE_CHARS) }));
  return {
    id: stepId.polish(scene.id),
    kind: "text",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [drafts],
    files: [],
    ...servedBy(backend, { ...request, lines: typical } satisfies PolishRequest),
    async run(ctx) {
      const polish = backend.provider.polish;
      if (!polish) throw new StepFailure(`provider ${backend.name} cannot polish lines`);
      const drafted = (JSON.parse(await readFile(ctx.inputs[drafts]!["json"]!.path, "utf8")) as { lines: Line[] }).lines;
      const result = await polish.call(backend.provider, { ...request, lines: drafted }, callContext(ctx, "polish.json"));
      ctx.cost(result.cost);
      // Voices are laid out per drafted line: the polish must keep their number and speakers.
      const same = result.lines.length === drafted.length && result.lines.every((l, i) => l.speaker === drafted[i]!.speaker);
      if (!same) {
        throw new StepFailure(`the polish model changed the lines of scene ${scene.id} (${drafted.length} lines by ${drafted.map((l) => l.speaker).join(", ")} were given)`);
      }
      await ctx.output("json", { bytes: JSON.stringify({ lines: result.lines } satisfies { lines: readonly Line[] }) });
    },
  };
}
