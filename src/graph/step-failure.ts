/**
 * A step that cannot produce its output fails with a message meant for the
 * user. The engine records `message` as the step's reason; it never carries
 * secrets (providers sanitize their errors before they get here).
 */
import type { Result } from "../result.js";

export class StepFailure extends Error {
  override readonly name = "StepFailure";
}

/** Unwraps a media/provider Result inside a step's run(), failing the step with a readable reason. */
export function unwrap<T, E>(result: Result<T, E>, describe: (error: E) => string): T {
  if (result.ok) return result.value;
  throw new StepFailure(describe(result.error));
}
