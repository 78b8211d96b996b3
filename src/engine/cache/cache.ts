/**
 * The engine's caches behind one shape (wireit's caching/cache.ts): a lookup
 * gives a hit, and the hit's `apply()` makes its outputs usable from the local
 * store, so the builder decides when bytes move (a remote hit downloads only
 * when the step is reached, not while planning). The local cache is the object
 * store plus the action cache; the remote one speaks Bazel's HTTP cache protocol.
 */
import type { Result } from "../../result.js";
import type { ActionRecord } from "../actions.js";

export type CacheSource = "local" | "remote";

/** Why a hit could not be applied; the step then runs as if it had missed. */
export type HitFailure =
  /** A downloaded object did not match its sha256 or the record's digest: ignored, never stored. */
  | { readonly kind: "bad-object"; readonly output: string }
  /** The remote stopped answering (it has been warned about once, and is off for this build). */
  | { readonly kind: "unreachable" };

export interface CacheHit {
  readonly source: CacheSource;
  readonly record: ActionRecord;
  apply(): Promise<Result<ActionRecord, HitFailure>>;
}

export interface StepCache {
  get(key: string): Promise<CacheHit | undefined>;
  /** A step ran: keep its record (and, for the remote, its outputs first). */
  set(record: ActionRecord): Promise<void>;
}
