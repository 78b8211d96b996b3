/**
 * The offline outline: with no text provider, `write` still gives a project
 * that builds at once. Scenes follow a hook, a turn, a climax and a
 * resolution, their beats cut from the theme's own sentences; deterministic
 * (the same theme gives the same outline) and marked as an outline in the
 * file, so nobody mistakes it for a script.
 */
import { DIALOGUE_GAP } from "../graph/ops/dialogue.js";
import { spokenSeconds } from "../providers/offline/voice.js";
import type { ScriptDraft } from "../providers/types.js";

/** The pause a scene's dialogue leaves before and after its speech. */
const GAPS = 2 * DIALOGUE_GAP;

/**
 * A narrated scene as long as its beat takes to say (the offline voice's own
 * estimate, plus the pauses), at most the planned length: a short beat in a
 * long scene was seconds of dead air; a long one is read faster to fit.
 */
export function narratedSeconds(beat: string, planned: number): number {
  return Math.min(planned, Math.max(2, Math.ceil((spokenSeconds(beat) + GAPS) * 2) / 2));
}

type Act = "hook" | "turn" | "climax" | "resolution";
const ACTS: readonly Act[] = ["hook", "turn", "climax", "resolution"];

interface Words {
  /** A beat for an act the theme has no sentence left for. */
  readonly fallback: Record<Act, string>;
  /** A setting for a scene when the theme names no place: never empty, the keyframe card shows it. */
  readonly place: Record<Act, string>;
  /** Where a piece of the theme names a place ("in a small kitchen"): the place, without its preposition. */
  readonly placeIn: (text: string) => string | undefined;
}

const EN_PLACE = /\b(?:in|at|on|inside|outside|near|under|by)\s+((?:a|an|the|his|her|their|our|my)\s+[^,.;:!?]+)/i;

const EN_CLAUSE = /^(?:a|an|the|he|she|they|we|i|it|you|who|where|when|while|and|but|as|until|then|is|was|are|were)$/i;

const EN: Words = {
  fallback: {
    hook: "We meet the story's world and what is at stake.",
    turn: "Something changes, and the plan no longer holds.",
    climax: "Everything comes to a head.",
    resolution: "The story settles into its new shape.",
  },
  place: { hook: "where the story begins", turn: "the same world, a little later", climax: "where it all comes to a head", resolution: "where the story settles" },
  placeIn: (text) => {
    const [first, ...rest] = EN_PLACE.exec(text)?.[1]?.trim().split(/\s+/) ?? [];
    if (!first) return undefined;
    // The place ends where the next clause starts ("in a small bookshop | a woman lends ..."): at most five words more.
    const end = rest.findIndex((w) => EN_CLAUSE.test(w));
    return [first, ...rest.slice(0, Math.min(5, end < 0 ? rest.length : end))].join(" ");
  },
};

const ZH: Words = {
  fallback: { hook: "故事的世界和利害登场。", turn: "情况突变，原来的打算落空。", climax: "一切到了紧要关头。", resolution: "故事尘埃落定。" },
  place: { hook: "故事开始的地方", turn: "同一个地方，稍后", climax: "一切到了紧要关头的地方", resolution: "故事落幕的地方" },
  // "在小厨房里" / "在火车站": 在 up to the first punctuation.
  placeIn: (text) => /在([^，。！？；、,.!?;]{2,20}?)(?:里|上|中|外|旁|前|后)?(?=[，。！？；、,.!?;]|$)/.exec(text)?.[1],
};

function wordsFor(language: string): Words {
  return /^(zh|cmn|yue)/i.test(language) ? ZH : EN;
}

/** The theme's sentences (or clauses, when it is one long sentence), in order. */
export function themePieces(theme: string): string[] {
  const flat = theme.replace(/\s+/g, " ").trim();
  if (!flat) return [];
  const sentences = flat.split(/(?<=[.!?。！？])\s*/).map((s) => s.trim()).filter(Boolean);
  if (sentences.length >= 2) return sentences;
  const clauses = flat.split(/(?<=[,;，；、])\s*|\s+(?=(?:and|but|then|so|until|when)\s)/i).map((s) => s.trim().replace(/^(and|but|then|so)\s+/i, "")).filter(Boolean);
  return clauses.length ? clauses : [flat];
}

/** Which act scene `i` of `n` plays: spread evenly, the last scene always the resolution. */
export function actOf(i: number, n: number): Act {
  if (n === 1) return "hook";
  if (i === n - 1) return "resolution";
  return ACTS[Math.min(2, Math.floor((i * 3) / (n - 1)))]!;
}

export function outlineDraft(input: {
  readonly theme: string;
  readonly language: string;
  readonly scenes: number;
  readonly secondsPerScene: number;
  /** Existing cast keys: every scene shows them (there are no lines to say who speaks). */
  readonly cast: readonly string[];
}): ScriptDraft {
  const words = wordsFor(input.language);
  const pieces = themePieces(input.theme);
  const n = input.scenes;
  // A place the theme names anywhere carries over to scenes whose own piece names none.
  let place = pieces.map(words.placeIn).find(Boolean);
  const scenes = Array.from({ length: n }, (_, i) => {
    const act = actOf(i, n);
    // Each piece goes to one scene, in order (piece j to scene floor(j * n / pieces)); a scene with none gets its act's stock beat.
    const text = pieces.filter((_, j) => Math.floor((j * n) / pieces.length) === i).join(" ");
    // The beat is narrated as written: no "Hook:" label read aloud (the act is the scene's id).
    const beat = text || words.fallback[act];
    place = words.placeIn(text) ?? place;
    return {
      id: act,
      setting: place ?? words.place[act],
      cast: [...input.cast],
      action: "",
      camera: i === 0 ? "slow push-in" : i === n - 1 ? "slow pull-back" : "static",
      seconds: narratedSeconds(beat, input.secondsPerScene),
      beat,
      lines: [],
    };
  });
  return { cast: [], scenes };
}

export const OUTLINE_COMMENT =
  "outline: written offline by `dramake write` from the theme (hook, turn, climax, resolution).\n" +
  "Beats only; a build narrates them. Write the lines, or set use.text to a text provider and run `dramake write --force`.";
