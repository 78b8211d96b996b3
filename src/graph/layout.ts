/**
 * Where each part of a drama lives in its step graph: which steps are a
 * scene's, which step's lines are spoken, where its pictures land in build/,
 * which step is an episode's final. dramaSteps fills it in as it lays out the
 * steps, so reports (the storyboard, the CLI's per-episode costs) read a build
 * through this instead of spelling step ids or re-deciding the graph's choices.
 */
import type { ResolvedScene } from "../project/project.js";
import type { ShotSize, Transition } from "../project/schema.js";
import type { EpisodeView } from "./episode.js";
import type { ShotDialogue } from "./shot-dialogue.js";

/** A step whose output is materialized, and where (build-relative). */
export interface Placed {
  readonly step: string;
  readonly file: string;
}

/** A beat-only scene's lines: written by the text model at build time. */
export interface GeneratedLinesLayout {
  /** The step whose lines are spoken: the polish when there is one, else the drafts. */
  readonly spoken: string;
  readonly drafts: string;
  /** How many lines the text model is asked for (the scene has voice steps for up to `lineRange(...).max`). */
  readonly count: number;
  /** The text provider writes stand-ins, not dialogue (offline): show them as placeholders. */
  readonly standIn: boolean;
}

/**
 * One shot of a scene (issue 27): its own keyframe, clip and cut. A scene
 * that stays one shot with the format-1 ids (`formatOne`) has exactly one,
 * whose steps are the scene's own (`scene/<id>/keyframe`, `clip`, `cut`).
 */
export interface ShotLayout {
  /** The shot's id in step ids (`scene/<id>/shot/<shot>/…`): written, else its position. */
  readonly id: string;
  /** 1-based position in the scene. */
  readonly index: number;
  readonly size: ShotSize;
  /** Cast in frame. */
  readonly on: readonly string[];
  /** The clip length asked of the video model (planned from the file alone), seconds. */
  readonly seconds: number;
  /** Voice numbers (1-based, counted across the scene) of the lines this shot shows. */
  readonly voices: readonly number[];
  /** Into this shot from the previous shot of the scene (the first shot's is `cut`: the scene's own is the scene's). */
  readonly transition: Transition;
  readonly keyframe: Placed;
  /** Absent when the clip is a camera move the cut renders (offline). */
  readonly clip?: Placed;
  readonly cut: Placed;
  /** The cut step records the still and the move the scene's cut renders (offline): `cut.file` is never written. */
  readonly cutIsMove?: true;
  /** The shot's own steps. */
  readonly steps: readonly string[];
  /** How its lines are heard (issue 29): the mode asked and the mode built (offline: voice-over, marked). */
  readonly dialogue?: ShotDialogue;
}

export interface SceneLayout {
  /** Unique in the graph: the scene's step-id prefix without its slash (`scene/x`, `episode/e/scene/x`). Not a cache key. */
  readonly stepPrefix: string;
  readonly scene: ResolvedScene;
  /** 1-based position in its episode. */
  readonly index: number;
  readonly cast: readonly string[];
  /** The scene's own steps (not the portraits it shares). */
  readonly steps: readonly string[];
  readonly keyframe: Placed;
  /** Absent when the clip is a camera move the cut renders (offline): no file of its own. */
  readonly clip?: Placed;
  readonly cut: Placed;
  /**
   * The scene's shots in order. A format-1 scene has one, whose keyframe,
   * clip and cut are the scene's above; a multi-shot scene's `keyframe` is
   * its first shot's and its `cut` the shots joined.
   */
  readonly shots: readonly ShotLayout[];
  /** True when the scene keeps the format-1 step ids (one shot, `scene/<id>/keyframe|clip|cut`). */
  readonly formatOne: boolean;
  /** Into this scene from the previous one (`cut` for the first scene). */
  readonly transition: Transition;
  /**
   * For `plan`: why the scene stays one clip (a remote video model whose
   * lengths are unknown), or a written shot longer than the model's longest clip.
   */
  readonly notices?: readonly string[];
  readonly generated?: GeneratedLinesLayout;
  /** A beat-only scene with no text provider: its beat is narrated and captioned (an outline, not dialogue). */
  readonly narrated?: boolean;
}

export interface EpisodeLayout {
  readonly view: EpisodeView;
  readonly scenes: readonly SceneLayout[];
  readonly final: Placed & { readonly srt: string };
  readonly music: string;
  /** Every step the episode's final needs, its portraits and music included: what `--target` of the episode builds. */
  readonly cone: readonly string[];
  /** Steps no other episode needs (its scenes, its final, its own music): what the episode's cost is made of. */
  readonly own: readonly string[];
  /** Its cover PNG (issue 32), when the project asks for one. */
  readonly cover?: Placed;
  /** Its deliveries to platforms, in `deliver:` order. */
  readonly deliveries?: readonly (Placed & { readonly name: string })[];
}

export interface DramaLayout {
  /** True for an `episodes:` project; false for a format-1 project (one episode without an id). */
  readonly series: boolean;
  readonly title: string;
  readonly slug: string;
  readonly language: string;
  /** Portrait step per cast member: once per project, shared by every episode. */
  readonly portraits: ReadonlyMap<string, string>;
  readonly episodes: readonly EpisodeLayout[];
}
