/**
 * One project's engine state for the length of a command: layout, stat cache,
 * object store, the previous lockfile. Plan and build both decide "cached or
 * run, and why" through `resolve`, so `plan` never disagrees with `build`.
 */
import { join } from "node:path";
import type { StepSpec } from "./step.js";
import { layout, type Layout } from "./layout.js";
import { StatCache } from "./stat-cache.js";
import { ObjectStore } from "./store.js";
import type { ActionHit, ActionRecord } from "./actions.js";
import { loadActionIndex, type ActionIndex } from "./action-index.js";
import type { CacheHit } from "./cache/cache.js";
import { LocalCache } from "./cache/local.js";
import { RemoteCache } from "./cache/remote.js";
import type { Endpoint, RemoteCacheOptions } from "./cache/endpoint.js";
import { readLockfileSync, type LockEntry } from "./lockfile.js";
import { stepKey, stepKeyWith, type KeyInputs } from "./key.js";
import { loadedXxhash, xxhash } from "./hash.js";
import { explainChange, type Reason } from "./reasons.js";

/** Digest recorded for an input file that does not exist: the step runs and reports it. */
export const MISSING_FILE = "missing";

export interface Resolution {
  /** Undefined while an input step still has to run. */
  readonly key: string | undefined;
  readonly keyInputs: KeyInputs;
  /** Set when the step is a cache hit: verified locally, or a remote record whose outputs `remoteHit.apply()` fetches. */
  readonly hit: ActionHit | undefined;
  readonly remoteHit?: CacheHit;
  readonly reasons: readonly Reason[];
}

/** A remote cache to consult after the local one, and where its warnings go. */
export interface WorkspaceRemote {
  readonly endpoint: Endpoint;
  readonly options: Omit<RemoteCacheOptions, "url" | "token">;
  readonly onNotice: (message: string) => void;
}

export class Workspace {
  private readonly fileDigests = new Map<string, Promise<string>>();
  /** The settled ones of `fileDigests`, for `resolveKnown`. */
  private readonly knownDigests = new Map<string, string>();
  private lock: ReadonlyMap<string, LockEntry> | undefined;
  readonly local: LocalCache;
  readonly remote: RemoteCache | undefined;

  private constructor(
    readonly l: Layout,
    readonly stats: StatCache,
    readonly store: ObjectStore,
    remote: WorkspaceRemote | undefined,
    index: ActionIndex,
  ) {
    this.local = new LocalCache(l, store, index);
    this.remote = remote && new RemoteCache(remote.endpoint, remote.options, store, this.local, remote.onNotice);
  }

  static async open(root: string, remote?: WorkspaceRemote): Promise<Workspace> {
    const l = layout(root);
    // Keys are hashed in a loop that wants the hasher at hand (resolveKnown).
    const [stats] = await Promise.all([StatCache.load(l.statCache), xxhash()]);
    return new Workspace(l, stats, new ObjectStore(l, stats), remote, loadActionIndex(l));
  }

  /**
   * drama.lock as the command found it, read on first use: only a step that
   * is not cached needs it (to say what changed), and a build when it writes
   * the new one. A megabyte of JSON at 10,000 steps that a no-op plan skips.
   */
  get previous(): ReadonlyMap<string, LockEntry> {
    this.lock ??= readLockfileSync(this.l.lockfile);
    return this.lock;
  }

  /** Digest of a project file, once per command. */
  fileDigest(rel: string): Promise<string> {
    let d = this.fileDigests.get(rel);
    if (!d) {
      d = this.stats.digest(rel, join(this.l.root, rel)).then((r) => {
        const digest = r?.digest ?? MISSING_FILE;
        this.knownDigests.set(rel, digest);
        return digest;
      });
      this.fileDigests.set(rel, d);
    }
    return d;
  }

  /** `fileDigest` when the stat cache answers without hashing; undefined when only reading the file can tell. */
  private fileDigestKnown(rel: string): string | undefined {
    let d = this.knownDigests.get(rel);
    if (d === undefined && !this.fileDigests.has(rel)) {
      const known = this.stats.known(rel, join(this.l.root, rel));
      if (known === undefined) return undefined;
      d = known === "missing" ? MISSING_FILE : known.digest;
      this.knownDigests.set(rel, d);
      this.fileDigests.set(rel, Promise.resolve(d));
    }
    return d;
  }

