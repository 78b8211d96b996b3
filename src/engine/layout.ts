/**
 * Where the engine keeps things inside a project. One place, so `clean`, `gc`
 * and the no-op fast path agree with the builder.
 */
import { join } from "node:path";

export interface Layout {
  readonly root: string;
  readonly dramake: string;
  readonly objects: string;
  readonly actions: string;
  readonly journals: string;
  /** Steps a provider refused (content policy), by key: not sent again until their key changes or --retry-failed. */
  readonly refusals: string;
  readonly tmp: string;
  readonly statCache: string;
  readonly lock: string;
  readonly noopSnapshot: string;
  readonly lockfile: string;
  readonly buildDir: string;
}

export function layout(root: string): Layout {
  const dramake = join(root, ".dramake");
  const cache = join(dramake, "cache");
  return {
    root,
    dramake,
    objects: join(cache, "objects"),
    actions: join(cache, "actions"),
    journals: join(dramake, "journal"),
    refusals: join(cache, "refused"),
    tmp: join(dramake, "tmp"),
    statCache: join(dramake, "stat.json"),
    lock: join(dramake, "lock"),
    noopSnapshot: join(dramake, "noop.json"),
    lockfile: join(root, "drama.lock"),
    buildDir: join(root, "build"),
  };
}

/** `ab/cdef…`: two-level fan-out keeps directories small. */
export function objectPath(l: Layout, digest: string): string {
  return join(l.objects, digest.slice(0, 2), digest.slice(2));
}

export function actionPath(l: Layout, key: string): string {
  return join(l.actions, key);
}
