/**
 * A failed step, as data (wireit's `Failure` union, opened up). The engine
 * knows nothing of providers or ffmpeg, so it cannot list their reasons: it
 * carries whatever `kind` the step's code names, with that kind's fields, and
 * passes it untouched (secrets removed) to the `failed` event, the reporters
 * and `--json`. The graph and the providers define the kinds; the engine only
 * adds its own few (below) for what it causes itself.
 *
 * A step reports a typed failure by throwing any error with a `failure`
 * member whose `kind` is a string (`StepFailed`, or a provider's own error
 * class); anything else thrown is an `error`.
 */
import type { Json } from "./step.js";

export interface Failure {
  readonly kind: string;
  readonly [field: string]: Json | undefined;
}

/** The kinds the engine itself gives a failure. */
export type EngineFailure =
  /** Something thrown without a typed failure: the message is all there is. `code` is a Node error code (ENOSPC, EACCES). */
  | { readonly kind: "error"; readonly code?: string }
  /** The step returned without storing the outputs it declares. */
  | { readonly kind: "no-output"; readonly outputs: readonly string[] }
  /** An input was corrupt in the cache and regenerating it failed. */
  | { readonly kind: "input-lost"; readonly input: string }
  /** Cancelled: the step's signal fired. */
  | { readonly kind: "aborted" };

/** Thrown by a step's run(): a sentence for people and the failure for programs (its JSON fields are what is kept). */
export class StepFailed extends Error {
  override readonly name = "StepFailed";
  constructor(
    message: string,
    readonly failure: { readonly kind: string; readonly [field: string]: unknown },
  ) {
    super(message);
  }
}

/** The typed failure an error carries, or `{kind: "error"}`. Only JSON fields are kept: it goes into events and files. */
export function failureOf(error: unknown): Failure {
  const carried = (error as { failure?: unknown } | null)?.failure;
  if (typeof carried === "object" && carried !== null && typeof (carried as { kind?: unknown }).kind === "string") {
    return jsonFields(carried as Record<string, unknown>) as unknown as Failure;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? { kind: "error", code } : { kind: "error" };
}

/**
 * Whether a step's error is its cancellation rather than a failure of its
 * own: the signal fired and the error says so by identity (the signal's
 * reason), by type (a typed `aborted` failure) or by the platform's name for
 * it (`AbortError` from fetch, streams, timers). Never by parsing a message.
 */
export function isCancellation(error: unknown, signal: AbortSignal): boolean {
  if (!signal.aborted) return false;
  if (error === signal.reason) return true;
  if (error instanceof Error && error.name === "AbortError") return true;
  return failureOf(error).kind === "aborted";
}

/** Every string in a failure passed through `redact` (providers sanitize, but a relay may echo a key anywhere). */
export function redactFailure(failure: Failure, redact: (text: string) => string): Failure {
  return mapStrings(failure, redact) as unknown as Failure;
}

function mapStrings(value: Json, f: (text: string) => string): Json {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v: Json) => mapStrings(v, f));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, mapStrings(v as Json, f)]])));
  }
  return value;
}

function jsonFields(value: Record<string, unknown>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    const j = asJson(v);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

function asJson(value: unknown): Json | undefined {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((v) => asJson(v) ?? null);
  if (typeof value === "object") return jsonFields(value as Record<string, unknown>);
  return undefined;
}
