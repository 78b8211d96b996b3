/**
 * Where the remote cache is and how to authenticate, from a URL that may carry
 * `user:password@` and an optional bearer token. The credentials leave the URL
 * here: requests go to `base` with an Authorization header, and every message
 * names the server by `shown`, which has no userinfo, query or fragment.
 */
import { err, ok, type Result } from "../../result.js";

export const REMOTE_CACHE_MODES = ["read", "write", "readwrite"] as const;
export type RemoteCacheMode = (typeof REMOTE_CACHE_MODES)[number];

export interface RemoteCacheOptions {
  /** `http(s)://[user:password@]host[:port][/prefix]` */
  readonly url: string;
  /** Sent as `Authorization: Bearer …` when the URL has no userinfo. */
  readonly token?: string;
  /** Default `readwrite`. */
  readonly mode?: RemoteCacheMode;
  /** A request gives up when no response (or no next chunk of a body) came for this long. Default 10 s. */
  readonly timeoutMs?: number;
  /** Requests in flight at once. Default 4. */
  readonly concurrency?: number;
  /** How long a finished build waits for uploads still in flight. Default 60 s. */
  readonly drainMs?: number;
}

export interface Endpoint {
  /** Without credentials and without a trailing slash. */
  readonly base: string;
  /** For messages: scheme, host and path only. */
  readonly shown: string;
  readonly authorization: string | undefined;
  /** How the client authenticates, so a refusal can say what to set. */
  readonly auth: "basic" | "bearer" | "none";
}

export function remoteEndpoint(url: string, token?: string): Result<Endpoint, string> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not echoed: a mistyped URL may still hold a password.
    return err("the remote cache URL is not a URL (want http://host:port/prefix)");
  }
  u.search = "";
  u.hash = "";
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  u.username = "";
  u.password = "";
  const base = u.toString().replace(/\/+$/, "");
  if (u.protocol !== "http:" && u.protocol !== "https:") return err(`the remote cache URL ${base} is not http:// or https://`);
  if (user !== "" || password !== "") {
    return ok({ base, shown: base, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, auth: "basic" });
  }
  if (token !== undefined && token !== "") return ok({ base, shown: base, authorization: `Bearer ${token}`, auth: "bearer" });
  return ok({ base, shown: base, authorization: undefined, auth: "none" });
}

/** Any userinfo in a URL-looking string becomes `***@`: for text that might quote the configured URL. */
export function redactUserinfo(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1***@");
}
