/**
 * The remote cache over Bazel's HTTP cache protocol (bazel-remote, nginx with
 * WebDAV PUT, anything S3-backed behind them):
 *   GET/PUT/HEAD <url>/cas/<sha256 of the bytes>   outputs
 *   GET/PUT      <url>/ac/<sha256 of the step key> dramake's JSON record
 * A hit downloads each output beside its store path, hashing as it streams;
 * only bytes that match both the sha256 and the record's local digest enter
 * the store. After a step runs its outputs go up (HEAD first, so what the
 * server has is not sent again), then its record, last: a reader never sees a
 * record whose content is missing. Uploads run beside the build and are
 * awaited, bounded, at its end.
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { err, ok, type Result } from "../../result.js";
import type { ActionRecord } from "../actions.js";
import { tempBeside } from "../atomic.js";
import { hex, xxhash } from "../hash.js";
import type { ObjectStore } from "../store.js";
import type { CacheHit, HitFailure, StepCache } from "./cache.js";
import type { Endpoint, RemoteCacheMode, RemoteCacheOptions } from "./endpoint.js";
import { CacheHttp } from "./http.js";
import { actionPathFor, casPathFor, parseRemote, recomputedKey, sha256Hex, toLocal, toRemote, type RemoteOutput, type RemoteRecord } from "./record.js";

export interface RemoteTally {
  /** Steps whose outputs came from the remote this build. */
  readonly hits: number;
  readonly downloaded: number;
  readonly uploaded: number;
  /** Objects that failed verification, and records that were for another step, ignored. */
  readonly rejected: number;
}

export class RemoteCache implements StepCache {
  readonly reads: boolean;
  readonly writes: boolean;
  private readonly http: CacheHttp;
  private readonly lookups = new Map<string, Promise<CacheHit | undefined>>();
  private readonly uploads = new Set<Promise<void>>();
  /** sha256s whose download was bad: an upload of the same bytes overwrites them instead of trusting HEAD. */
  private readonly bad = new Set<string>();
  private hits = 0;
  /** Records whose contents do not hash to the key they were served for. */
  private rejectedRecords = 0;
  private readonly drainMs: number;

  constructor(
    private readonly ep: Endpoint,
    options: Omit<RemoteCacheOptions, "url" | "token">,
    private readonly store: ObjectStore,
    /** Where a verified hit's record goes: the local cache. */
    private readonly local: StepCache,
    private readonly notice: (message: string) => void,
  ) {
    const mode: RemoteCacheMode = options.mode ?? "readwrite";
    this.reads = mode !== "write";
    this.writes = mode !== "read";
    this.drainMs = options.drainMs ?? 60_000;
    this.http = new CacheHttp(ep, options.timeoutMs ?? 10_000, options.concurrency ?? 4, notice);
  }

  get(key: string): Promise<CacheHit | undefined> {
    if (!this.reads) return Promise.resolve(undefined);
    let found = this.lookups.get(key);
    if (!found) {
      found = this.lookup(key);
      this.lookups.set(key, found);
    }
    return found;
  }

  private async lookup(key: string): Promise<CacheHit | undefined> {
    const got = await this.http.getText(actionPathFor(key));
    if (got.kind !== "ok") return undefined;
    const remote = parseRemote(got.value, key);
    if (!remote) {
      this.notice(`remote cache ${this.ep.shown}: the record at ${actionPathFor(key)} is not a dramake record for this step; ignored`);
      return undefined;
    }
    const recomputed = await recomputedKey(remote);
    if (recomputed !== key) {
      // A record copied to another step's address (and its key field edited): serving it would show another step's output.
      this.rejectedRecords++;
      this.notice(
        `remote cache ${this.ep.shown}: the record at ${actionPathFor(key)} is for another step (its contents hash to ${recomputed}, not ${key}); ignored, the step runs`,
      );
      return undefined;
    }
    const record = toLocal(remote);
    let applied: Promise<Result<ActionRecord, HitFailure>> | undefined;
    return { source: "remote", record, apply: () => (applied ??= this.apply(remote, record)) };
  }

