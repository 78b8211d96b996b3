/**
 * The one retry policy every OpenAI call goes through (the SDK's own retries
 * are off, so this is the only one):
 *  - 429 waits for Retry-After (seconds or an HTTP date; `retry-after-ms` too),
 *  - 408/409/5xx, network errors, timeouts and truncated downloads back off
 *    exponentially with jitter,
 *  - every attempt has its own timeout and is aborted with the caller's signal,
 *  - anything else (a 400, a 401) fails at once: retrying cannot fix it.
 * Failures come out as OpenAIProviderError carrying data, with server
 * messages redacted.
 */
import type { APIConnectionError, APIError } from "openai";
import { OpenAIProviderError, type OpenAIFailure, type Redact } from "../openai/errors.js";
import { HttpStatusError } from "./fetch.js";
import { sdkErrors } from "../openai/sdk-errors.js";

export interface RetryPolicy {
  /** Total attempts, ≥ 1. */
  readonly maxAttempts: number;
  /** Per attempt, covering the response body too. */
  readonly timeoutMs: number;
  /** First backoff; doubles per attempt up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails with the 429. */
  readonly maxRetryAfterMs: number;
  readonly redact: Redact;
  /** Jitter source, replaceable for tests. */
  readonly random: () => number;
}

/** Per request, when drama.yaml sets no `timeout_seconds` / `max_attempts`. */
const DEFAULT_TIMEOUT_SECONDS = 180;
const DEFAULT_MAX_ATTEMPTS = 4;

