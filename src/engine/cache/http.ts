/**
 * The remote cache's HTTP client. Every request is bounded: a few at a time,
 * and a stall timer that aborts when no response, or no next chunk of a body,
 * arrives in time. The first failure of any kind (refused, timed out, 5xx,
 * 401/403) turns the client off for the rest of the build with ONE warning,
 * so a cache that is down costs one timeout, not one per step.
 */
import pLimit, { type LimitFunction } from "p-limit";
import type { Endpoint } from "./endpoint.js";
import { redactUserinfo } from "./endpoint.js";

/** `missing` is a 404; `down` means the client is off (the warning was given). */
export type Fetched<T> = { readonly kind: "ok"; readonly value: T } | { readonly kind: "missing" } | { readonly kind: "down" };

export interface Transfer {
  /** Bytes of bodies received and sent. */
  downloaded: number;
  uploaded: number;
}

export class CacheHttp {
  private off = false;
  private readonly limit: LimitFunction;
  /** Aborts everything in flight when the build stops waiting for uploads. */
  private readonly cancel = new AbortController();
  readonly moved: Transfer = { downloaded: 0, uploaded: 0 };

  constructor(
    private readonly ep: Endpoint,
    private readonly timeoutMs: number,
    concurrency: number,
    private readonly warn: (message: string) => void,
  ) {
    this.limit = pLimit(Math.max(1, concurrency));
  }

  get isOff(): boolean {
    return this.off;
  }

  /** Turn off without a warning of our own (the caller explains, e.g. it stopped waiting). */
  abortAll(): void {
    this.off = true;
    this.cancel.abort(new Error("the build stopped waiting for the remote cache"));
  }

  head(path: string): Promise<Fetched<true>> {
    return this.request("HEAD", path, undefined, async () => true as const);
  }

  getText(path: string): Promise<Fetched<string>> {
    return this.request("GET", path, undefined, async (res) => {
      const text = await res.text();
      this.moved.downloaded += Buffer.byteLength(text);
      return text;
    });
  }

  /** Streams a body chunk by chunk into `sink`; the value is the byte count. */
  getStream(path: string, sink: (chunk: Uint8Array) => Promise<void> | void): Promise<Fetched<number>> {
    return this.request("GET", path, undefined, async (res, arm) => {
      let bytes = 0;
      if (res.body) {
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          arm();
          bytes += chunk.byteLength;
          await sink(chunk);
        }
      }
      this.moved.downloaded += bytes;
      return bytes;
    });
  }

  async put(path: string, body: Uint8Array, contentType: string): Promise<boolean> {
    // A body is sent in one go, with no chunks to re-arm the stall timer: it gets one more timeout per MB.
    const got = await this.request("PUT", path, { body, contentType }, async () => true as const);
    if (got.kind === "ok") this.moved.uploaded += body.byteLength;
    return got.kind === "ok";
  }

  private request<T>(method: Method, path: string, send: Body | undefined, read: Reader<T>): Promise<Fetched<T>> {
    if (this.off) return Promise.resolve({ kind: "down" });
    return this.limit(async (): Promise<Fetched<T>> => {
      for (let attempt = 0; ; attempt++) {
        if (this.off) return { kind: "down" };
        const got = await this.attempt(method, path, send, read);
        if (got.kind !== "stale") return got;
        // A kept-alive connection the server had closed (idle timeout, restart): one fresh connection decides.
        if (attempt >= 1) return this.down(`is unreachable (${got.why})`);
      }
    });
  }

  private async attempt<T>(method: Method, path: string, send: Body | undefined, read: Reader<T>): Promise<Fetched<T> | { kind: "stale"; why: string }> {
    const stall = new AbortController();
    const budget = this.timeoutMs * (1 + Math.floor((send?.body.byteLength ?? 0) / 1e6));
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(new Error(`no answer within ${budget} ms`)), budget);
    };
    arm();
    let answered = false;
    try {
      const headers: Record<string, string> = {};
      if (this.ep.authorization) headers.authorization = this.ep.authorization;
      if (send) headers["content-type"] = send.contentType;
      const res = await fetch(`${this.ep.base}/${path}`, {
        method,
        headers,
        body: send?.body,
        signal: AbortSignal.any([stall.signal, this.cancel.signal]),
      });
      answered = true;
      arm();
      if (res.status === 404 && method !== "PUT") {
        await res.body?.cancel();
        return { kind: "missing" };
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel();
        return this.down(`refused access (HTTP ${res.status}); set DRAMAKE_REMOTE_CACHE_TOKEN (a bearer token) or put user:password in the cache URL`);
      }
      if (!res.ok) {
        await res.body?.cancel();
        return this.down(`answered ${method} with HTTP ${res.status}`);
      }
      return { kind: "ok", value: await read(res, arm) };
    } catch (error) {
      if (this.cancel.signal.aborted) return { kind: "down" };
      if (stall.signal.aborted) return this.down(`did not answer within ${budget} ms`);
      // Only before an answer: a body half-read has already gone to its sink.
      if (!answered && STALE.has(causeCode(error) ?? "")) return { kind: "stale", why: why(error) };
      return this.down(`is unreachable (${why(error)})`);
    } finally {
      clearTimeout(timer);
    }
  }

  private down(why: string): { kind: "down" } {
    if (!this.off) {
      this.off = true;
      this.warn(`remote cache ${this.ep.shown} ${why}; going on without it`);
    }
    return { kind: "down" };
  }
}

type Method = "GET" | "HEAD" | "PUT";
type Body = { readonly body: Uint8Array; readonly contentType: string };
type Reader<T> = (res: Response, arm: () => void) => Promise<T>;

/** What a reused connection the server has closed looks like to undici. */
const STALE = new Set(["UND_ERR_SOCKET", "ECONNRESET", "EPIPE"]);

const causeOf = (error: unknown) => (error as { cause?: { code?: string; message?: string } }).cause;
const causeCode = (error: unknown): string | undefined => causeOf(error)?.code;

/** fetch's own message is "fetch failed"; the cause says what really happened. */
function why(error: unknown): string {
  const cause = causeOf(error);
  const text = cause?.message ?? cause?.code ?? (error instanceof Error ? error.message : String(error));
  return redactUserinfo(text);
}
