/**
 * `scene/<id>/polish`: a stronger model rewrites the drafted lines of a
 * beat-only scene (the cheap-draft, premium-polish routing). Its own step,
 * keyed by the polish model, so swapping that model reruns only this step
 * and what reads its lines, never the drafts; and a draft that comes out the
 * same (early cutoff) is not polished again. Its output has the lines format
 * (lines.ts), so whatever speaks a scene reads either the same way.
 */
import type { Json, StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { Line, PolishRequest } from "../../providers/types.js";
import { servedBy, type ModalityProvider } from "../backends.js";
import { providerArgs } from "./provider.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { sceneTake } from "../takes.js";
import { castRefs } from "../scene-cast.js";
import { lineCount } from "./lines.js";
import type { Op } from "../../engine/ops.js";
import { callContext } from "../call-context.js";
import { stepFailure } from "../step-failure.js";
import { encodeLines, inputLines, LINES_OUTPUT } from "./lines.js";
import { providerFor, type ProviderArgs } from "./provider.js";

/** Characters of a typical spoken line, to price a polish before the draft exists. */
const TYPICAL_LINE_CHARS = 60;

export type PolishFailure =
  | { readonly kind: "cannot-polish"; readonly provider: string }
  | { readonly kind: "changed-lines"; readonly scene: string; readonly given: readonly Line[] };

export function describePolishFailure(f: PolishFailure): string {
  switch (f.kind) {
    case "cannot-polish":
      return `provider ${f.provider} cannot polish lines`;
    case "changed-lines":
      return `the polish model changed the lines of scene ${f.scene} (${f.given.length} lines by ${f.given.map((l) => l.speaker).join(", ")} were given)`;
  }
}

export function polishStep(ep: EpisodeView, backend: ModalityProvider, scene: ResolvedScene, cast: readonly string[]): StepSpec {
  const drafts = ep.ids.lines(scene.id);
  const request: Omit<PolishRequest, "lines"> = {
    title: ep.title,
    theme: ep.theme,
    language: ep.language,
    sceneId: scene.id,
    beat: scene.beat ?? "",
    cast: castRefs(ep, cast, backend.name),
  };
  const count = lineCount(scene, cast.length);
  const typical: Line[] = Array.from({ length: count }, (_, i) => ({ speaker: cast[i % cast.length] ?? "", text: "x".repeat(TYPICAL_LINE_CHARS) }));
  return {
    id: ep.ids.polish(scene.id),
    kind: "text",
    version: 1,
    take: sceneTake(scene, "polish"),
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [drafts],
    files: [],
    ...servedBy(backend, { ...request, lines: typical } satisfies PolishRequest),
    op: "polish",
    args: { ...(providerArgs(backend.config) as Record<string, Json>), drafts },
  };
}

export const polishOp: Op = {
  name: "polish",
  async run(params, io, args) {
    const request = (params as unknown as { request: Omit<PolishRequest, "lines"> }).request;
    const a = args as unknown as ProviderArgs & { drafts: string };
    const provider = await providerFor(args, io);
    const polish = provider.polish;
    if (!polish) throw stepFailure({ kind: "cannot-polish", provider: a.provider.name }, describePolishFailure);
    const drafted = await inputLines(io, a.drafts);
    const result = await polish.call(provider, { ...request, lines: drafted }, callContext(io, "polish.json"));
    io.cost(result.cost);
    // Voices are laid out per drafted line: the polish must keep their number and speakers.
    const same = result.lines.length === drafted.length && result.lines.every((l, i) => l.speaker === drafted[i]!.speaker);
    if (!same) throw stepFailure({ kind: "changed-lines", scene: request.sceneId, given: drafted }, describePolishFailure);
    await io.output(LINES_OUTPUT, { bytes: encodeLines(result.lines) });
  },
};