/** A provider's retry policy: drama.yaml's timeout and attempts, the tests' (or environment's) timing knobs, its redactor. */
export function retryPolicy(
  config: { readonly timeout_seconds?: number | undefined; readonly max_attempts?: number | undefined },
  tuning: Partial<Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "random">> | undefined,
  redact: Redact,
): RetryPolicy {
  return {
    maxAttempts: config.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    timeoutMs: (config.timeout_seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000,
    baseDelayMs: tuning?.baseDelayMs ?? 1000,
    maxDelayMs: tuning?.maxDelayMs ?? 30_000,
    maxRetryAfterMs: tuning?.maxRetryAfterMs ?? 120_000,
    random: tuning?.random ?? Math.random,
    redact,
  };
}

/** Thrown inside an attempt to ask for another one (a short download, say). */
export class RetryableFailure extends Error {
  constructor(readonly failure: OpenAIFailure) {
    super(failure.kind);
  }
}

type Verdict = { readonly retry: false; readonly failure: OpenAIFailure } | { readonly retry: true; readonly failure: OpenAIFailure; readonly delayMs?: number };

/**
 * A request the provider charges for (an image, a voice, a video job). Such a
 * request is retried only when it surely bought nothing: an error answer
 * (429, 5xx) or a connection that never opened. One that got no answer in
 * time, or whose connection broke after it was sent, may have been carried
 * out and billed: asking again could buy it twice, so it fails instead,
 * saying so (the next build asks again, once). An answer that arrived but
 * could not be used (a truncated body) was surely billed: it is booked with
 * `spent`, then retried.
 */
export interface Paid {
  /** USD one answered request costs. */
  readonly price: number;
  /** Book money for an answer that did not become the output. */
  spent(usd: number): void;
}

/**
 * Run `attempt` until it succeeds, fails for good, or attempts run out.
 * `attempt` gets a signal that fires on the caller's abort or this attempt's
 * timeout; pass it to the SDK (`{ signal }`) and to any body read. A paid
 * attempt calls `answered()` once the server's answer (status and headers)
 * is in.
 */
export async function withRetry<T>(
  endpoint: string,
  policy: RetryPolicy,
  signal: AbortSignal,
  attempt: (signal: AbortSignal, answered: () => void) => Promise<T>,
  paid?: Paid,
): Promise<T> {
  for (let n = 1; ; n++) {
    if (signal.aborted) throw new OpenAIProviderError({ kind: "aborted", endpoint });
    const timeout = AbortSignal.timeout(policy.timeoutMs);
    let answered = false;
    try {
      return await attempt(AbortSignal.any([signal, timeout]), () => void (answered = true));
    } catch (e) {
      let verdict = classify(e, endpoint, policy, n, signal, timeout);
      if (paid && answered) paid.spent(paid.price);
      if (paid && verdict.retry && mayHaveBought(verdict.failure, answered)) {
        verdict = { retry: false, failure: { ...verdict.failure, notRetried: answered ? "charged" : "maybe-charged" } as OpenAIFailure };
      }
      if (!verdict.retry || n >= policy.maxAttempts) throw new OpenAIProviderError(verdict.failure);
      await sleep(verdict.delayMs ?? backoff(policy, n), signal, endpoint);
    }
  }
}

/** Socket errors that mean the request never left this machine (nothing sent, nothing bought). */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

/** Whether retrying a paid request after this failure could buy it a second time. */
function mayHaveBought(f: OpenAIFailure, answered: boolean): boolean {
  if (f.kind === "timeout") return true;
  // A truncated body was bought (and booked); asking again is the only way to get the output.
  if (f.kind === "truncated") return false;
  if (f.kind === "network") return answered ? false : !(f.code !== undefined && NEVER_SENT.has(f.code));
  return false;
}

function classify(e: unknown, endpoint: string, policy: RetryPolicy, attempts: number, signal: AbortSignal, timeout: AbortSignal): Verdict {
  // Order matters: the caller's abort wins over everything, then our timeout
  // (the SDK reports both as a user abort because both come through `signal`).
  if (signal.aborted) return { retry: false, failure: { kind: "aborted", endpoint } };
  // The SDK's classes only once it is loaded (sdk-errors.ts): before that, no error is one of them.
  const sdk = sdkErrors();
  if (timeout.aborted || (sdk && e instanceof sdk.APIConnectionTimeoutError)) {
    return { retry: true, failure: { kind: "timeout", endpoint, seconds: policy.timeoutMs / 1000, attempts } };
  }
  if (e instanceof OpenAIProviderError) return { retry: false, failure: e.failure };
  if (e instanceof RetryableFailure) return { retry: true, failure: withAttempts(e.failure, attempts) };
  if (sdk && e instanceof sdk.APIUserAbortError) return { retry: false, failure: { kind: "aborted", endpoint } };
  if (sdk && e instanceof sdk.APIConnectionError) {
    const code = causeCode(e);
    return { retry: true, failure: { kind: "network", endpoint, message: policy.redact(causeMessage(e)), attempts, ...(code ? { code } : {}) } };
  }
  if (sdk && e instanceof sdk.APIError && typeof e.status === "number") return statusVerdict(e.status, e.headers, policy.redact(serverMessage(e)), endpoint, policy, attempts);
  if (e instanceof HttpStatusError) return statusVerdict(e.status, e.headers, e.serverMessage, endpoint, policy, attempts);
  // fetch() itself (no SDK): a TypeError whose cause is the socket error.
  if (e instanceof TypeError && e.message === "fetch failed") {
    const code = causeCode(e);
    const detail = code ?? causeChain(e).message;
    return { retry: true, failure: { kind: "network", endpoint, message: policy.redact(detail ? `fetch failed (${detail})` : "fetch failed"), attempts, ...(code ? { code } : {}) } };
  }
  // Not an HTTP problem: a programming error or a local disk error. Let it surface as is.
  throw e;
}

function statusVerdict(status: number, headers: Headers | undefined, message: string, endpoint: string, policy: RetryPolicy, attempts: number): Verdict {
  const failure: OpenAIFailure = { kind: "http", endpoint, status, message, attempts };
  if (status === 429) {
    const wait = retryAfterMs(headers);
    if (wait !== undefined && wait > policy.maxRetryAfterMs) {
      // Waiting it out would hold the build for longer than we ever wait; asking sooner only earns another 429.
      const asked = `asked to wait ${Math.ceil(wait / 1000)} s, longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s a build waits for a rate limit; retry later, or raise the provider's rate limit`;
      return { retry: false, failure: { ...failure, message: message ? `${message} (${asked})` : asked } };
    }
    return wait === undefined ? { retry: true, failure } : { retry: true, failure, delayMs: wait };
  }
  const transient = status === 408 || status === 409 || status >= 500;
  return { retry: transient, failure };
}

function withAttempts(f: OpenAIFailure, attempts: number): OpenAIFailure {
  return "attempts" in f ? { ...f, attempts } : f;
}

/** The server's own words, without the SDK's status prefix. */
function serverMessage(e: APIError): string {
  const body = e.error as { message?: unknown } | undefined;
  return typeof body?.message === "string" ? body.message : e.message;
}

/**
 * The SDK wraps fetch's TypeError ("fetch failed"), which wraps the socket
 * error that says what happened (ECONNREFUSED, ENOTFOUND): name the deepest
 * code in the chain, else the innermost message.
 */
function causeMessage(e: APIConnectionError): string {
  const { code, message } = causeChain(e);
  const detail = code ?? message;
  return detail ? `${e.message} (${detail})` : e.message;
}

/** The deepest socket error code (ECONNREFUSED, ECONNRESET) behind an error, if any. */
export function causeCode(e: unknown): string | undefined {
  return causeChain(e).code;
}

function causeChain(e: unknown): { code?: string; message?: string } {
  let code: string | undefined;
  let message: string | undefined;
  let cause = (e as { cause?: unknown }).cause as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; cause && depth < 5; depth++, cause = cause.cause as typeof cause) {
    if (typeof cause.code === "string") code = cause.code;
    if (typeof cause.message === "string" && cause.message) message = cause.message;
  }
  return { ...(code !== undefined ? { code } : {}), ...(message !== undefined ? { message } : {}) };
}

/** Milliseconds the server asked us to wait, if it said. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential with "equal jitter": half fixed, half random, so retries spread but still grow. */
export function backoff(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + policy.random() * (ceiling / 2);
}

/** Sleep that ends early, with an `aborted` failure, when the signal fires. */
export function sleep(ms: number, signal: AbortSignal, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => reject(new OpenAIProviderError({ kind: "aborted", endpoint }));
    if (signal.aborted) return aborted();
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      aborted();
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
