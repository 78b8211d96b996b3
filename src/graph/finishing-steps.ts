/**
 * An episode's finishing steps (issue 32) beside its scenes and final: its
 * cards (the final and the soundtrack place them, see finishing.ts), its
 * cover, and one delivery per `deliver:` entry. One call from dramaSteps.
 */
import type { StepSpec } from "../engine/step.js";
import type { EpisodeView } from "./episode.js";
import type { Placed } from "./layout.js";
import { cardPlans, deliveries } from "./finishing.js";
import { cardStep } from "./ops/card.js";
import { coverFile, coverStep } from "./ops/cover.js";
import { deliverStep, deliveryFile } from "./ops/deliver.js";

export interface FinishingSteps {
  readonly steps: StepSpec[];
  /** The cover, where it is written (absent without `cover:`). */
  readonly cover?: Placed;
  /** Each delivery's step and file, in `deliver:` order. */
  readonly deliveries: readonly (Placed & { readonly name: string })[];
}

export function finishingSteps(ep: EpisodeView): FinishingSteps {
  const { before, after } = cardPlans(ep);
  const steps: StepSpec[] = [...before, ...after].map((c) => cardStep(ep, c));
  const cover = coverStep(ep);
  if (cover) steps.push(cover);
  const placed = deliveries(ep.finishing.deliver).map((preset) => {
    const step = deliverStep(ep, preset, cover?.id);
    steps.push(step);
    return { name: preset.name, step: step.id, file: deliveryFile(ep, preset.name) };
  });
  return { steps, ...(cover ? { cover: { step: cover.id, file: coverFile(ep) } } : {}), deliveries: placed };
}
