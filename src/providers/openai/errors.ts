/**
 * Failures of the OpenAI-compatible provider, as data. Each variant names the
 * endpoint (e.g. `videos.create`) and carries its own fields; the caller adds
 * the step id. Messages that came from the server pass through `redact`
 * first, so the API key never reaches an error, a log or a terminal, even
 * when a relay echoes the Authorization header back.
 */

export type OpenAIFailure =
  /** The server answered with an error status (after retries, when it was retryable). */
  | { readonly kind: "http"; readonly endpoint: string; readonly status: number; readonly message: string; readonly attempts: number }
  /** No answer: connection refused or reset, DNS, TLS. `code` is the socket's (ECONNREFUSED). */
  | { readonly kind: "network"; readonly endpoint: string; readonly message: string; readonly attempts: number; readonly code?: string; readonly notRetried?: NotRetried }
  /** No complete answer within `timeout_seconds`. */
  | { readonly kind: "timeout"; readonly endpoint: string; readonly seconds: number; readonly attempts: number; readonly notRetried?: NotRetried }
  /** The caller's AbortSignal fired (Ctrl-C, a watch re-plan). */
  | { readonly kind: "aborted"; readonly endpoint: string }
  /** A download ended before its announced Content-Length. */
  | { readonly kind: "truncated"; readonly endpoint: string; readonly expected: number; readonly received: number; readonly attempts: number }
  /** The server answered, but not with what was asked for (bad JSON, wrong shape, not an image). */
  | { readonly kind: "invalid-output"; readonly endpoint: string; readonly message: string; readonly received: string }
  /** A video job ended in `failed`; `reason` is the server's. */
  | { readonly kind: "job-failed"; readonly endpoint: string; readonly jobId: string; readonly code: string; readonly reason: string }
  /** A video job did not finish within the provider's job timeout; it may still finish and be resumed. */
  | { readonly kind: "job-timeout"; readonly endpoint: string; readonly jobId: string; readonly seconds: number }
  /** The request cannot be expressed for this model (e.g. 20 s of video); says what is allowed. */
  | { readonly kind: "unsupported"; readonly endpoint: string; readonly subject: string; readonly message: string; readonly allowed?: readonly string[] }
  /** A native-dialogue clip came back without sound (issue 29): it is not the shot's dialogue; lip sync is the way out. */
  | { readonly kind: "no-native-audio"; readonly endpoint: string; readonly jobId: string; readonly model: string }
  /**
   * Before a lip-sync job is bought (issue 29): the clip is shorter than the
   * dialogue it must mouth. `line` names the first line that ends past it.
   */
  | { readonly kind: "clip-too-short"; readonly endpoint: string; readonly clipSeconds: number; readonly dialogueSeconds: number; readonly line?: string };

/**
 * Why a paid request was not asked again: its answer came and was billed
 * (`charged`), or it may have been carried out and billed without an answer
 * reaching us (`maybe-charged`). Asking again could buy the same thing twice.
 */
export type NotRetried = "charged" | "maybe-charged";

/**
 * Thrown by provider methods (the Provider interface returns promises). It is
 * a carrier for `failure`: callers should read that, not parse `message`.
 */
export class OpenAIProviderError extends Error {
  override readonly name = "OpenAIProviderError";
  /** `refused`: the provider's content policy said no; the engine remembers that by key and does not ask again. */
  readonly failure: OpenAIFailure & { readonly refused?: true };
  constructor(failure: OpenAIFailure) {
    super(describeFailure(failure));
    this.failure = isRefusal(failure) ? { ...failure, refused: true } : failure;
  }
  /** Serialises as the data, never as a stack. */
  toJSON(): OpenAIFailure {
    return this.failure;
  }
}

/** One line for a person; the engine prefixes the step id. */
export function describeFailure(f: OpenAIFailure): string {
  const tries = "attempts" in f && f.attempts > 1 ? ` after ${f.attempts} attempts` : "";
  switch (f.kind) {
    case "http":
      return `${f.endpoint}: HTTP ${f.status}${tries}: ${f.message}`;
    case "network":
      return `${f.endpoint}: network error${tries}: ${f.message}${notRetried(f.notRetried)}`;
    case "timeout":
      return `${f.endpoint}: no answer within ${f.seconds} s${tries}${notRetried(f.notRetried)}`;
    case "aborted":
      return `${f.endpoint}: aborted`;
    case "truncated":
      return `${f.endpoint}: download truncated${tries}: got ${f.received} of ${f.expected} bytes`;
    case "invalid-output":
      return `${f.endpoint}: ${f.message}; received: ${f.received}`;
    case "job-failed":
      return `${f.endpoint}: video job ${f.jobId} failed (${f.code}): ${f.reason}`;
    case "job-timeout":
      return `${f.endpoint}: video job ${f.jobId} not finished after ${f.seconds} s (it is remembered; the next build resumes it)`;
    case "unsupported":
      return `${f.endpoint}: ${f.subject}: ${f.message}${f.allowed ? ` (allowed: ${f.allowed.join(", ")})` : ""}`;
    case "no-native-audio":
      return `${f.endpoint}: no-native-audio: ${f.model} made job ${f.jobId} without an audio stream, so the shot has no dialogue; nothing was kept (set dialogue: lipsync for this shot, or a video model that makes sound)`;
    case "clip-too-short":
      return `${f.endpoint}: the clip is ${f.clipSeconds.toFixed(2)} s but its dialogue is ${f.dialogueSeconds.toFixed(2)} s${f.line ? `; ${f.line} ends after the clip: shorten it or give the shot more seconds` : ": shorten its lines or give the shot more seconds"} (no lip-sync job was bought)`;
  }
}

function notRetried(why: NotRetried | undefined): string {
  if (why === "charged") return "; not asked again: the provider answered and charged for it (counted in the cost), and asking again would buy it twice";
  if (why === "maybe-charged") return "; not asked again: the provider may have carried it out and charged for it, and asking again could buy it twice (the next build asks once more)";
  return "";
}

/** A redactor bound to one secret. Also removes any bearer token, whoever's it is. */
export type Redact = (text: string) => string;

export function redactor(secret: string): Redact {
  return (text) => {
    let out = text;
    // Short secrets would blank out ordinary words; a real key is long.
    if (secret.length >= 6) out = out.split(secret).join("[redacted]");
    return out.replace(/Bearer\s+[^\s"',)]+/gi, "Bearer [redacted]");
  };
}

/** Keep what came back readable in one line of an error. */
export function shorten(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

const POLICY = /moderation|content[ _]policy|safety system/i;

/**
 * A refusal on content grounds (issue 33, item 3): the same request would be
 * refused again, so asking again only costs. A 400 whose message names the
 * policy (OpenAI's `moderation_blocked`: "…rejected by our safety system"), or
 * a video job that failed with a moderation code or reason. Never a 5xx, a
 * timeout or a failure of our own.
 */
export function isRefusal(f: OpenAIFailure): boolean {
  if (f.kind === "job-failed") return POLICY.test(`${f.code} ${f.reason}`);
  if (f.kind === "http") return f.status === 400 && POLICY.test(f.message);
  return false;
}
