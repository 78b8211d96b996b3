/**
 * Getting bytes onto disk safely: a body is streamed to a temp file beside
 * its destination, checked against Content-Length, and only then renamed into
 * place. A cut connection is a RetryableFailure (so withRetry asks again) and
 * never leaves a file at the destination that looks complete.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { tempBeside, writeFileAtomic } from "../../atomic.js";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { OpenAIProviderError, shorten, type Redact } from "../openai/errors.js";
import { RetryableFailure } from "./retry.js";

/**
 * Write bytes to `dest` atomically (temp file + rename), through the one
 * helper every atomic write uses: its `.tmp-` names are what gc sweeps.
 */
export function writeAtomic(dest: string, bytes: Uint8Array | string): Promise<void> {
  return writeFileAtomic(dest, bytes);
}

/**
 * Stream a response body to `dest` atomically; returns the byte count.
 * With `check`, the first bytes are offered to it before the rename, so a
 * caller can refuse content that is not what it asked for (an HTML error
 * page served with 200, say); the refusal is thrown as is.
 */
export async function saveBody(res: Response, dest: string, endpoint: string, check?: (head: Uint8Array) => void): Promise<number> {
  if (!res.body) throw new RetryableFailure({ kind: "network", endpoint, message: "response had no body", attempts: 1 });
  // A compressed body's Content-Length counts compressed bytes; then only the stream's own errors can tell.
  const encoded = (res.headers.get("content-encoding") ?? "identity") !== "identity";
  const announced = encoded ? undefined : lengthOf(res.headers.get("content-length"));
  const tmp = tempBeside(dest);
  let received = 0;
  let head = new Uint8Array(0);
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (head.length < 64) head = Buffer.concat([head, chunk]).subarray(0, 64);
      done(null, chunk);
    },
  });
  const file = createWriteStream(tmp);
  try {
    try {
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), count, file);
    } catch (e) {
      await closed(file);
      // An aborted signal also ends the stream: leave that to withRetry's classification.
      if (isAbort(e)) throw e;
      throw new RetryableFailure(
        announced !== undefined
          ? { kind: "truncated", endpoint, expected: announced, received, attempts: 1 }
          : { kind: "network", endpoint, message: `connection closed after ${received} bytes`, attempts: 1 },
      );
    }
    if (announced !== undefined && received !== announced) {
      throw new RetryableFailure({ kind: "truncated", endpoint, expected: announced, received, attempts: 1 });
    }
    check?.(head);
    await closed(file);
    await rename(tmp, dest);
    return received;
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Settles once the temp file's descriptor is closed. When the body fails,
 * pipeline() rejects before the file stream has even opened its file (its
 * open is still queued in libuv's pool); removing the temp file then would
 * run first, and the late open would create it again as a leftover `.part`.
 */
function closed(file: WriteStream): Promise<void> {
  if (file.closed) return Promise.resolve();
  return new Promise((resolve) => {
    file.once("close", resolve);
    file.destroy();
  });
}

function lengthOf(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header);
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === "AbortError" || (e as { code?: unknown }).code === "ABORT_ERR");
}

/** A printable glimpse of unexpected bytes, for an invalid-output failure. */
export function describeHead(head: Uint8Array): string {
  const text = Buffer.from(head.subarray(0, 48)).toString("latin1");
  return /^[\x20-\x7e\s]*$/.test(text) ? JSON.stringify(text) : `${head.length}+ bytes starting ${Buffer.from(head.subarray(0, 8)).toString("hex")}`;
}

/** Where a provider's own API lives, and its key: a result URL on that origin may see the key, no other. */
export interface KeyScope {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly redact: Redact;
}

/**
 * GET a result URL (an image, a finished job's video) to `dest` atomically,
 * as one attempt for withRetry: 429 and 5xx ask for another, other statuses
 * fail. With `keyToOwnOrigin` the Authorization header goes to the
 * provider's own origin (a relay's content endpoint may need it), never
 * anywhere else: a CDN or storage host serving the file must not see the key.
 */
export async function download(
  scope: KeyScope,
  url: string,
  dest: string,
  endpoint: string,
  signal: AbortSignal,
  opts: {
    readonly keyToOwnOrigin?: boolean;
    readonly check?: (head: Uint8Array) => void;
    /** The headers carrying the credentials (default `Authorization: Bearer <apiKey>`), sent only where keyToOwnOrigin allows. */
    readonly credentials?: () => Record<string, string>;
  } = {},
): Promise<number> {
  const { check } = opts;
  const target = new URL(url, scope.baseUrl);
  const own = opts.keyToOwnOrigin === true && target.origin === new URL(scope.baseUrl).origin;
  const credentials = opts.credentials ?? ((): Record<string, string> => (scope.apiKey ? { authorization: `Bearer ${scope.apiKey}` } : {}));
  const headers: Record<string, string> = own ? credentials() : {};
  const got = await fetch(target, { signal, headers }).catch((e: unknown) => {
    // Aborts and timeouts are classified by withRetry from the signals; anything else is the network.
    if (signal.aborted) throw e;
    throw new RetryableFailure({ kind: "network", endpoint, message: scope.redact(String((e as Error).cause ?? e)), attempts: 1 });
  });
  if (!got.ok) {
    const failure = { kind: "http", endpoint, status: got.status, message: scope.redact(shorten(await got.text().catch(() => ""))), attempts: 1 } as const;
    if (got.status === 429 || got.status >= 500) throw new RetryableFailure(failure);
    throw new OpenAIProviderError(failure);
  }
  return saveBody(got, dest, endpoint, check);
}
