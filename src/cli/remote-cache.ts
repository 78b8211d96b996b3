/**
 * The remote cache settings of a command line: `--remote-cache URL` or
 * DRAMAKE_REMOTE_CACHE, the token from DRAMAKE_REMOTE_CACHE_TOKEN, and
 * `--remote-cache-mode`. A bad value is a usage error that never quotes the
 * URL (it may hold a password).
 */
import { err, ok, type Result } from "../result.js";
import { REMOTE_CACHE_MODES, remoteEndpoint, type RemoteCacheMode, type RemoteCacheOptions } from "../engine/cache/endpoint.js";
import type { UsageError } from "./options.js";

export const REMOTE_CACHE_ENV = "DRAMAKE_REMOTE_CACHE";
export const REMOTE_CACHE_TOKEN_ENV = "DRAMAKE_REMOTE_CACHE_TOKEN";

export function remoteCacheFrom(
  flags: { readonly url?: unknown; readonly mode?: unknown },
  env: NodeJS.ProcessEnv = process.env,
): Result<RemoteCacheOptions | undefined, UsageError> {
  const mode = flags.mode === undefined ? "readwrite" : String(flags.mode);
  if (!(REMOTE_CACHE_MODES as readonly string[]).includes(mode)) {
    return err({ message: `--remote-cache-mode wants one of ${REMOTE_CACHE_MODES.join(", ")}, got '${mode}'` });
  }
  const url = flags.url === undefined ? env[REMOTE_CACHE_ENV] : String(flags.url);
  // An empty variable is unset, as for the API key.
  if (url === undefined || url.trim() === "") return ok(undefined);
  const token = env[REMOTE_CACHE_TOKEN_ENV] || undefined;
  const endpoint = remoteEndpoint(url.trim(), token);
  if (!endpoint.ok) return err({ message: `${flags.url === undefined ? REMOTE_CACHE_ENV : "--remote-cache"}: ${endpoint.error}` });
  return ok({ url: url.trim(), token, mode: mode as RemoteCacheMode });
}
