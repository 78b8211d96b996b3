/**
 * How a drama step fails: each step module lists its failure kinds next to
 * the function that says them in a sentence; the step throws both together,
 * so the engine carries the sentence as the step's reason and the failure as
 * data to the failed event and `--json` (see engine/step-failure.ts). Neither
 * carries secrets (providers sanitize their errors, the engine redacts again).
 */
import { StepFailed } from "../engine/step-failure.js";
import type { Result } from "../result.js";

export function stepFailure<F extends { readonly kind: string; readonly [field: string]: unknown }>(failure: F, describe: (f: F) => string): StepFailed {
  return new StepFailed(describe(failure), failure);
}

/** Unwraps a media/provider Result inside a step's run(), failing the step with the failure itself as data. */
export function unwrap<T, E extends { readonly kind: string; readonly [field: string]: unknown }>(result: Result<T, E>, describe: (error: E) => string): T {
  if (result.ok) return result.value;
  throw stepFailure(result.error, describe);
}
