/**
 * The `cut` op, `scene/<id>/cut`: clip + dialogue + burned subtitles, one
 * encoding setting for every cut so `final` joins them without re-encoding.
 * Its length follows the timing rule (plan/timing.ts) from its params and the
 * dialogue it is given (media/cut.ts applies it while rendering).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import { cameraMove, cutScene, mediaSeconds } from "../../media/index.js";
import { joinWithTransitions } from "../../media/transition.js";
import type { Transition } from "../../project/schema.js";
import { cutLength, shotsTiming } from "../plan/timing.js";
import { asJson } from "../json.js";
import { CLIP_OUTPUT, readMove } from "./clip.js";
import { DIALOGUE_OUTPUT } from "./dialogue.js";
import { SUBTITLES_OUTPUT } from "./subtitles.js";
import { media, mediaRun } from "./media-run.js";

/** The cut step's output. */
export const CUT_OUTPUT = { video: "video" } as const;

/** Hashed: the scene's nominal seconds and the picture's size and rate. */
export interface CutParams {
  readonly seconds: number;
  readonly size: { readonly width: number; readonly height: number };
  readonly fps: number;
}

/** Not hashed: which input is which (their ids and outputs are in the key). A shot's cut has only its clip. */
export interface CutArgs {
  readonly clip: string;
  readonly dialogue?: string;
  readonly subtitles?: string;
}

export function cutStep(ep: EpisodeView, scene: ResolvedScene): StepSpec {
  const args = { clip: ep.ids.clip(scene.id), dialogue: ep.ids.dialogue(scene.id), subtitles: ep.ids.subtitles(scene.id) } satisfies CutArgs;
  const params: CutParams = { seconds: scene.seconds, size: { width: ep.format.width, height: ep.format.height }, fps: ep.format.fps };
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
    inputs: [args.clip, args.dialogue, args.subtitles],
    files: [],
    pool: "ffmpeg",
    // The heaviest local work: x264 time grows with the scene's length, and a static shot's
    // repeated frames cost it about half (measured: 4 s static 0.68 s, 4 s pan 1.0 s). Longest first.
    weight: cameraMove(scene.camera).name === "static" ? scene.seconds / 2 : scene.seconds,
    materialize: { [CUT_OUTPUT.video]: ep.paths.cut(scene.id) },
  };
}

/**
 * `scene/<id>/shot/<shot>/cut`: one shot's picture at its planned length, at
 * the episode's size and rate, with a silent track (the scene's dialogue runs
 * across its shots, so the scene's cut lays it). The scene's cut joins these.
 */
export function shotCutStep(ep: EpisodeView, scene: ResolvedScene, shot: { readonly id: string; readonly seconds: number; readonly camera: string }): StepSpec {
  const ids = ep.ids.shot(scene.id, shot.id);
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
}

/** Not hashed: the shots' cut steps in order, the scene's dialogue and subtitles. */
export interface ShotsCutArgs {
  readonly cuts: readonly string[];
  readonly dialogue: string;
  readonly subtitles: string;
}

/**
 * A multi-shot scene's `scene/<id>/cut`: its shots' cuts joined (transitions
 * between them), the scene's dialogue under the whole and its subtitles
 * burned in; the last frame held while dialogue runs on (the cut-length rule
 * of plan/timing.ts on the joined length).
 */
export function shotsCutStep(ep: EpisodeView, scene: ResolvedScene, shots: readonly { readonly id: string; readonly seconds: number; readonly transition: Transition }[]): StepSpec {
  const args: ShotsCutArgs = { cuts: shots.map((s) => ep.ids.shot(scene.id, s.id).cut), dialogue: ep.ids.dialogue(scene.id), subtitles: ep.ids.subtitles(scene.id) };
  const params: ShotsCutParams = {
    shots: shots.map((s) => ({ seconds: s.seconds, transition: s.transition })),
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
  };
  return {
    id: ep.ids.cut(scene.id),
    kind: "ffmpeg",
    op: "shots-cut",
    version: 1,
    params: asJson(params),
    args: { ...args, cuts: [...args.cuts] },
    inputs: [...args.cuts, args.dialogue, args.subtitles],
    files: [],
    pool: "ffmpeg",
    weight: shots.reduce((n, s) => n + s.seconds, 0),
    materialize: { [CUT_OUTPUT.video]: ep.paths.cut(scene.id) },
  };
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
        a.cuts.map((id, i) => ({ file: io.inputs[id]![CUT_OUTPUT.video]!.path, audio: false, seconds: p.shots[i]!.seconds })),
        p.shots.map((s) => ({ transition: s.transition })),
        out,
        {
          width: p.size.width,
          height: p.size.height,
          fps: p.fps,
          scene: { sound: dialogue, ass: await readFile(io.inputs[a.subtitles]![SUBTITLES_OUTPUT.ass]!.path, "utf8"), frames },
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
