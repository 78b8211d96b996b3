/**
 * `scene/<id>/clip`: moving picture from the keyframe. It keeps the scene's
 * `seconds`; dialogue never changes its key (the cut holds the last frame).
 * A provider whose clips are camera moves over the keyframe (offline) makes
 * no video here: the step records the still and the move, and the cut
 * renders them in its one encode.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Json, StepContext, StepSpec } from "../../engine/step.js";
import { lastFrame } from "../../media/last-frame.js";
import { media, mediaRun } from "./media-run.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import type { ClipRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { providerArgs } from "./provider.js";
import { asJson } from "../json.js";
import { sceneTake, shotTake } from "../takes.js";
import type { Op } from "../../engine/ops.js";
import { storeGenerated } from "../call-context.js";
import { providerFor } from "./provider.js";
import { inputFile } from "./input-file.js";

/** The clip step's outputs: a video, or a still and the camera move (JSON `{camera, variation?}`) the cut renders. */
export const CLIP_OUTPUT = { video: "video", still: "still", move: "move" } as const;

/** A move as the clip step records it: the camera words, and which variation of the move a retake asked for. */
export interface MoveRecord {
  readonly camera: string;
  /** 0 (left out) for the camera's own move; take n moves with variation n - 1 (pan.ts). */
  readonly variation?: number;
}

export function moveJson(move: MoveRecord): string {
  return JSON.stringify(move.variation ? move : { camera: move.camera });
}

export function readMove(text: string): MoveRecord {
  const v = JSON.parse(text) as MoveRecord;
  return { camera: v.camera, ...(v.variation ? { variation: v.variation } : {}) };
}

/** A multi-shot scene's shot (issue 27): its action, camera and planned length. */
export interface ClipShotOf {
  readonly id: string;
  readonly action: string;
  readonly camera: string;
  /** An allowed length of the model, planned from the file alone (plan/shots.ts). */
  readonly seconds: number;
  /** `start: previous`: the previous shot's clip step and its length; this clip starts from its last frame. */
  readonly previous?: { readonly clip: string; readonly seconds: number };
}

/** Without `shot`: the scene's one format-1 clip, params exactly as before shots (its key must not change). */
export function clipStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, shot?: ClipShotOf): StepSpec {
  const backend = backends.video;
  const base: Omit<ClipRequest, "keyframe"> = {
    sceneId: scene.id,
    action: shot ? shot.action : scene.action || scene.beat || "",
    camera: shot ? shot.camera : scene.camera,
    seconds: shot ? shot.seconds : scene.seconds,
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
  };
  const ids = shot ? ep.ids.shot(scene.id, shot.id) : undefined;
  const keyframe = ids ? ids.keyframe : ep.ids.keyframe(scene.id);
  const moves = backend.provider.clipsAreMoves === true;
  const take = shot ? shotTake(scene, shot.id, "clip") : sceneTake(scene, "clip");
  return {
    id: ids ? ids.clip : ep.ids.clip(scene.id),
    kind: "video",
    version: 2,
    // `from`: the previous clip's length (its last frame is this clip's first; the clip itself is an input).
    params: { backend: backend.identity, request: asJson(base), ...(moves ? { moves: true } : {}), ...(shot?.previous ? { from: { previous: shot.previous.seconds } } : {}) },
    take,
    inputs: [keyframe, ...(shot?.previous ? [shot.previous.clip] : [])],
    files: [],
    ...servedBy(backend, base),
    ...(moves ? {} : { materialize: { [CLIP_OUTPUT.video]: shot ? ep.paths.shot(scene.id, shot.id).clip : ep.paths.clip(scene.id) } }),
    op: "clip",
    args: { ...(providerArgs(backend.config) as Record<string, Json>), keyframe, ...(shot?.previous ? { previous: shot.previous.clip } : {}) },
  };
}

export const clipOp: Op = {
  name: "clip",
  async run(params, io, args) {
    const p = params as unknown as { request: Omit<ClipRequest, "keyframe">; moves?: boolean; from?: { previous: number } };
    const a = args as unknown as { keyframe: string; previous?: string };
    // `start: previous`: the first frame is the previous shot's last, not this shot's keyframe.
    const still = a.previous && p.from ? await previousLastFrame(io, a.previous, p.from.previous, p.request) : inputFile(io, a.keyframe, "image");
    if (p.moves) {
      await io.output(CLIP_OUTPUT.still, { file: still });
      await io.output(CLIP_OUTPUT.move, { bytes: moveJson({ camera: p.request.camera, variation: io.take - 1 }) });
      return;
    }
    const provider = await providerFor(args, io);
    await storeGenerated(io, "clip.mp4", CLIP_OUTPUT.video, (call) => provider.clip({ ...p.request, keyframe: still }, call));
  },
};

/** The previous shot's clip's last frame, as a PNG in the step's temp dir. */
async function previousLastFrame(io: StepContext, previous: string, seconds: number, request: Omit<ClipRequest, "keyframe">): Promise<string> {
  const made = io.inputs[previous]!;
  const video = made[CLIP_OUTPUT.video];
  const clip = video ? video.path : { still: made[CLIP_OUTPUT.still]!.path, ...readMove(await readFile(made[CLIP_OUTPUT.move]!.path, "utf8")) };
  const out = join(io.tmpDir, "start.png");
  media(await lastFrame({ clip, seconds, size: request.size, fps: request.fps }, out, mediaRun(io)));
  return out;
}
