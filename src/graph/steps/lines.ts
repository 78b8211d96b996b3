/**
 * `scene/<id>/lines`: the text model writes a scene's lines from its beat.
 * The number of lines is fixed before the call (`lineCount`), so the graph's
 * shape — one voice step per line — is known before anything runs and `plan`
 * can price it.
 */
import type { StepSpec } from "../../engine/step.js";
import type { Project, ResolvedScene } from "../../project/project.js";
import { servedBy, type Backends } from "../backends.js";
import type { Line, LinesRequest } from "../../providers/types.js";
import { callContext } from "../call-context.js";
import { asJson } from "../json.js";
import { stepId } from "../ids.js";
import { castRefs } from "../scene-cast.js";
import { StepFailure } from "../step-failure.js";

/** Two lines per speaker, at least two and at most eight: a short-drama beat. */
export function lineCount(scene: ResolvedScene, castSize: number): number {
  return Math.min(8, Math.max(2, castSize * 2));
}

export function linesStep(project: Project, backends: Backends, index: number, cast: readonly string[]): StepSpec {
  const scene = project.scenes[index]!;
  const backend = backends.text;
  const beatOf = (i: number) => {
    const s = project.scenes[i];
    return s ? (s.beat ?? s.action) || undefined : undefined;
  };
  const request: LinesRequest & { count: number } = {
    title: project.title,
    theme: project.theme,
    language: project.language,
    sceneId: scene.id,
    beat: scene.beat ?? "",
    ...(scene.setting ? { setting: scene.setting } : {}),
    ...(beatOf(index - 1) ? { previousBeat: beatOf(index - 1)! } : {}),
    ...(beatOf(index + 1) ? { nextBeat: beatOf(index + 1)! } : {}),
    cast: castRefs(project, cast, backend.name),
    count: lineCount(scene, cast.length),
  };
  return {
    id: stepId.lines(scene.id),
    kind: "text",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    async run(ctx) {
      const result = await backend.provider.lines(request, callContext(ctx, "lines.json"));
      ctx.cost(result.cost);
      const lines = result.lines.filter((line) => cast.includes(line.speaker)).slice(0, request.count);
      if (lines.length < request.count) {
        throw new StepFailure(
          `the text model wrote ${lines.length} usable lines for scene ${scene.id}; ${request.count} were asked, spoken by ${cast.join(", ")}`,
        );
      }
      await ctx.output("json", { bytes: JSON.stringify({ lines } satisfies { lines: Line[] }) });
    },
  };
}
