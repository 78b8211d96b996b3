/**
 * The no-op fast path's check (see noop.ts for the snapshot it reads). Runs on
 * every `dramake build` before anything else is loaded, so it imports only
 * node:fs and node:path; keep it that way.
 */
import { readFileSync, statSync } from "node:fs";
import { join, sep } from "node:path";

export interface NoopIdentity {
  /** What the user asked to build (resolved path). */
  readonly target: string;
  /** Options that change the graph, e.g. `offline`. */
  readonly variant: string;
  /** Identifies the dramake code that built the graph (a new build of dramake is a miss). */
  readonly stamp: string;
}

/**
 * Stat data as plain numbers (size, mtime in ms as a double, inode) in
 * parallel arrays: parsing and comparing numbers is what keeps a 10,000-file
 * check fast. A double's mtime resolves a few hundred nanoseconds, and files
 * changed within the racy window never enter a snapshot at all.
 */
export interface StatRows {
  readonly paths: string[];
  readonly sizes: number[];
  readonly mtimes: number[];
  readonly inos: number[];
}

export interface Snapshot {
  readonly v: 4;
  readonly identity: NoopIdentity;
  /** Config files carry their digest, so a touched but unchanged project file stays fast; size ABSENT: must still be missing. */
  readonly config: readonly (readonly [path: string, size: number, mtimeMs: number, ino: number, digest: string])[];
  readonly rows: StatRows;
  readonly total: number;
  readonly saved: number;
  readonly output: string | null;
  /** Environment variables the graph depends on, and a hash of their values. */
  readonly env: { readonly names: readonly string[]; readonly digest: string };
  /** Names the companion step list written with this snapshot. */
  readonly stepsId: string;
}

export interface NoopHit {
  readonly total: number;
  readonly output: string | undefined;
  readonly saved: number;
  /** Per-step ids and savings, read only when wanted (JSON output lists every step). */
  steps(): readonly (readonly [id: string, saved: number])[] | undefined;
}

/** The size recorded for a config file that did not exist when the snapshot was taken. */
export const ABSENT = -1;

export const noopFiles = (root: string) => ({
  snapshot: join(root, ".dramake", "noop.json"),
  steps: join(root, ".dramake", "noop-steps.json"),
});

const sameIdentity = (a: NoopIdentity, b: NoopIdentity) =>
  a.target === b.target && a.variant === b.variant && a.stamp === b.stamp;

/** A hash of the named variables' values: the snapshot never stores the values themselves. */
export async function envDigest(names: readonly string[]): Promise<string> {
  if (names.length === 0) return "";
  const { createHash } = await import("node:crypto");
  const h = createHash("sha256");
  for (const n of [...names].sort()) h.update(`${n}\0${process.env[n] ?? "\u0001unset"}\0`);
  return h.digest("hex");
}

/** Undefined on any doubt. `root` is the project directory (where `.dramake/` is). */
export async function checkNoop(root: string, identity: NoopIdentity): Promise<NoopHit | undefined> {
  const files = noopFiles(root);
  let snap: Snapshot;
  try {
    snap = JSON.parse(readFileSync(files.snapshot, "utf8")) as Snapshot;
  } catch {
    return undefined;
  }
  if (snap.v !== 4 || !sameIdentity(snap.identity, identity)) return undefined;
  if ((await envDigest(snap.env.names)) !== snap.env.digest) return undefined;
  const { paths, sizes, mtimes, inos } = snap.rows;
  const prefix = root.endsWith(sep) ? root : root + sep;
  const quiet = { throwIfNoEntry: false } as const;
  for (let i = 0; i < paths.length; i++) {
    // Plain string concatenation: path.join per file shows up at 10,000 files.
    const s = statSync(prefix + paths[i], quiet);
    if (!s || s.mtimeMs !== mtimes[i] || s.ino !== inos[i] || (!s.isDirectory() && s.size !== sizes[i])) return undefined;
  }
  for (const [path, size, mtimeMs, ino, digest] of snap.config) {
    const s = statSync(prefix + path, { throwIfNoEntry: false });
    if (!s || size === ABSENT) {
      if (!s && size === ABSENT) continue;
      return undefined;
    }
    if (s.size === size && s.mtimeMs === mtimeMs && s.ino === ino) continue;
    // Touched (editor save, git checkout) but maybe not changed: the digest decides.
    const { digestFile } = await import("./hash.js");
    if ((await digestFile(prefix + path)).digest !== digest) return undefined;
  }
  return {
    total: snap.total,
    saved: snap.saved,
    output: snap.output ?? undefined,
    steps: () => {
      try {
        const list = JSON.parse(readFileSync(files.steps, "utf8")) as { id: string; steps: [string, number][] };
        return list.id === snap.stepsId ? list.steps : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

