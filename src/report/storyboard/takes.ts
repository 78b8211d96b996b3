/**
 * A generation step's takes as its card shows them: every take made from the
 * step's inputs as they are now (the ones choosing restores for nothing), the
 * chosen one from build/, the others from the action cache through the
 * preview server, and what the chosen one was made from.
 */
import type { StepTakes } from "../../engine/takes.js";
import type { Json } from "../../engine/step.js";
import type { PromptPart, StoryboardTakes } from "./model.js";
import { takeMediaUrl } from "./served.js";

/** How a step's takes are shown: which output is the thumbnail, and the chosen one's file in build/. */
export interface TakeView {
  readonly step: string;
  readonly media: StoryboardTakes["media"];
  /** The output a thumbnail is (`image`, `video`, or a move's `still`) and its file extension. */
  readonly output: string;
  readonly ext: string;
  /** Build-relative file of the chosen take's thumbnail, when there is one in build/. */
  readonly href?: string;
  readonly takeable: boolean;
}

/** The parts of a request a picture or clip is made from, in the order a prompt reads them. */
const PROMPT_FIELDS = ["name", "look", "setting", "action", "camera", "style"] as const;

/** What a step was asked for, from the parameters recorded with the take: the request's words, not its sizes or ids. */
export function promptOf(params: Json): PromptPart[] {
  const request = params !== null && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, Json | undefined>)["request"] : undefined;
  if (request === null || typeof request !== "object" || Array.isArray(request)) return [];
  const fields = request as Record<string, Json | undefined>;
  return PROMPT_FIELDS.flatMap((label) => {
    const text = fields[label];
    return typeof text === "string" && text.trim() !== "" ? [{ label, text }] : [];
  });
}

/** Undefined until a build has made and locked a take of the step. */
export function storyboardTakes(view: TakeView, takes: StepTakes | undefined): StoryboardTakes | undefined {
  const chosen = takes?.chosen;
  if (!takes || !chosen) return undefined;
  return {
    step: view.step,
    media: view.media,
    prompt: promptOf(chosen.params),
    takeable: view.takeable,
    takes: takes.family.map((t) => {
      const isChosen = t.key === chosen.key;
      const inCache = t.outputs[view.output] !== undefined;
      return {
        take: t.take,
        cost: t.cost,
        chosen: isChosen,
        ...(isChosen && view.href !== undefined ? { href: view.href } : {}),
        ...(!isChosen && inCache ? { cached: takeMediaUrl(t.key, view.output, view.ext) } : {}),
      };
    }),
  };
}
