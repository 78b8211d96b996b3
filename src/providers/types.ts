/**
 * The one interface every generation backend implements (DESIGN §4).
 * A provider is chosen per modality by `use:` in drama.yaml. Each call gets
 * the step's parameters and an AbortSignal and returns the bytes it made,
 * written to `ctx.outFile`, plus what it cost.
 */
import type { Size } from "../media/size.js";
import type { SubtitleOptions } from "../media/subtitles.js";
import type { ShotSize } from "../project/schema.js";

export type { Size };

export type Modality = "text" | "image" | "speech" | "video" | "music";

export interface CallContext {
  readonly signal: AbortSignal;
  /** A scratch directory private to this call; removed by the engine afterwards. */
  readonly tmpDir: string;
  /** Where the call writes its main output. The engine stores it by digest. */
  readonly outFile: string;
  /** Fraction 0..1 and a short message, for long calls (video jobs, encodes). */
  progress(fraction: number, message?: string): void;
  /**
   * Remote job ids are persisted the moment they exist, so a killed build
   * resumes polling the same paid job instead of starting a new one.
   */
  readonly job: {
    get(): string | undefined;
    set(id: string): Promise<void>;
  };
  /**
   * A paid answer's bytes, kept the moment they are here (before checks and
   * the store), so a build killed in between finishes from them next time
   * instead of buying the answer again. Absent where nothing durable is
   * offered (`write`, a worker without it).
   */
  readonly answer?: {
    keep(file: string): Promise<void>;
    /** A read-only path to the answer a killed run of this call kept, if any. */
    kept(): string | undefined;
  };
  /** A one-time notice for the user (e.g. "espeak-ng not found: silent voices"). */
  notice(message: string): void;
  /**
   * Book USD the provider charged for an answer that did not become the
   * output (a truncated body asked again, say), at once: the build's cost
   * counts every paid request, even when the step then fails.
   */
  spent(usd: number): void;
  /**
   * Which take this call makes (1 for the first). A later take is another
   * generation from the same request: a provider varies its seed where the API
   * has one; the offline provider draws a visibly different card or move.
   * Absent means 1.
   */
  readonly take?: number;
}

export interface Usage {
  /** USD actually charged, when the API reports usage; else the estimate. */
  readonly cost: number;
  readonly detail?: Record<string, number | string>;
}

export interface CastMemberRef {
  readonly id: string;
  readonly name: string;
  readonly look: string;
  /** The voice name for this provider (e.g. "onyx", "en+m3"). */
  readonly voice?: string;
  readonly voiceStyle?: string;
}

export interface LinesRequest {
  readonly title: string;
  readonly theme: string;
  readonly language: string;
  readonly sceneId: string;
  readonly beat: string;
  readonly setting?: string;
  readonly previousBeat?: string;
  readonly nextBeat?: string;
  readonly cast: readonly CastMemberRef[];
  /** How many lines to write, when the caller needs a number (the step graph does). */
  readonly count?: number;
  /** How many lines are accepted, around `count`; without it exactly `count`. */
  readonly range?: { readonly min: number; readonly max: number };
}
export interface Line {
  readonly speaker: string;
  readonly text: string;
}

/** Lines drafted earlier, to be rewritten by a stronger model (same speakers, same order). */
export interface PolishRequest {
  readonly title: string;
  readonly theme: string;
  readonly language: string;
  readonly sceneId: string;
  readonly beat: string;
  readonly cast: readonly CastMemberRef[];
  readonly lines: readonly Line[];
}

/**
 * A drama written from its theme (`dramake write`): cast and scenes sized to
 * a length. `theme` may be one part of a long source text; `before` then
 * carries the end of the previous part, so scenes continue from it.
 */
