/**
 * Adapts the engine's StepContext to a provider's CallContext: the output
 * goes to a scratch file the step then stores, and the remote job id goes to
 * the step's durable journal so a killed build resumes the paid job.
 */
import { join } from "node:path";
import type { StepContext } from "../engine/step.js";
import type { CallContext } from "../providers/types.js";

export function callContext(ctx: StepContext, outName: string): CallContext {
  return {
    signal: ctx.signal,
    tmpDir: ctx.tmpDir,
    outFile: join(ctx.tmpDir, outName),
    progress: (fraction, message) => ctx.progress(fraction, message),
    notice: (message) => ctx.notice(message),
    job: {
      get: () => ctx.journal.get("job"),
      set: (id) => ctx.journal.set("job", id),
    },
  };
}
