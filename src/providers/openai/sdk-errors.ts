/**
 * The openai SDK's error classes, once the SDK is loaded. The SDK is ~150
 * modules (~0.1 s of CPU a process), and `plan` or a graph load reach the
 * retry policy (http/retry.ts) without ever calling OpenAI, so nothing on
 * those paths imports it. Only an SDK client throws these, and a client is
 * made only by config.ts, which imports the SDK and notes its classes here
 * before any client exists; until then no error can be one of them.
 */
import type { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";

export interface SdkErrors {
  readonly APIConnectionError: typeof APIConnectionError;
  readonly APIConnectionTimeoutError: typeof APIConnectionTimeoutError;
  readonly APIError: typeof APIError;
  readonly APIUserAbortError: typeof APIUserAbortError;
}

let loaded: SdkErrors | undefined;

export function noteSdkErrors(errors: SdkErrors): void {
  loaded = errors;
}

/** The classes, or undefined while the SDK is not loaded (no error can then come from it). */
export function sdkErrors(): SdkErrors | undefined {
  return loaded;
}
