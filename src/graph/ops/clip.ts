/**
 * `scene/<id>/clip`: moving picture from the keyframe. It keeps the scene's
 * `seconds`; voice-over and lipsync dialogue never change its key (the cut
 * holds the last frame); a native shot's lines are in its request (issue 29).
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
import type { NativeDialogue } from "../../providers/types.js";
import { VOICE_SAMPLE_OUTPUT } from "./voice-sample.js";

/** A native shot's lines with each speaker's voice sample file, from the clip's voice-sample inputs. */
function withSamples(dialogue: NativeDialogue, io: StepContext, args: Json | undefined): NativeDialogue {
  const samples = (args as unknown as { samples?: Record<string, string> }).samples ?? {};
  const fileOf = (castId: string) => {
    const step = samples[castId];
    return step === undefined ? undefined : io.inputs[step]?.[VOICE_SAMPLE_OUTPUT]?.path;
  };
  return {
    ...dialogue,
    lines: dialogue.lines.map((l) => {
      const file = fileOf(l.castId);
      return file === undefined ? l : { ...l, voiceSample: file };
    }),
  };
}

/**
 * The clip step's outputs: a video, or a still and the camera move (JSON `{camera, variation?}`) the cut renders;
 * with a video, the vendor's id for it when the vendor gives one (Kling's video_id: its lip sync takes that instead of an upload).
 */
export const CLIP_OUTPUT = { video: "video", still: "still", move: "move", vendorId: "vendor-id" } as const;

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

/**
 * A native-dialogue shot's clip (issue 29): its lines go into the request
 * (so into the key: a line edit buys this clip again, and only for native
 * shots; a voice-over or lipsync clip's request and key are as before), and
 * the speakers' voice-sample steps are inputs whose files the run hands the
 * preset as reference audio.
 */
export interface NativeClip {
  /** The lines as the model is asked to speak them; no voiceSample (a path is no parameter). */
  readonly dialogue: NativeDialogue;
  /** Cast id -> its `cast/<id>/voice-sample` step, for a preset that takes reference audio. */
  readonly samples: Readonly<Record<string, string>>;
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
export function clipStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, shot?: ClipShotOf, native?: NativeClip): StepSpec {
  const backend = backends.video;
  const base: Omit<ClipRequest, "keyframe"> = {
    sceneId: scene.id,
    action: shot ? shot.action : scene.action || scene.beat || "",
    camera: shot ? shot.camera : scene.camera,
    seconds: shot ? shot.seconds : scene.seconds,
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
    ...(native ? { dialogue: native.dialogue } : {}),
  };
  const samples = native ? Object.values(native.samples) : [];
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
    inputs: [keyframe, ...(shot?.previous ? [shot.previous.clip] : []), ...samples],
    files: [],
    ...servedBy(backend, base),
    ...(moves ? {} : { materialize: { [CLIP_OUTPUT.video]: shot ? ep.paths.shot(scene.id, shot.id).clip : ep.paths.clip(scene.id) } }),
    op: "clip",
    args: {
      ...(providerArgs(backend.config) as Record<string, Json>),
      keyframe,
      ...(shot?.previous ? { previous: shot.previous.clip } : {}),
      ...(samples.length > 0 ? { samples: { ...native!.samples } } : {}),
    },
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
    const request: ClipRequest = { ...p.request, keyframe: still, ...(p.request.dialogue ? { dialogue: withSamples(p.request.dialogue, io, args) } : {}) };
    let vendorId: unknown;
    await storeGenerated(io, "clip.mp4", CLIP_OUTPUT.video, async (call) => {
      const usage = await provider.clip(request, call);
      vendorId = usage.detail?.["videoId"];
      return usage;
    });
    if (typeof vendorId === "string" && vendorId !== "") await io.output(CLIP_OUTPUT.vendorId, { bytes: vendorId });
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
