/**
 * A failed step over BullMQ. BullMQ keeps one string per failed job (its
 * failedReason, which QueueEvents and status read), so a step's failure data
 * travels in it as JSON behind a marker; a reason without the marker is
 * BullMQ's own (a stalled job, a removed one).
 */
import type { Failure } from "../../step-failure.js";

const MARK = "dramake-failure:";

export interface FailedRun {
  readonly message: string;
  readonly failure: Failure;
  readonly cost: number;
  readonly notices: readonly string[];
  readonly worker: string;
}

export function encodeFailure(run: FailedRun): string {
  return MARK + JSON.stringify(run);
}

export function decodeFailure(reason: string | undefined): FailedRun | undefined {
  if (reason === undefined || !reason.startsWith(MARK)) return undefined;
  try {
    const run = JSON.parse(reason.slice(MARK.length)) as FailedRun;
    return typeof run.message === "string" && typeof run.failure?.kind === "string" ? run : undefined;
  } catch {
    return undefined;
  }
}

/** The sentence a person reads for a failedReason of either kind. */
export function reasonText(reason: string | undefined): string {
  return decodeFailure(reason)?.message ?? reason ?? "unknown";
}
