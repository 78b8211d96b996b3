/** The media layer's run options from a step context, and failures as step failures. */
import type { StepContext } from "../../engine/step.js";
import type { MediaRun } from "../../media/run.js";
import { describeFailure, type MediaFailure } from "../../media/failure.js";
import type { Result } from "../../result.js";
import { unwrap } from "../step-failure.js";

export function mediaRun(ctx: StepContext): MediaRun {
  return { signal: ctx.signal, progress: (fraction) => ctx.progress(fraction), scratch: ctx.tmpDir };
}

export function media<T>(result: Result<T, MediaFailure>): T {
  return unwrap(result, describeFailure);
}