export interface ScriptRequest {
  readonly title: string;
  readonly theme: string;
  readonly language: string;
  readonly style: string;
  /** How many scenes to write, and about how long each is in seconds. */
  readonly scenes: number;
  readonly secondsPerScene: number;
  /** About how many spoken words per scene (150 a minute). */
  readonly wordsPerScene: number;
  /** Cast already in the project (reuse their ids), and who earlier parts introduced. */
  readonly cast: readonly Pick<CastMemberRef, "id" | "name" | "look">[];
  /** The text just before `theme` (the overlap) and the beats already written, for continuity. */
  readonly before?: string;
  readonly beatsSoFar?: readonly string[];
  /** 1-based part of a chunked source, when there is more than one. */
  readonly part?: { readonly index: number; readonly of: number };
}

/** What the text model answers for a ScriptRequest, before ids are normalized. */
export interface ScriptDraft {
  readonly cast: readonly { readonly id: string; readonly name: string; readonly look: string; readonly gender: "female" | "male" | "neutral"; readonly voice_style: string }[];
  readonly scenes: readonly {
    readonly id: string;
    readonly setting: string;
    readonly cast: readonly string[];
    readonly action: string;
    readonly camera: string;
    readonly seconds: number;
    readonly beat: string;
    readonly lines: readonly Line[];
  }[];
}

/**
 * One premise per episode of a series (`dramake write --episodes`): `episodes`
 * new ones, numbered from `first`, after the premises already there.
 */
export interface PremisesRequest {
  readonly title: string;
  readonly theme: string;
  readonly language: string;
  readonly style: string;
  readonly episodes: number;
  /** 1-based number of the first new episode, of `total` in all. */
  readonly first: number;
  readonly total: number;
  readonly earlier: readonly string[];
}

/** What the text model answers for a PremisesRequest. */
export interface PremisesDraft {
  readonly episodes: readonly { readonly title: string; readonly premise: string }[];
}