  /**
   * `resolve` for the common case of a no-op, without a promise: the step is
   * a local hit decided from the stat cache and the action index alone (its
   * inputs' outputs given, its files and outputs known by their stat data).
   * Undefined whenever anything else would have to be looked at (a file to
   * hash, a miss, a forced step, the remote cache): `resolve` then decides,
   * and the two agree wherever this one answers.
   */
  resolveKnown(step: StepSpec, inputs: Readonly<Record<string, Readonly<Record<string, string>>>>, forced: boolean): Resolution | undefined {
    const hasher = loadedXxhash();
    if (forced || !hasher) return undefined;
    const files: Record<string, string> = {};
    for (const f of step.files) {
      const d = this.fileDigestKnown(f);
      if (d === undefined) return undefined;
      files[f] = d;
    }
    const keyInputs: KeyInputs = { inputs, files };
    const key = stepKeyWith(hasher, step, keyInputs);
    const local = this.local.lookupKnown(key);
    if (!local || local.missing.length > 0 || local.corrupt.length > 0) return undefined;
    return { key, keyInputs, hit: local.record, reasons: [] };
  }

  readAction(key: string): ActionRecord | undefined {
    return this.local.read(key);
  }

  /**
   * Decide whether `step` is cached, given the output digests of its input
   * steps (`pending` names inputs that must run first, so their outputs are
   * not known yet).
   */
  async resolve(
    step: StepSpec,
    inputs: Readonly<Record<string, Readonly<Record<string, string>>>>,
    pending: readonly string[],
    forced: boolean,
  ): Promise<Resolution> {
    const files: Record<string, string> = {};
    if (step.files.length > 0) await Promise.all(step.files.map(async (f) => (files[f] = await this.fileDigest(f))));
    const keyInputs: KeyInputs = { inputs, files };
    if (pending.length > 0) {
      const reasons = forced ? [{ kind: "forced" } as const] : await this.changeSince(step, keyInputs, pending, undefined);
      return { key: undefined, keyInputs, hit: undefined, reasons };
    }
    const key = await stepKey(step, keyInputs);
    if (forced) return { key, keyInputs, hit: undefined, reasons: [{ kind: "forced" }] };
    const local = await this.local.lookup(key);
    if (local && local.missing.length === 0 && local.corrupt.length === 0) return { key, keyInputs, hit: local.record, reasons: [] };
    // Local first, then the remote: also when the local record lost its outputs (gc, a corrupt object).
    const remote = await this.remote?.get(key);
    // A record from elsewhere that lacks an output this step must make is not a hit.
    if (remote && Object.keys(step.materialize ?? {}).every((n) => n in remote.record.outputs)) return { key, keyInputs, hit: remote.record, remoteHit: remote, reasons: [] };
    if (local) {
      const reasons: Reason[] = [];
      if (local.missing.length > 0) reasons.push({ kind: "output-missing", outputs: local.missing });
      if (local.corrupt.length > 0) reasons.push({ kind: "output-corrupt", outputs: local.corrupt });
      return { key, keyInputs, hit: undefined, reasons };
    }
    return { key, keyInputs, hit: undefined, reasons: await this.changeSince(step, keyInputs, [], key) };
  }

  /** Why the step's key differs from the one the lockfile remembers. */
  private async changeSince(step: StepSpec, now: KeyInputs, pending: readonly string[], key: string | undefined): Promise<Reason[]> {
    const before = this.previous.get(step.id);
    if (!before) return [{ kind: "new" }];
    if (before.key === key) return [{ kind: "output-missing", outputs: ["(action record)"] }];
    const record = this.readAction(before.key);
    if (!record) {
      return pending.length > 0
        ? [{ kind: "input-changed", steps: [], files: [], pending: [...pending].sort() }]
        : [{ kind: "key-changed", old: before.key, new: key ?? "?" }];
    }
    const reasons = explainChange(record, step, now, pending);
    return reasons.length > 0 ? reasons : [{ kind: "key-changed", old: before.key, new: key ?? "?" }];
  }
}
