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
import { readAction, type ActionRecord } from "./actions.js";
import { readLockfile, type LockEntry } from "./lockfile.js";
import { stepKey, type KeyInputs } from "./key.js";
import { explainChange, type Reason } from "./reasons.js";

/** Digest recorded for an input file that does not exist: the step runs and reports it. */
export const MISSING_FILE = "missing";

export interface Resolution {
  /** Undefined while an input step still has to run. */
  readonly key: string | undefined;
  readonly keyInputs: KeyInputs;
  /** Set when the step is a verified cache hit. */
  readonly hit: ActionRecord | undefined;
  readonly reasons: readonly Reason[];
}

export class Workspace {
  private readonly fileDigests = new Map<string, Promise<string>>();

  private constructor(
    readonly l: Layout,
    readonly stats: StatCache,
    readonly store: ObjectStore,
    readonly previous: ReadonlyMap<string, LockEntry>,
  ) {}

  static async open(root: string): Promise<Workspace> {
    const l = layout(root);
    const [stats, previous] = await Promise.all([StatCache.load(l.statCache), readLockfile(l.lockfile)]);
    return new Workspace(l, stats, new ObjectStore(l, stats), previous);
  }

  /** Digest of a project file, once per command. */
  fileDigest(rel: string): Promise<string> {
    let d = this.fileDigests.get(rel);
    if (!d) {
      d = this.stats.digest(rel, join(this.l.root, rel)).then((r) => r?.digest ?? MISSING_FILE);
      this.fileDigests.set(rel, d);
    }
    return d;
  }

  readAction(key: string): ActionRecord | undefined {
    return readAction(this.l, key);
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
    await Promise.all(step.files.map(async (f) => (files[f] = await this.fileDigest(f))));
    const keyInputs: KeyInputs = { inputs, files };
    if (pending.length > 0) {
      const reasons = forced ? [{ kind: "forced" } as const] : await this.changeSince(step, keyInputs, pending, undefined);
      return { key: undefined, keyInputs, hit: undefined, reasons };
    }
    const key = await stepKey(step, keyInputs);
    if (forced) return { key, keyInputs, hit: undefined, reasons: [{ kind: "forced" }] };
    const record = this.readAction(key);
    if (record) {
      const missing: string[] = [];
      const corrupt: string[] = [];
      await Promise.all(
        Object.entries(record.outputs).map(async ([name, o]) => {
          const state = await this.store.check(o.digest, o.size);
          if (state === "missing") missing.push(name);
          else if (state === "corrupt") corrupt.push(name);
        }),
      );
      if (missing.length === 0 && corrupt.length === 0) return { key, keyInputs, hit: record, reasons: [] };
      const reasons: Reason[] = [];
      if (missing.length > 0) reasons.push({ kind: "output-missing", outputs: missing.sort() });
      if (corrupt.length > 0) reasons.push({ kind: "output-corrupt", outputs: corrupt.sort() });
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
