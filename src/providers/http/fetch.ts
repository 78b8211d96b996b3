/**
 * Plain fetch for providers that speak no SDK (the vendor job runner): one
 * JSON request as one attempt for withRetry. An error status becomes an
 * HttpStatusError carrying the status, headers and the server's own words, so
 * retry.ts classifies it exactly like an SDK error (429 waits, 5xx backs off,
 * 4xx fails at once); a socket failure stays fetch's TypeError, whose cause
 * names the code (ECONNREFUSED).
 */
import { OpenAIProviderError, shorten, type Redact } from "../openai/errors.js";

export class HttpStatusError extends Error {
  override readonly name = "HttpStatusError";
  constructor(
    readonly status: number,
    readonly headers: Headers,
    /** The server's message, already redacted and shortened. */
    readonly serverMessage: string,
  ) {
    super(`HTTP ${status}: ${serverMessage}`);
  }
}

export interface JsonRequest {
  readonly method: "GET" | "POST" | "PUT";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** What an error body says, read by the caller's paths (a vendor's error envelope); else the text. */
export type ErrorReader = (body: unknown) => string | undefined;

/**
 * Send one request, answer its JSON. `answered` is called once a 2xx answer
 * the vendor does not call an error is in (a paid request is then billed).
 */
export async function requestJson(
  req: JsonRequest,
  endpoint: string,
  signal: AbortSignal,
  redact: Redact,
  readError: ErrorReader,
  answered: () => void = () => {},
  /** Throws on an answer that is an error in the vendor's own terms (a code inside a 200). */
  accept?: (body: unknown) => void,
): Promise<unknown> {
  const init: RequestInit = { method: req.method, headers: { accept: "application/json", ...req.headers }, signal };
  if (req.body !== undefined) {
    init.body = JSON.stringify(req.body);
    (init.headers as Record<string, string>)["content-type"] = "application/json";
  }
  const res = await fetch(req.url, init);
  const text = await res.text();
  let body: unknown;
  let parsed = true;
  try {
    body = text === "" ? undefined : (JSON.parse(text) as unknown);
  } catch {
    parsed = false;
  }
  if (!res.ok) {
    const said = parsed ? readError(body) : undefined;
    throw new HttpStatusError(res.status, res.headers, redact(shorten(said ?? (text || res.statusText))));
  }
  // A 2xx answer is billed, even one we cannot read; a refusal (4xx, a vendor error code in a 200) bought nothing.
  if (!parsed) {
    answered();
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: "the answer is not JSON", received: redact(shorten(text)) });
  }
  accept?.(body);
  answered();
  return body;
}
