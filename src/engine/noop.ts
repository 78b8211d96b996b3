/**
 * The no-op fast path. After a fully successful build we record the stat data
 * of everything the result depends on: the files the graph was read from, every
 * step's input files, the outputs materialized in build/, and the action cache
 * directory. A later build whose stat data all match can print "all cached"
 * without loading the graph code (YAML, zod, providers) or hashing anything:
 * ninja's trick of deciding from stat calls alone. Anything else, including a
 * different target, variant (e.g. --offline) or dramake build, takes the full
 * path, which writes a fresh snapshot.
 *
 * This module imports nothing heavy on purpose; keep it that way.
 */
import { readFileSync, rmSync, statSync } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { EngineGraph } from "./graph.js";
import type { BuildSummary } from "./events.js";
import type { Layout } from "./layout.js";
import { writeFileAtomic } from "./atomic.js";
import { isRacy, nowNs, statFileSync } from "./stat-cache.js";

export interface NoopIdentity {
  /** What the user asked to build (resolved path). */
  readonly target: string;
  /** Options that change the graph, e.g. `offline`. */
  readonly variant: string;
  /** Identifies the dramake code that built the graph (a new build of dramake is a miss). */
  readonly stamp: string;
  /** Digest of environment values the graph read, if any (values themselves are never stored). */
  readonly env?: string;
}

/** [path relative to root, size, mtime ns, inode] */
type StatRow = readonly [string, string, string, string];

interface Snapshot {
  readonly v: 1;
  readonly identity: NoopIdentity;
  /** Config rows carry the digest too, so a touched but unchanged project file stays fast. */
  readonly config: readonly (readonly [string, string, string, string, string])[];
  readonly rows: readonly StatRow[];
  readonly steps: readonly (readonly [string, number])[];
  readonly output: string | null;
}

export interface NoopHit {
  readonly steps: readonly (readonly [id: string, saved: number])[];
  readonly output: string | undefined;
  readonly saved: number;
}

const snapshotFile = (dramakeDir: string) => join(dramakeDir, "noop.json");

function row(root: string, rel: string): StatRow | undefined {
  const s = statFileSync(join(root, rel)) ?? dirStat(join(root, rel));
  return s ? [rel, String(s.size), String(s.mtimeNs), String(s.ino)] : undefined;
}

function dirStat(path: string) {
  const s = statSync(path, { bigint: true, throwIfNoEntry: false });
  return s?.isDirectory() ? { size: 0n, mtimeNs: s.mtimeNs, ino: s.ino } : undefined;
}

const sameIdentity = (a: NoopIdentity, b: NoopIdentity) =>
  a.target === b.target && a.variant === b.variant && a.stamp === b.stamp && (a.env ?? "") === (b.env ?? "");

/**
 * Undefined on any doubt. `root` is the project directory (where `.dramake/` is).
 */
export async function checkNoop(root: string, identity: NoopIdentity): Promise<NoopHit | undefined> {
  let snap: Snapshot;
  try {
    snap = JSON.parse(readFileSync(snapshotFile(join(root, ".dramake")), "utf8")) as Snapshot;
  } catch {
    return undefined;
  }
  if (snap.v !== 1 || !sameIdentity(snap.identity, identity)) return undefined;
  for (const r of snap.rows) {
    const s = statSync(join(root, r[0]), { bigint: true, throwIfNoEntry: false });
    if (!s || String(s.mtimeNs) !== r[2] || String(s.ino) !== r[3] || (s.isFile() && String(s.size) !== r[1])) return undefined;
  }
  for (const c of snap.config) {
    const s = statFileSync(join(root, c[0]));
    if (!s) return undefined;
    if (String(s.size) === c[1] && String(s.mtimeNs) === c[2] && String(s.ino) === c[3]) continue;
    // Touched (editor save, git checkout) but maybe not changed: the digest decides.
    const { digestFile } = await import("./hash.js");
    if ((await digestFile(join(root, c[0]))).digest !== c[4]) return undefined;
  }
  let saved = 0;
  for (const [, v] of snap.steps) saved += v * 1e6;
  return { steps: snap.steps, output: snap.output ?? undefined, saved: Math.round(saved) / 1e6 };
}

export async function dropNoopSnapshot(l: Layout): Promise<void> {
  rmSync(l.noopSnapshot, { force: true });
}

export async function writeNoopSnapshot(
  l: Layout,
  identity: NoopIdentity,
  graph: EngineGraph,
  summary: BuildSummary,
  savedById: ReadonlyMap<string, number>,
): Promise<void> {
  const capturedAt = nowNs();
  const rel = (p: string) => (isAbsolute(p) ? relative(l.root, p) : p);
  const inputs = new Set<string>();
  for (const s of graph.steps) for (const f of s.files) inputs.add(f);
  const outputs = new Set<string>();
  for (const s of graph.steps) for (const out of Object.values(s.materialize ?? {})) outputs.add(relative(l.root, join(l.buildDir, out)));
  const rows: StatRow[] = [];
  // The action cache directory changes whenever a record is added or collected.
  const actions = row(l.root, relative(l.root, l.actions));
  if (actions) rows.push(actions);
  for (const f of [...inputs].sort()) {
    const r = row(l.root, f);
    // A missing or racy input cannot vouch for a later no-op: no snapshot then.
    if (!r || isRacy(BigInt(r[2]), capturedAt)) return;
    rows.push(r);
  }
  // Outputs are our own read-only hardlinks: replacing or deleting one changes its inode or removes it.
  for (const f of [...outputs].sort()) {
    const r = row(l.root, f);
    if (!r) return;
    rows.push(r);
  }
  const { digestFile } = await import("./hash.js");
  const config: [string, string, string, string, string][] = [];
  for (const c of graph.configFiles ?? []) {
    const path = resolve(l.root, c);
    const s = statFileSync(path);
    if (!s || isRacy(s.mtimeNs, capturedAt)) return;
    config.push([rel(path), String(s.size), String(s.mtimeNs), String(s.ino), (await digestFile(path)).digest]);
  }
  const snap: Snapshot = {
    v: 1,
    identity,
    config,
    rows,
    steps: graph.steps.map((s) => [s.id, savedById.get(s.id) ?? 0] as const),
    output: summary.output ?? null,
  };
  await writeFileAtomic(l.noopSnapshot, JSON.stringify(snap));
}
