/**
 * `scene/<id>/keyframe`: the scene's first image, drawn with its cast's
 * portraits as references so faces stay consistent. The camera is not an
 * input: a camera edit re-moves the clip over the same picture.
 */
import type { StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import type { KeyframeRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { asJson } from "../json.js";
import { sceneTake } from "../takes.js";
import { stepId } from "../ids.js";

export function keyframeStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, cast: readonly string[]): StepSpec {
  const backend = backends.image;
  const base: Omit<KeyframeRequest, "references"> = {
    sceneId: scene.id,
    setting: scene.setting,
    action: scene.action || scene.beat || "",
    camera: "",
    style: ep.style,
    language: ep.language,
    size: { width: ep.format.width, height: ep.format.height },
  };
  const portraits = cast.map((castId) => stepId.portrait(castId));
  return {
    id: ep.ids.keyframe(scene.id),
    kind: "image",
    version: 1,
    take: sceneTake(scene, "keyframe"),
    params: { backend: backend.identity, request: asJson(base), cast: [...cast] },
    inputs: portraits,
    files: [],
    // Priced with one reference per cast member: uploads cost input tokens too.
    ...servedBy(backend, {
      ...base,
      references: cast.map((castId) => ({ castId, name: ep.cast[castId]!.name, look: ep.cast[castId]!.look, file: "" })),
    } satisfies KeyframeRequest),
    materialize: { image: ep.paths.keyframe(scene.id) },
    async run(ctx) {
      const request: KeyframeRequest = {
        ...base,
        references: cast.map((castId) => ({
          castId,
          name: ep.cast[castId]!.name,
          look: ep.cast[castId]!.look,
          file: ctx.inputs[stepId.portrait(castId)]!["image"]!.path,
        })),
      };
      await storeGenerated(ctx, "keyframe.png", "image", (call) => backend.provider.keyframe(request, call));
    },
  };
}
