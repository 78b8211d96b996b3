/**
 * What the storyboard page shows. The build fills this in from its plan and
 * events; the renderer turns it into one HTML page. Keeping the page a pure
 * function of this model is what makes it testable and deterministic.
 */

/** Where a scene stands in the current build. */
export type SceneState = "cached" | "built" | "failed" | "waiting" | "running";

export interface SceneFailure {
  /** The step that failed, e.g. `scene/the-call/clip`. */
  readonly step: string;
  /** Why, as the provider or tool said it. Shown verbatim (escaped). */
  readonly reason: string;
}

export interface StoryboardLine {
  /** The speaker's display name (cast `name`, not the cast id). */
  readonly speaker: string;
  readonly text: string;
  /** True while the text model has not written this line yet: shown dimmed. */
  readonly placeholder?: boolean;
  /** A native line the video model said otherwise (issue 29): what it said ("" for nothing). */
  readonly said?: string;
}

export interface StoryboardScene {
  /** The scene id from drama.yaml; also the card's anchor (`#scene-<id>`). */
  readonly id: string;
  /** 1-based position in the drama. */
  readonly index: number;
  readonly setting?: string;
  readonly action?: string;
  readonly beat?: string;
  /** How long it plays: the built cut's length once there is one, else the scene's `seconds`. */
  readonly seconds: number;
  /** The scene's `seconds` when the cut runs longer or shorter (its spoken lines did not fit). */
  readonly plannedSeconds?: number;
  /** True when `seconds` is the built cut's measured length (else it is the scene's planned `seconds`). */
  readonly measured?: boolean;
  /** Set for a narrated beat-only scene (no text provider): the mark the card shows. */
  readonly outline?: string;
  /** Set when the lines are not plain voice-over (issue 29): native, lip sync, or asked for one and voiced like voice-over (offline). */
  readonly dialogue?: string;
  readonly state: SceneState;
  readonly failure?: SceneFailure;
  /**
   * Paths relative to build/, not URL-encoded (`scenes/the-call/keyframe.png`).
   * The renderer encodes each segment, so an id with spaces or `#` still works
   * and nothing here can become a `javascript:` URL.
   */
  readonly keyframe?: string;
  /** The scene's video: its cut (with dialogue and subtitles) once built, else its clip. */
  readonly clip?: string;
  readonly lines: readonly StoryboardLine[];
  /** USD spent (or to be spent) on this scene's steps. */
  readonly cost: number;
  /** The takes of its keyframe and clip, once a build has made one of each. */
  readonly keyframeTakes?: StoryboardTakes;
  readonly clipTakes?: StoryboardTakes;
  /**
   * A multi-shot scene's shots, in order: the card becomes a strip of shot
   * cards. Absent for a format-1 scene (one shot, the scene's own steps),
   * whose card looks as before shots.
   */
  readonly shots?: readonly StoryboardShot[];
}

/** One shot of a multi-shot scene: its own keyframe, clip, takes and cost. */
export interface StoryboardShot {
  /** The shot's id in its step ids (`scene/<id>/shot/<shot>/clip`); the card's anchor is `#scene-<id>-shot-<shot>`. */
  readonly id: string;
  /** 1-based position in the scene. */
  readonly index: number;
  readonly size: string;
  /** Cast in frame, by display name. */
  readonly on: readonly string[];
  /** The clip length asked of the video model. */
  readonly seconds: number;
  /** Its length in the built cut, once measured. */
  readonly builtSeconds?: number;
  /** Into this shot from the one before (`cut` for the first). */
  readonly transition: string;
  readonly state: SceneState;
  /** Build-relative, as a scene's. */
  readonly keyframe?: string;
  readonly clip?: string;
  readonly lines: readonly StoryboardLine[];
  /** USD spent (or reused) on the shot's own steps. */
  readonly cost: number;
  readonly keyframeTakes?: StoryboardTakes;
  readonly clipTakes?: StoryboardTakes;
}

/** One part of what a picture or clip was asked for (`setting`, `action`, `camera`, `style`, `look`). */
export interface PromptPart {
  readonly label: string;
  readonly text: string;
}

/** The takes of one generation step, side by side on its card. */
export interface StoryboardTakes {
  /** The step id (`scene/the-call/clip`): what the page's buttons name. */
  readonly step: string;
  /** What a take's thumbnail is: a picture, a video, or (offline) the keyframe under a camera move. */
  readonly media: "image" | "video" | "move";
  /** What the chosen take was made from, as recorded with it. */
  readonly prompt: readonly PromptPart[];
  /** The takes made from the step's inputs as they are now, in take order. */
  readonly takes: readonly StoryboardTake[];
  /** False for a step whose takes the project's files cannot choose (a cast member's own picture). */
  readonly takeable: boolean;
}

export interface StoryboardTake {
  readonly take: number;
  /** USD it cost when it was made. */
  readonly cost: number;
  readonly chosen: boolean;
  /**
   * The chosen take's media in build/ (build-relative, as keyframe/clip).
   * A take not chosen is not in build/: `cached` is where the preview server
   * serves it from the cache (a root-relative URL), shown only when served.
   */
  readonly href?: string;
  readonly cached?: string;
}

/** One person of the cast sheet. */
export interface StoryboardCastMember {
  readonly id: string;
  readonly name: string;
  readonly look: string;
  /** Build-relative, once the portrait is built. */
  readonly portrait?: string;
  readonly takes?: StoryboardTakes;
}

export interface StoryboardTotals {
  readonly scenes: number;
  readonly steps: number;
  readonly ran: number;
  readonly cached: number;
  readonly failed: number;
  /** USD, as in the JSON summary event. */
  readonly costSpent: number;
  readonly costEstimated: number;
  readonly saved: number;
}

export interface StoryboardFinal {
  /** Path relative to build/ (e.g. `grandpas-new-year.mp4`), not URL-encoded. */
  readonly href: string;
  readonly durationSeconds?: number;
  /** The episode's cover PNG when built (issue 32), relative to build/: the video's poster. */
  readonly cover?: string;
}

export interface StoryboardModel {
  readonly title: string;
  readonly slug: string;
  /** BCP-47 tag from drama.yaml; becomes the page's `lang`. */
  readonly language: string;
  readonly totals: StoryboardTotals;
  readonly final?: StoryboardFinal;
  readonly scenes: readonly StoryboardScene[];
  /** The people of the drama (of the episode, on a series' episode page): portraits, names, looks. */
  readonly cast?: readonly StoryboardCastMember[];
  /** Shown in the footer as given. The only thing a caller should vary between identical builds. */
  readonly builtAt?: string;
  /** An episode's page links back to its series' index (build-relative page). */
  readonly index?: { readonly href: string; readonly title: string };
}

/** One row of a series' index page. */
export interface StoryboardEpisode {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  /** The episode's own page, build-relative. */
  readonly page: string;
  /** Its first keyframe, when one is built (build-relative). */
  readonly poster?: string;
  /** The final's measured length when built, else the sum of its scenes' seconds. */
  readonly seconds: number;
  /** Aggregated over its scenes and final, by the same precedence as a scene's state. */
  readonly state: SceneState;
  /** USD spent (or reused) on the episode's own steps. */
  readonly cost: number;
  /** Its video, when built (build-relative). */
  readonly video?: string;
}

/** The index page of a series: a row per episode. */
export interface StoryboardIndex {
  readonly title: string;
  readonly language: string;
  readonly totals: StoryboardTotals;
  readonly episodes: readonly StoryboardEpisode[];
  readonly builtAt?: string;
}