/** Checks a draft (the caller knows the project's rules); a reason goes back to the model for one repair turn. */
export type DraftCheck<T, D = ScriptDraft> = (draft: D) => { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

export interface PortraitRequest {
  readonly castId: string;
  readonly name: string;
  readonly look: string;
  readonly style: string;
  readonly language: string;
  readonly size: Size;
}

export interface KeyframeReference {
  readonly castId: string;
  readonly look: string;
  readonly file: string;
}

export interface KeyframeRequest {
  readonly sceneId: string;
  readonly setting: string;
  readonly action: string;
  readonly camera: string;
  readonly style: string;
  readonly language: string;
  readonly size: Size;
  /**
   * Portraits (or user reference images) of the scene's cast, as files, with
   * each member's look for a server that takes no images (described in words).
   * No name: a name is not a visual fact, and the keyframe's key does not hold it.
   */
  readonly references: readonly KeyframeReference[];
  /** The shot this keyframe is for (issue 27; absent for a scene's one format-1 shot): its size frames the picture. */
  readonly shot?: { readonly size: ShotSize };
  /** A multi-shot scene's first keyframe, for its other shots: same place, same light (a file). */
  readonly continuity?: string;
  /**
   * Where the cut burns the subtitles when the project moves them from the
   * default (issue 32: `subtitles:` position, safe area, style, labels, or a
   * delivery's safe area); an offline card keeps its text out of them. Only
   * an offline keyframe's request has it: a generated picture does not follow.
   */
  readonly captions?: CaptionPlacement;
}

/** The subtitles' placement settings an offline card lays its text around. */
export type CaptionPlacement = Pick<SubtitleOptions, "position" | "safeArea" | "style" | "reading" | "speakerLabels">;

export interface ClipRequest {
  readonly sceneId: string;
  readonly keyframe: string;
  readonly action: string;
  readonly camera: string;
  readonly seconds: number;
  readonly size: Size;
  readonly fps: number;
  /**
   * Native dialogue (issue 29): the shot's lines go into the request and the
   * clip's own sound is the dialogue. Absent: the clip is silent (voice-over, lipsync).
   */
  readonly dialogue?: NativeDialogue;
}

/** A shot's lines as a native-audio video model is asked to speak them. */
export interface NativeDialogue {
  /** BCP-47, e.g. en, zh-CN. */
  readonly language: string;
  readonly lines: readonly NativeLine[];
}

export interface NativeLine {
  /** The cast id (for voice samples) and the name the prompt uses. */
  readonly castId: string;
  readonly name: string;
  /** A few words of the speaker's look, so the model knows whose mouth moves. */
  readonly look: string;
  readonly text: string;
  /** The voice's style (cast voice.style), e.g. warm and slow. */
  readonly style?: string;
  /** A recording of the speaker's voice (cast voice.sample, or the voice-sample step's output), sent where the API takes reference audio. */
  readonly voiceSample?: string;
}

/** Who speaks a line: only what a voice depends on, so a costume change or a rename never re-voices anyone. */
export type SpeakerRef = Pick<CastMemberRef, "id" | "voice" | "voiceStyle">;

export interface SpeechRequest {
  readonly text: string;
  readonly language: string;
  readonly speaker: SpeakerRef;
  /** Speak within this many seconds if the voice can (a narrator reading a beat to its scene's length). */
  readonly fitSeconds?: number;
}

export interface MusicRequest {
  readonly mood: string;
  /** The episode's length (or the project's `music.seconds`). */
  readonly seconds: number;
}

/** A backend. Every method writes its output to `ctx.outFile`. */
export interface Provider {
  readonly type: string;
  /**
   * True when `lines` returns stand-ins rather than dialogue (offline has no
   * writer): the graph marks such lines so a storyboard shows them as
   * placeholders, without comparing their text.
   */
  readonly standInLines?: boolean;
  lines(req: LinesRequest, ctx: CallContext): Promise<Usage & { readonly lines: readonly Line[] }>;
  /**
   * Optional second pass over drafted lines (cheap draft, premium polish).
   * A separate call so it can be its own step: swapping the polish model
   * does not rerun the drafts.
   */
  polish?(req: PolishRequest, ctx: CallContext): Promise<Usage & { readonly lines: readonly Line[] }>;
  /** Optional: cast and scenes from a theme, checked by `check` (one repair turn when it says no). */
  script?<T>(req: ScriptRequest, check: DraftCheck<T>, ctx: CallContext): Promise<Usage & { readonly value: T }>;
  /** Optional: episode premises of a series from its theme, checked like `script`. */
  premises?<T>(req: PremisesRequest, check: DraftCheck<T, PremisesDraft>, ctx: CallContext): Promise<Usage & { readonly value: T }>;
  portrait(req: PortraitRequest, ctx: CallContext): Promise<Usage>;
  keyframe(req: KeyframeRequest, ctx: CallContext): Promise<Usage>;
  clip(req: ClipRequest, ctx: CallContext): Promise<Usage>;
  /**
   * Set by a provider whose clips are only the keyframe moved by the camera
   * words (offline pans): a build then never calls `clip`; the cut renders
   * the move itself, so the still's pixels go through x264 once, not twice.
   */
  readonly clipsAreMoves?: boolean;
  /**
   * The clip lengths (seconds) the video model accepts, from the capability
   * table or the provider's `capabilities:`; undefined when nobody knows
   * (offline, an undeclared relay model). The graph cuts scenes into shots by it.
   */
  clipLengths?(): readonly number[] | undefined;
  /**
   * A local provider's rendering version per modality, hashed into the keys
   * of the steps it serves: bumped when the same request would now give other
   * bytes (a remote provider's model name does this job), so old cache
   * entries are never served for the new drawing. Absent means 1.
   */
  readonly renderVersions?: Partial<Readonly<Record<Modality, number>>>;
  speech(req: SpeechRequest, ctx: CallContext): Promise<Usage>;
  music(req: MusicRequest, ctx: CallContext): Promise<Usage>;
  /** Price before running, in USD, for `plan` and `budget`. */
  estimate(modality: Modality, req: unknown): number;
  /**
   * When a call is paid but no price is known for its model: how the user
   * sets one (e.g. "set prices: { kling-v2: { per_second: <USD> } } under
   * providers.relay"). Undefined when priced, or free.
   */
  unpriced?(modality: Modality, req: unknown): string | undefined;
}
