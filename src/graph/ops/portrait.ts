/**
 * `cast/<id>/portrait`: a generated portrait, or the user's own reference
 * picture. Once per project, however many episodes a person appears in: it
 * reads only the series-wide look, style, language and format.
 */
import type { StepSpec } from "../../engine/step.js";
import { servedBy, type Backends } from "../backends.js";
import { providerArgs } from "./provider.js";
import { referenceStep } from "./reference.js";
import { asJson } from "../json.js";
import { buildPath, stepId } from "../ids.js";
import type { PortraitRequest } from "../../providers/types.js";
import type { EpisodeView } from "../episode.js";
import type { Op } from "../../engine/ops.js";
import { storeGenerated } from "../call-context.js";
import { providerFor } from "./provider.js";

/** What a portrait reads: never an episode's own style, so a series pays once per person. */
export type PortraitContext = Pick<EpisodeView, "cast" | "style" | "language" | "format">;

export function portraitStep(series: PortraitContext, backends: Backends, castId: string): StepSpec {
  const member = series.cast[castId]!;
  const id = stepId.portrait(castId);
  if (member.reference) {
    // The user's picture is the portrait.
    return referenceStep(id, member.reference, "picture", "image", buildPath.portrait(castId));
  }
  const backend = backends.image;
  const request: PortraitRequest = {
    castId,
    name: member.name,
    look: member.look,
    style: series.style,
    language: series.language,
    size: { width: series.format.width, height: series.format.height },
  };
  return {
    id,
    kind: "image",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    take: member.take ?? 1,
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    materialize: { image: buildPath.portrait(castId) },
    op: "portrait",
    args: providerArgs(backend.config),
  };
}

export const portraitOp: Op = {
  name: "portrait",
  async run(params, io, args) {
    const provider = await providerFor(args, io);
    const { request } = params as unknown as { request: PortraitRequest };
    await storeGenerated(io, "portrait.png", "image", (call) => provider.portrait(request, call));
  },
};
