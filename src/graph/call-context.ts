/**
 * Adapts the engine's StepContext to a provider's CallContext: the output
 * goes to a scratch file the step then stores, and the remote job id goes to
 * the step's durable journal so a killed build resumes the paid job.
 */
import { join } from "node:path";
import type { StepContext } from "../engine/step.js";
import type { CallContext, Usage } from "../providers/types.js";

export function callContext(ctx: StepContext, outName: string): CallContext {
  return {
    signal: ctx.signal,
    tmpDir: ctx.tmpDir,
    outFile: join(ctx.tmpDir, outName),
    progress: (fraction, message) => ctx.progress(fraction, message),
    notice: (message) => ctx.notice(message),
    spent: (usd) => ctx.cost(usd),
    take: ctx.take,
    job: {
      get: () => ctx.journal.get("job"),
      set: (id) => ctx.journal.set("job", id),
    },
    ...(ctx.journal.keep && ctx.journal.kept ? answerOf(ctx.journal.keep, ctx.journal.kept) : {}),
  };
}

function answerOf(keep: (name: string, file: string) => Promise<void>, kept: (name: string) => string | undefined): Pick<CallContext, "answer"> {
  return { answer: { keep: (file) => keep("answer", file), kept: () => kept("answer") } };
}

/**
 * One provider call that makes a file: run it into a scratch file, book what
 * it cost, store the file as the step's `output`. Every media-making step does
 * exactly this.
 */
export async function storeGenerated(
  ctx: StepContext,
  file: string,
  output: string,
  make: (call: CallContext) => Promise<Usage>,
): Promise<void> {
  const call = callContext(ctx, file);
  const usage = await make(call);
  ctx.cost(usage.cost);
  await ctx.output(output, { file: call.outFile });
}