  private async apply(remote: RemoteRecord, record: ActionRecord): Promise<Result<ActionRecord, HitFailure>> {
    for (const [name, o] of Object.entries(remote.outputs)) {
      if ((await this.store.check(o.digest, o.size)) === "ok") continue;
      const got = await this.download(remote.id, name, o);
      if (!got.ok) return got;
    }
    await this.local.set(record);
    this.hits++;
    return ok(record);
  }

  /** One output into the store, or nothing at all: bytes are hashed as they arrive and checked before the rename. */
  private async download(id: string, name: string, o: RemoteOutput): Promise<Result<void, HitFailure>> {
    if (this.http.isOff) return err({ kind: "unreachable" });
    const target = this.store.path(o.digest);
    await mkdir(dirname(target), { recursive: true });
    const temp = tempBeside(target);
    const file = await open(temp, "w");
    const sha = createHash("sha256");
    const xx = (await xxhash()).create64();
    let got: Awaited<ReturnType<CacheHttp["getStream"]>>;
    try {
      got = await this.http.getStream(casPathFor(o.sha256), async (chunk) => {
        sha.update(chunk);
        xx.update(chunk);
        await file.write(chunk);
      });
    } finally {
      await file.close();
    }
    if (got.kind === "ok") {
      const bytes = got.value;
      const problem =
        bytes !== o.size
          ? `${bytes} bytes instead of ${o.size}`
          : sha.digest("hex") !== o.sha256
            ? "its sha256 does not match"
            : hex(xx.digest()) !== o.digest
              ? "its digest does not match the record"
              : undefined;
      if (problem === undefined) {
        await this.store.adopt(temp, o.digest, o.size);
        return ok(undefined);
      }
      this.bad.add(o.sha256);
      this.notice(`remote cache: ${id}'s output '${name}' (${casPathFor(o.sha256)}) is bad: ${problem}; ignored, the step runs`);
    } else if (got.kind === "missing") {
      this.notice(`remote cache: ${id}'s output '${name}' (${casPathFor(o.sha256)}) is missing on the server; the step runs`);
    }
    await rm(temp, { force: true });
    return err(got.kind === "down" ? { kind: "unreachable" } : { kind: "bad-object", output: name });
  }

  /** Queues the upload and returns at once: sharing must not hold up the build. */
  set(record: ActionRecord): Promise<void> {
    if (!this.writes || this.http.isOff) return Promise.resolve();
    const p: Promise<void> = this.upload(record).finally(() => this.uploads.delete(p));
    this.uploads.add(p);
    return Promise.resolve();
  }

  private async upload(record: ActionRecord): Promise<void> {
    const shas: Record<string, string> = {};
    for (const [name, o] of Object.entries(record.outputs)) {
      const bytes = await readFile(this.store.path(o.digest));
      const sha = sha256Hex(bytes);
      shas[name] = sha;
      if (!this.bad.has(sha)) {
        const there = await this.http.head(casPathFor(sha));
        if (there.kind === "down") return;
        if (there.kind === "ok") continue;
      }
      if (!(await this.http.put(casPathFor(sha), bytes, "application/octet-stream"))) return;
    }
    await this.http.put(actionPathFor(record.key), Buffer.from(`${JSON.stringify(toRemote(record, shas))}\n`), "application/json");
  }

  /** Waits for uploads still in flight, at most `drainMs`; then gives up on them with a notice. */
  async drain(): Promise<void> {
    if (this.uploads.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), this.drainMs)));
    const late = await Promise.race([Promise.allSettled([...this.uploads]).then(() => false as const), gaveUp]);
    clearTimeout(timer);
    if (late) {
      const n = this.uploads.size;
      this.http.abortAll();
      this.notice(`remote cache ${this.ep.shown}: stopped waiting for ${n} upload(s) after ${this.drainMs < 1000 ? `${this.drainMs} ms` : `${Math.round(this.drainMs / 1000)} s`}; those steps stay on this machine only`);
    }
  }

  tally(): RemoteTally {
    return { hits: this.hits, downloaded: this.http.moved.downloaded, uploaded: this.http.moved.uploaded, rejected: this.bad.size + this.rejectedRecords };
  }
}
