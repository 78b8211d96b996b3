/**
 * The local cache: `.dramake/cache/actions/<key>` records over the object
 * store. A record whose outputs are missing or corrupt is not a hit; `lookup`
 * says which outputs, so the plan can explain the rerun.
 */
import { ok } from "../../result.js";
import { actionHit, readAction, writeAction, type ActionHit, type ActionRecord } from "../actions.js";
import type { Layout } from "../layout.js";
import type { ActionIndex } from "../action-index.js";
import type { ObjectState, ObjectStore } from "../store.js";
import type { CacheHit, StepCache } from "./cache.js";

export interface LocalLookup {
  readonly record: ActionHit;
  readonly missing: readonly string[];
  readonly corrupt: readonly string[];
}

export class LocalCache implements StepCache {
  /** What this command read or wrote, by key, for the action index a whole build leaves behind. */
  private readonly known = new Map<string, ActionHit>();

  constructor(
    private readonly l: Layout,
    private readonly store: ObjectStore,
    /** The last whole build's hits (action-index.ts), consulted before the per-key files. */
    private readonly index: ActionIndex = { get: () => undefined },
  ) {}

  /** The whole record stored under `key` (parameters and all, for `explain`), from its file. */
  read(key: string): ActionRecord | undefined {
    return readAction(this.l, key);
  }

  /** What deciding "cached" needs of the record under `key`: from this command, the index, or the file. */
  hit(key: string): ActionHit | undefined {
    let hit = this.known.get(key) ?? this.index.get(key);
    if (!hit) {
      const record = readAction(this.l, key);
      hit = record && actionHit(record);
    }
    if (hit) this.known.set(key, hit);
    return hit;
  }

  /** What this command read or wrote under `key`. */
  seen(key: string): ActionHit | undefined {
    return this.known.get(key);
  }

  /** `lookup` from stat data alone: undefined when there is no record, or when an output would have to be hashed. */
  lookupKnown(key: string): LocalLookup | undefined {
    const record = this.hit(key);
    if (!record) return undefined;
    let missing: string[] | undefined;
    let corrupt: string[] | undefined;
    for (const name in record.outputs) {
      const o = record.outputs[name]!;
      const state = this.store.checkKnown(o.digest, o.size);
      if (state === undefined) return undefined;
      if (state === "missing") (missing ??= []).push(name);
      else if (state === "corrupt") (corrupt ??= []).push(name);
    }
    return { record, missing: missing?.sort() ?? [], corrupt: corrupt?.sort() ?? [] };
  }

  /** The record for `key` and the state of its outputs (stat-level check: cheap on a no-op). */
  async lookup(key: string): Promise<LocalLookup | undefined> {
    const record = this.hit(key);
    if (!record) return undefined;
    const missing: string[] = [];
    const corrupt: string[] = [];
    const sort = (name: string, state: ObjectState) => {
      if (state === "missing") missing.push(name);
      else if (state === "corrupt") corrupt.push(name);
    };
    // Most objects are known to the stat cache: answered synchronously; only the rest are hashed, together.
    const unknown: Promise<void>[] = [];
    for (const [name, o] of Object.entries(record.outputs)) {
      const state = this.store.checkKnown(o.digest, o.size);
      if (state) sort(name, state);
      else unknown.push(this.store.check(o.digest, o.size).then((s) => sort(name, s)));
    }
    if (unknown.length > 0) await Promise.all(unknown);
    return { record, missing: missing.sort(), corrupt: corrupt.sort() };
  }

  async get(key: string): Promise<CacheHit | undefined> {
    const found = await this.lookup(key);
    const record = found && found.missing.length === 0 && found.corrupt.length === 0 ? this.read(key) : undefined;
    return record && { source: "local", record, apply: () => Promise.resolve(ok(record)) };
  }

  async set(record: ActionRecord): Promise<void> {
    await writeAction(this.l, record);
    this.known.set(record.key, actionHit(record));
  }
}
