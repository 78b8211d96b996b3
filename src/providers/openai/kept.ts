/**
 * A paid answer kept by an earlier run of the same step that was killed
 * before storing it (CallContext.answer, issue 33 item 2): copied to the
 * call's output file and checked like a fresh answer, so the step finishes
 * without asking again. Bytes that no longer check out are dropped and the
 * call asks as it always did.
 */
import { copyFile, readFile, rm } from "node:fs/promises";
import type { DecodeKind } from "../../media/decode-check.js";
import type { CallContext } from "../types.js";
import { verifyDecodes } from "./verify.js";

export async function reuseKept(ctx: CallContext, kind: DecodeKind, endpoint: string, check?: (bytes: Uint8Array) => void): Promise<boolean> {
  const kept = ctx.answer?.kept();
  if (!kept) return false;
  try {
    await copyFile(kept, ctx.outFile);
    if (check) {
      check(await readFile(ctx.outFile));
    }
    await verifyDecodes(ctx.outFile, kind, endpoint, ctx.signal);
  } catch {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    await rm(ctx.outFile, { force: true });
    return false;
  }
  ctx.progress(1, "answer kept by an interrupted build reused");
  return true;
}
