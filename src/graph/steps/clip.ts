/**
 * `scene/<id>/clip`: moving picture from the keyframe. It keeps the scene's
 * `seconds`; dialogue never changes its key (the cut holds the last frame).
 */
import type { StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import type { ClipRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { asJson } from "../json.js";

export function clipStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene): StepSpec {
  const backend = backends.video;
  const base: Omit<ClipRequest, "keyframe"> = {
    sceneId: scene.id,
    action: scene.action || scene.beat || "",
    camera: scene.camera,
    seconds: scene.seconds,
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
  };
  const keyframe = ep.ids.keyframe(scene.id);
  return {
    id: ep.ids.clip(scene.id),
    kind: "video",
    version: 1,
    params: { backend: backend.identity, request: asJson(base) },
    inputs: [keyframe],
    files: [],
    ...servedBy(backend, base),
    materialize: { video: ep.paths.clip(scene.id) },
    async run(ctx) {
      await storeGenerated(ctx, "clip.mp4", "video", (call) => backend.provider.clip({ ...base, keyframe: ctx.inputs[keyframe]!["image"]!.path }, call));
    },
  };
}
