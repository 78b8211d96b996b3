/**
 * The `cut` op, `scene/<id>/cut`: clip + dialogue + burned subtitles, one
 * encoding setting for every cut so `final` joins them without re-encoding.
 * Its length follows the timing rule (plan/timing.ts) from its params and the
 * dialogue it is given (media/cut.ts applies it while rendering).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Artifact, StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import { cameraMove, cutScene, mediaSeconds } from "../../media/index.js";
import { joinWithTransitions, type JoinPiece } from "../../media/transition.js";
import type { Transition } from "../../project/schema.js";
import { cutLength, shotsTiming } from "../plan/timing.js";
import { asJson } from "../json.js";
import { CLIP_OUTPUT, readMove } from "./clip.js";
import { DIALOGUE_OUTPUT } from "./dialogue.js";
import { SUBTITLES_OUTPUT } from "./subtitles.js";
import { media, mediaRun } from "./media-run.js";
import { burnsSubtitles } from "../finishing.js";

/** The cut step's output. */
export const CUT_OUTPUT = { video: "video" } as const;

/** Hashed: the scene's nominal seconds and the picture's size and rate. */
export interface CutParams {
  readonly seconds: number;
  readonly size: { readonly width: number; readonly height: number };
  readonly fps: number;
  /** `subtitles: { burn: false }`: no captions in the picture (the final carries them as a track); absent when burned. */
  readonly burn?: false;
}

/** Not hashed: which input is which (their ids and outputs are in the key). A shot's cut has only its clip. */
export interface CutArgs {
  readonly clip: string;
  readonly dialogue?: string;
  /** Absent when the subtitles are not burned in (then they are no input either: a caption edit leaves the cut alone). */
  readonly subtitles?: string;
}

export function cutStep(ep: EpisodeView, scene: ResolvedScene): StepSpec {
  const burn = burnsSubtitles(ep.finishing);
  const dialogue = ep.ids.dialogue(scene.id);
  const args: CutArgs = { clip: ep.ids.clip(scene.id), dialogue, ...(burn ? { subtitles: ep.ids.subtitles(scene.id) } : {}) };
  const params: CutParams = { seconds: scene.seconds, size: { width: ep.format.width, height: ep.format.height }, fps: ep.format.fps, ...(burn ? {} : { burn: false as const }) };
  return {
    id: ep.ids.cut(scene.id),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "cut",
    // 3: a move that does not move is scaled once from the still; a retaken move renders its variation.
    // 4: no loudness output (the dialogue step measures it; the soundtrack mixes from the dialogue).
    // 5: a move is rendered from the still upscaled 1.5x, not 2x (pan.ts).
    // 6: the dialogue track is mono AAC (the episode's stereo mix is the soundtrack's).
    // 7: the hold after a move clones the move's last frame (tpad), not the one before it (loop).
    // 8: a move is rendered on yuv444p (whole-pixel crops), a zoom at the output size and a pan from a 1.25x source (pan.ts).
    version: 8,
    params: asJson(params),
    args: { ...args },
    inputs: [args.clip, dialogue, ...(args.subtitles ? [args.subtitles] : [])],
    files: [],
    pool: "ffmpeg",
    // The heaviest local work: x264 time grows with the scene's length, and a static shot's
    // repeated frames cost it about half (measured: 4 s static 0.68 s, 4 s pan 1.0 s). Longest first.
    weight: cameraMove(scene.camera).name === "static" ? scene.seconds / 2 : scene.seconds,
    materialize: { [CUT_OUTPUT.video]: ep.paths.cut(scene.id) },
  };
}

/** A shot cut's outputs when its clip is a camera move: the still and the move (JSON `{camera, variation?, seconds}`). */
export const SHOT_MOVE_OUTPUT = { still: "still", move: "move" } as const;

/** Hashed: the shot's planned length, which the move lasts. */
export interface ShotMoveParams {
  readonly seconds: number;
}

