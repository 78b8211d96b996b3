/**
 * `scene/<id>/keyframe`: the scene's first image, drawn with its cast's
 * portraits as references so faces stay consistent. The camera is not an
 * input: a camera edit re-moves the clip over the same picture.
 *
 * Key rule (issue 26): the request is built by one function, `keyframeRequest`,
 * for the price and the run (ops/media.ts), from what the key holds plus the portrait files.
 * A cast member's name is not in it (not a visual fact). Each member's look is
 * (a server without image edits is told the looks in words); a generated
 * portrait's key already holds the look, and its digest reaches this key, so
 * the look joins the params (`looks`) only for members whose portrait is the
 * user's `reference:` file. Keys of keyframes without such members are as before.
 */
import type { Json, StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import type { KeyframeRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { providerArgs } from "./provider.js";
import { asJson } from "../json.js";
import { sceneTake } from "../takes.js";
import { stepId } from "../ids.js";

/** The provider request, from what the key holds: the scene's request, each member's look, and its portrait file. */
export function keyframeRequest(
  base: Omit<KeyframeRequest, "references">,
  cast: readonly string[],
  look: (castId: string) => string,
  portrait: (castId: string) => string,
): KeyframeRequest {
  return { ...base, references: cast.map((castId) => ({ castId, look: look(castId), file: portrait(castId) })) };
}

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
  // Looks the portraits' keys do not hold: those of members drawn from the user's own picture.
  const referenced = cast.filter((castId) => ep.cast[castId]!.reference !== undefined);
  const looks: Record<string, Json> = Object.fromEntries(referenced.map((castId) => [castId, ep.cast[castId]!.look]));
  const look = (castId: string) => ep.cast[castId]!.look;
  return {
    id: ep.ids.keyframe(scene.id),
    kind: "image",
    version: 1,
    take: sceneTake(scene, "keyframe"),
    params: { backend: backend.identity, request: asJson(base), cast: [...cast], ...(referenced.length > 0 ? { looks } : {}) },
    inputs: portraits,
    files: [],
    // Priced with one reference per cast member: uploads cost input tokens too.
    ...servedBy(backend, keyframeRequest(base, cast, look, () => "")),
    materialize: { image: ep.paths.keyframe(scene.id) },
    op: "keyframe",
    args: {
      ...(providerArgs(backend.config) as Record<string, Json>),
      portraits: Object.fromEntries(cast.map((castId) => [castId, stepId.portrait(castId)])),
      looks: Object.fromEntries(cast.filter((castId) => !referenced.includes(castId)).map((castId) => [castId, look(castId)])),
    },
  };
}
