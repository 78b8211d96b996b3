/**
 * The no-op fast path. After a fully successful build we record the stat data
 * of everything the result depends on: the files the graph was read from (and
 * those it would read if they appeared, such as `.env`), every step's input
 * files, the outputs materialized in build/, drama.lock, and the action cache
 * directory. A later build whose stat data all match can print "all cached"
 * without loading the graph code (YAML, zod, providers) or hashing anything:
 * ninja's trick of deciding from stat calls alone. Anything else, including a
 * different target, variant (e.g. --offline) or dramake build, takes the full
 * path, which writes a fresh snapshot.
 */
import { rmSync, statSync, type Stats } from "node:fs";
import { isAbsolute, join, relative, resolve } from "node:path";
import type { EngineGraph } from "./graph.js";
import type { BuildSummary } from "./events.js";
import type { Layout } from "./layout.js";
import { writeFileAtomic } from "./atomic.js";
import { isRacy } from "./stat-cache.js";
import { ABSENT, envDigest, noopFiles, type NoopIdentity, type Snapshot, type StatRows } from "./noop-check.js";

export type { NoopIdentity, NoopHit } from "./noop-check.js";
export { checkNoop } from "./noop-check.js";

export async function dropNoopSnapshot(l: Layout): Promise<void> {
  rmSync(l.noopSnapshot, { force: true });
}

export async function writeNoopSnapshot(
  l: Layout,
  identity: NoopIdentity,
  graph: EngineGraph,
  summary: BuildSummary,
  /** Per step, what a later no-op build saves by not running it. */
  worthById: ReadonlyMap<string, number>,
): Promise<void> {
  const capturedAtMs = Date.now();
  const racy = (mtimeMs: number) => isRacy(BigInt(Math.floor(mtimeMs * 1e6)), BigInt(capturedAtMs) * 1_000_000n);
  const rows: StatRows = { paths: [], sizes: [], mtimes: [], inos: [] };
  const add = (rel: string, s: Stats) => {
    rows.paths.push(rel);
    rows.sizes.push(s.isDirectory() ? 0 : s.size);
    rows.mtimes.push(s.mtimeMs);
    rows.inos.push(s.ino);
  };
  // The action cache directory changes whenever a record is added or collected.
  const actions = statSync(l.actions, { throwIfNoEntry: false });
  if (actions) add(relative(l.root, l.actions), actions);
  // The lockfile is a build output too (written just before this): deleted or edited, a build rewrites it.
  const lock = statSync(l.lockfile, { throwIfNoEntry: false });
  if (!lock) return;
  add(relative(l.root, l.lockfile), lock);
  const inputs = new Set<string>();
  for (const s of graph.steps) for (const f of s.files) inputs.add(f);
  for (const f of [...inputs].sort()) {
    const s = statSync(join(l.root, f), { throwIfNoEntry: false });
    // A missing or racy input cannot vouch for a later no-op: no snapshot then.
    if (!s || racy(s.mtimeMs)) return;
    add(f, s);
  }
  // Outputs are our own read-only hardlinks: replacing or deleting one changes its inode or removes it.
  for (const step of graph.steps) {
    for (const out of Object.values(step.materialize ?? {})) {
      const rel = relative(l.root, join(l.buildDir, out));
      const s = statSync(join(l.root, rel), { throwIfNoEntry: false });
      if (!s) return;
      add(rel, s);
    }
  }
  const { digestFile } = await import("./hash.js");
  const config: [string, number, number, number, string][] = [];
  for (const c of graph.configFiles ?? []) {
    const path = resolve(l.root, c);
    const name = isAbsolute(c) ? relative(l.root, path) : c;
    const s = statSync(path, { throwIfNoEntry: false });
    // A config file that is not there (a `.env` not written yet) must stay away: its arrival is an edit.
    if (!s) config.push([name, ABSENT, 0, 0, ""]);
    else if (racy(s.mtimeMs)) return;
    else config.push([name, s.size, s.mtimeMs, s.ino, (await digestFile(path)).digest]);
  }
  const stepsId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const steps = graph.steps.map((s) => [s.id, worthById.get(s.id) ?? 0] as const);
  // Steps first: a snapshot only ever names a step list that is already complete.
  await writeFileAtomic(noopFiles(l.root).steps, JSON.stringify({ id: stepsId, steps }));
  const env = { names: [...(graph.env ?? [])].sort(), digest: await envDigest(graph.env ?? []) };
  const snap: Snapshot = { v: 4, identity, config, env, rows, total: summary.total, saved: steps.reduce((sum, [, worth]) => sum + worth, 0), output: summary.output ?? null, stepsId };
  await writeFileAtomic(l.noopSnapshot, JSON.stringify(snap));
}