/**
 * `scene/<id>/shot/<shot>/cut`: one shot's picture at its planned length, at
 * the episode's size and rate, with a silent track (the scene's dialogue runs
 * across its shots, so the scene's cut lays it). The scene's cut joins these.
 *
 * When the clip is a camera move over the keyframe (`moves`, offline), the
 * shot's cut encodes nothing: it records the still, the move and its length,
 * and the scene's cut renders every shot's move, the transitions, the
 * dialogue and the burned subtitles in one ffmpeg pass, so each picture goes
 * through x264 once (issue 27, bench/offline). It has no file of its own.
 */
export function shotCutStep(ep: EpisodeView, scene: ResolvedScene, shot: { readonly id: string; readonly seconds: number; readonly camera: string }, moves = false): StepSpec {
  const ids = ep.ids.shot(scene.id, shot.id);
  if (moves) {
    const params: ShotMoveParams = { seconds: shot.seconds };
    return { id: ids.cut, kind: "local", op: "shot-move", version: 1, params: asJson(params), args: { clip: ids.clip }, inputs: [ids.clip], files: [], pool: "local" };
  }
  const args: CutArgs = { clip: ids.clip };
  const params: CutParams = { seconds: shot.seconds, size: { width: ep.format.width, height: ep.format.height }, fps: ep.format.fps };
  return {
    id: ids.cut,
    kind: "ffmpeg",
    op: "cut",
    version: 8,
    params: asJson(params),
    args: { ...args },
    inputs: [args.clip],
    files: [],
    pool: "ffmpeg",
    weight: cameraMove(shot.camera).name === "static" ? shot.seconds / 2 : shot.seconds,
    materialize: { [CUT_OUTPUT.video]: ep.paths.shot(scene.id, shot.id).cut },
  };
}

/** Hashed: each shot's length and the transition into it, the picture's size and rate. */
export interface ShotsCutParams {
  readonly shots: readonly { readonly seconds: number; readonly transition: Transition }[];
  readonly size: { readonly width: number; readonly height: number };
  readonly fps: number;
  /** `subtitles: { burn: false }`: no captions in the picture; absent when burned. */
  readonly burn?: false;
}

/** Not hashed: the shots' cut steps in order, the scene's dialogue and subtitles. */
export interface ShotsCutArgs {
  readonly cuts: readonly string[];
  readonly dialogue: string;
  /** Absent when the subtitles are not burned in. */
  readonly subtitles?: string;
}

/**
 * A multi-shot scene's `scene/<id>/cut`: its shots' cuts joined (transitions
 * between them), the scene's dialogue under the whole and its subtitles
 * burned in; the last frame held while dialogue runs on (the cut-length rule
 * of plan/timing.ts on the joined length).
 */
export function shotsCutStep(ep: EpisodeView, scene: ResolvedScene, shots: readonly { readonly id: string; readonly seconds: number; readonly transition: Transition }[]): StepSpec {
  const burn = burnsSubtitles(ep.finishing);
  const args: ShotsCutArgs = { cuts: shots.map((s) => ep.ids.shot(scene.id, s.id).cut), dialogue: ep.ids.dialogue(scene.id), ...(burn ? { subtitles: ep.ids.subtitles(scene.id) } : {}) };
  const params: ShotsCutParams = {
    shots: shots.map((s) => ({ seconds: s.seconds, transition: s.transition })),
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
    ...(burn ? {} : { burn: false as const }),
  };
  return {
    id: ep.ids.cut(scene.id),
    kind: "ffmpeg",
    op: "shots-cut",
    // 2: a shot whose clip is a camera move arrives as its still and move, rendered in this one pass.
    // 3: the last frame is really held while dialogue runs past the shots (the picture had ended with the shots).
    version: 3,
    params: asJson(params),
    args: { ...args, cuts: [...args.cuts] },
    inputs: [...args.cuts, args.dialogue, ...(args.subtitles ? [args.subtitles] : [])],
    files: [],
    pool: "ffmpeg",
    weight: shots.reduce((n, s) => n + s.seconds, 0),
    materialize: { [CUT_OUTPUT.video]: ep.paths.cut(scene.id) },
  };
}

