/**
 * The offline outline: with no text provider, `write` still gives a project
 * that builds at once. Scenes follow a hook, a turn, a climax and a
 * resolution, their beats cut from the theme's own sentences; deterministic
 * (the same theme gives the same outline) and marked as an outline in the
 * file, so nobody mistakes it for a script.
 */
import type { ScriptDraft } from "../providers/types.js";

type Act = "hook" | "turn" | "climax" | "resolution";
const ACTS: readonly Act[] = ["hook", "turn", "climax", "resolution"];

interface Words {
  readonly label: Record<Act, string>;
  /** A beat for an act the theme has no sentence left for. */
  readonly fallback: Record<Act, string>;
  readonly join: (label: string, text: string) => string;
}

const EN: Words = {
  label: { hook: "Hook", turn: "Turn", climax: "Climax", resolution: "Resolution" },
  fallback: {
    hook: "We meet the story's world and what is at stake.",
    turn: "Something changes, and the plan no longer holds.",
    climax: "Everything comes to a head.",
    resolution: "The story settles into its new shape.",
  },
  join: (label, text) => `${label}: ${text}`,
};

const ZH: Words = {
  label: { hook: "开场", turn: "转折", climax: "高潮", resolution: "结局" },
  fallback: { hook: "故事的世界和利害登场。", turn: "情况突变，原来的打算落空。", climax: "一切到了紧要关头。", resolution: "故事尘埃落定。" },
  join: (label, text) => `${label}：${text}`,
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
  const scenes = Array.from({ length: n }, (_, i) => {
    const act = actOf(i, n);
    // Each piece goes to one scene, in order (piece j to scene floor(j * n / pieces)); a scene with none gets its act's stock beat.
    const text = pieces.filter((_, j) => Math.floor((j * n) / pieces.length) === i).join(" ");
    return {
      id: act,
      setting: "",
      cast: [...input.cast],
      action: "",
      camera: i === 0 ? "slow push-in" : i === n - 1 ? "slow pull-back" : "static",
      seconds: input.secondsPerScene,
      beat: words.join(words.label[act], text || words.fallback[act]),
      lines: [],
    };
  });
  return { cast: [], scenes };
}

export const OUTLINE_COMMENT =
  "outline: written offline by `dramake write` from the theme (hook, turn, climax, resolution).\n" +
  "Beats only; a build narrates them. Write the lines, or set use.text to a text provider and run `dramake write --force`.";
