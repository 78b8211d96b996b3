/**
 * Reporters consume engine events and write to a stream the CLI hands them:
 * the CLI stays the only place that decides where output goes.
 */
import type { EngineEvent } from "../engine/events.js";

export interface Sink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Reporter {
  event(e: EngineEvent): void;
  /** Flush whatever is still on screen (live lines); called once at the end. */
  close(): void;
}
