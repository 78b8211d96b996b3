/**
 * `scene/<id>/keyframe`: the scene's first image, drawn with its cast's
 * portraits as references so faces stay consistent. The camera is not an
 * input: a camera edit re-moves the clip over the same picture.
 *
 * Key rule (issue 26): the request is built by one function, `keyframeRequest`,
 * for the price and the run (keyframeOp below), from what the key holds plus the portrait files.
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
import { sceneTake, shotTake } from "../takes.js";
import type { ShotSize } from "../../project/schema.js";
import { stepId } from "../ids.js";
import type { Op } from "../../engine/ops.js";
import { storeGenerated } from "../call-context.js";
import { providerFor } from "./provider.js";
import { inputFile } from "./input-file.js";
import { subtitleSettings, type SubtitleSettings } from "../finishing.js";

/** The provider request, from what the key holds: the scene's request, each member's look, and its portrait file. */
export function keyframeRequest(
  base: Omit<KeyframeRequest, "references" | "continuity">,
  cast: readonly string[],
  look: (castId: string) => string,
  portrait: (castId: string) => string,
): KeyframeRequest {
  return { ...base, references: cast.map((castId) => ({ castId, look: look(castId), file: portrait(castId) })) };
}

/**
 * A multi-shot scene's shot (issue 27): its own action and size, and for every
 * shot but the first, the first shot's keyframe as the place's reference.
 */
export interface KeyframeShotOf {
  readonly id: string;
  readonly size: ShotSize;
  readonly action: string;
  /** The scene's first shot's keyframe step, for a later shot. */
  readonly continuity?: string;
}

/**
 * The subtitles' placement for an offline card (it lays its text around
 * them), only when the project moves them from the default: every other
 * project's keyframes keep their keys, and a generated picture's key never
 * holds it (moving the subtitles must not pay for pictures again).
 */
function captionsFor(ep: EpisodeView, type: string): Pick<KeyframeRequest, "captions"> {
  if (type !== "offline") return {};
  // Where the band sits (position, safe area, style, labels), not its reading settings or `burn`: a
  // reading-speed or lines edit, or turning burning on and off, keeps the animatic's pictures (and
  // everything made from them) as they are. The band is laid out for the default lines per cue.
  const band = (s: SubtitleSettings) => ({ position: s.position, safeArea: s.safeArea, style: s.style, speakerLabels: s.speakerLabels });
  const moved = band(subtitleSettings(ep.finishing));
  return JSON.stringify(moved) === JSON.stringify(band(subtitleSettings({}))) ? {} : { captions: moved };
}

/** Without `shot`: the scene's one format-1 keyframe, params exactly as before shots (its key must not change). */
export function keyframeStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, cast: readonly string[], shot?: KeyframeShotOf): StepSpec {
  const backend = backends.image;
  const base: Omit<KeyframeRequest, "references" | "continuity"> = {
    sceneId: scene.id,
    setting: scene.setting,
    action: shot ? shot.action : scene.action || scene.beat || "",
    camera: "",
    style: ep.style,
    language: ep.language,
    size: { width: ep.format.width, height: ep.format.height },
    ...(shot ? { shot: { size: shot.size } } : {}),
    ...captionsFor(ep, backends.image.config.type),
  };
  const portraits = cast.map((castId) => stepId.portrait(castId));
  // Looks the portraits' keys do not hold: those of members drawn from the user's own picture.
  const referenced = cast.filter((castId) => ep.cast[castId]!.reference !== undefined);
  const looks: Record<string, Json> = Object.fromEntries(referenced.map((castId) => [castId, ep.cast[castId]!.look]));
  const look = (castId: string) => ep.cast[castId]!.look;
  const continuity = shot?.continuity;
  return {
    id: shot ? ep.ids.shot(scene.id, shot.id).keyframe : ep.ids.keyframe(scene.id),
    kind: "image",
    version: 1,
    take: shot ? shotTake(scene, shot.id, "keyframe") : sceneTake(scene, "keyframe"),
    // The continuity reference is an input (its digest is in the key); `continuity: true` says how it is used.
    params: { backend: backend.identity, request: asJson(base), cast: [...cast], ...(referenced.length > 0 ? { looks } : {}), ...(continuity ? { continuity: true } : {}) },
    inputs: [...portraits, ...(continuity ? [continuity] : [])],
    files: [],
    // Priced with one reference per cast member (and the place's): uploads cost input tokens too.
    ...servedBy(backend, { ...keyframeRequest(base, cast, look, () => ""), ...(continuity ? { continuity: "" } : {}) }),
    materialize: { image: shot ? ep.paths.shot(scene.id, shot.id).keyframe : ep.paths.keyframe(scene.id) },
    op: "keyframe",
    args: {
      ...(providerArgs(backend.config) as Record<string, Json>),
      portraits: Object.fromEntries(cast.map((castId) => [castId, stepId.portrait(castId)])),
      looks: Object.fromEntries(cast.filter((castId) => !referenced.includes(castId)).map((castId) => [castId, look(castId)])),
      ...(continuity ? { continuity } : {}),
    },
  };
}

/** Keyframe args: each member's portrait step, and the looks a generated portrait's key already holds. */
export interface KeyframeArgs {
  readonly portraits: Readonly<Record<string, string>>;
  readonly looks: Readonly<Record<string, string>>;
  /** A later shot's reference: the scene's first shot's keyframe step. */
  readonly continuity?: string;
}

export const keyframeOp: Op = {
  name: "keyframe",
  async run(params, io, args) {
    const p = params as unknown as { request: Omit<KeyframeRequest, "references" | "continuity">; cast: string[]; looks?: Record<string, string> };
    const a = args as unknown as KeyframeArgs;
    const provider = await providerFor(args, io);
    // A reference picture's look is in the params (the key); a generated portrait's is in that portrait's key.
    const request = {
      ...keyframeRequest(p.request, p.cast, (id) => p.looks?.[id] ?? a.looks[id]!, (id) => inputFile(io, a.portraits[id]!, "image")),
      ...(a.continuity ? { continuity: inputFile(io, a.continuity, "image") } : {}),
    };
    await storeGenerated(io, "keyframe.png", "image", (call) => provider.keyframe(request, call));
  },
};