export const shotMoveOp: Op = {
  name: "shot-move",
  async run(params, io, args) {
    const p = params as unknown as ShotMoveParams;
    const made = io.inputs[(args as unknown as { clip: string }).clip]!;
    const still = made[CLIP_OUTPUT.still];
    const move = made[CLIP_OUTPUT.move];
    // A clip made as a video (a provider changed under a cached graph) has no move to record.
    if (!still || !move) throw new Error("shot-move: the shot's clip is not a camera move over a still");
    // Its bytes, not its path: output({file}) moves a file into the store, and this one is the clip's stored object.
    await io.output(SHOT_MOVE_OUTPUT.still, { bytes: await readFile(still.path) });
    await io.output(SHOT_MOVE_OUTPUT.move, { bytes: JSON.stringify({ ...readMove(await readFile(move.path, "utf8")), seconds: p.seconds }) });
  },
};

/** A shot's cut as the scene's join takes it: its video, or its still and the move the join renders. */
async function shotPiece(made: Readonly<Record<string, Artifact>>, seconds: number): Promise<JoinPiece> {
  const video = made[CUT_OUTPUT.video];
  if (video) return { file: video.path, audio: false, seconds };
  const move = readMove(await readFile(made[SHOT_MOVE_OUTPUT.move]!.path, "utf8"));
  return { file: made[SHOT_MOVE_OUTPUT.still]!.path, audio: false, seconds, move };
}

export const shotsCutOp: Op = {
  name: "shots-cut",
  async run(params, io, args) {
    const p = params as unknown as ShotsCutParams;
    const a = args as unknown as ShotsCutArgs;
    const dialogue = io.inputs[a.dialogue]![DIALOGUE_OUTPUT.audio]!.path;
    const spoken = media(await mediaSeconds(dialogue, io.signal));
    const timing = shotsTiming(p.shots, p.fps);
    const { frames } = cutLength(timing.seconds, spoken, p.fps);
    const out = join(io.tmpDir, "cut.mp4");
    media(
      await joinWithTransitions(
        await Promise.all(a.cuts.map((id, i) => shotPiece(io.inputs[id]!, p.shots[i]!.seconds))),
        p.shots.map((s) => ({ transition: s.transition })),
        out,
        {
          width: p.size.width,
          height: p.size.height,
          fps: p.fps,
          scene: { sound: dialogue, ...(a.subtitles ? { ass: await readFile(io.inputs[a.subtitles]![SUBTITLES_OUTPUT.ass]!.path, "utf8") } : {}), frames },
        },
        mediaRun(io),
      ),
    );
    await io.output(CUT_OUTPUT.video, { file: out });
  },
};

export const cutOp: Op = {
  name: "cut",
  async run(params, io, args) {
    const p = params as unknown as CutParams;
    const a = args as unknown as CutArgs;
    const out = join(io.tmpDir, "cut.mp4");
    const made = io.inputs[a.clip]!;
    const video = made[CLIP_OUTPUT.video];
    const picture = video ? video.path : { still: made[CLIP_OUTPUT.still]!.path, ...readMove(await readFile(made[CLIP_OUTPUT.move]!.path, "utf8")) };
    media(
      await cutScene(
        {
          clip: picture,
          ...(a.dialogue ? { dialogue: io.inputs[a.dialogue]![DIALOGUE_OUTPUT.audio]!.path } : {}),
          ...(a.subtitles ? { ass: await readFile(io.inputs[a.subtitles]![SUBTITLES_OUTPUT.ass]!.path, "utf8") } : {}),
          seconds: p.seconds,
          size: p.size,
          fps: p.fps,
        },
        out,
        mediaRun(io),
      ),
    );
    await io.output(CUT_OUTPUT.video, { file: out });
  },
};
