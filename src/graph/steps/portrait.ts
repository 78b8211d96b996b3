/** `cast/<id>/portrait`: a generated portrait, or the user's own reference picture. */
import type { StepSpec } from "../../engine/step.js";
import type { Project } from "../../project/project.js";
import { servedBy, type Backends } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { referenceStep } from "./reference.js";
import { asJson } from "../json.js";
import { buildPath, stepId } from "../ids.js";
import type { PortraitRequest } from "../../providers/types.js";

export function portraitStep(project: Project, backends: Backends, castId: string): StepSpec {
  const member = project.cast[castId]!;
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
    style: project.style,
    language: project.language,
    size: { width: project.format.width, height: project.format.height },
  };
  return {
    id,
    kind: "image",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    materialize: { image: buildPath.portrait(castId) },
    async run(ctx) {
      await storeGenerated(ctx, "portrait.png", "image", (call) => backend.provider.portrait(request, call));
    },
  };
}
