/**
 * Objects over the remote cache's `cas/` for queued jobs: the coordinator
 * puts a job's inputs and files there before it queues the job, a worker
 * fetches them into its own store, runs the op and puts the outputs there;
 * the coordinator then fetches those into the build's store. Objects are
 * named by sha256 (the Bazel protocol; bazel-remote checks it), the store by
 * xxhash64, so a job carries the digest -> sha256 map (StepJob.cas). What
 * comes down is checked against both before it enters a store.
 */
import { readFile } from "node:fs/promises";
import { err, ok, type Result } from "../../../result.js";
import { digestBytes } from "../../hash.js";
import type { ObjectStore } from "../../store.js";
import type { CacheHttp } from "../../cache/http.js";
import { actionPathFor, casPathFor, sha256Hex, toRemote } from "../../cache/record.js";
import type { ActionRecord } from "../../actions.js";

export class Cas {
  /** By sha256: what this process knows the server has. */
  private readonly there = new Map<string, Promise<boolean>>();

  constructor(
    private readonly http: CacheHttp,
    private readonly store: ObjectStore,
    /** For messages: the cache's URL without credentials. */
    readonly shown: string,
  ) {}

  /** Puts an object of the store; its sha256, or why not. */
  pushObject(digest: string): Promise<Result<string, string>> {
    return this.pushFile(this.store.path(digest));
  }

  /** Puts a file (HEAD first: what the server has is not sent again); its sha256, or why not. */
  async pushFile(path: string): Promise<Result<string, string>> {
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      return err(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? "unreadable"}`);
    }
    const sha = sha256Hex(bytes);
    let sent = this.there.get(sha);
    if (!sent) {
      sent = (async () => {
        const head = await this.http.head(casPathFor(sha));
        if (head.kind === "ok") return true;
        if (head.kind === "down") return false;
        return this.http.put(casPathFor(sha), bytes, "application/octet-stream");
      })();
      this.there.set(sha, sent);
      // A failure is not remembered: the next job tries again.
      void sent.then((yes) => yes || this.there.delete(sha));
    }
    return (await sent) ? ok(sha) : err(`the remote cache ${this.shown} did not take ${casPathFor(sha)}`);
  }

  /**
   * Puts a step's action record at `ac/<sha256 of its key>`, named by the
   * sha256s its outputs were put under: call only once every output is in
   * `cas/` (content before record), so no reader ever sees a record whose
   * content is missing. True when the server took it.
   */
  async putRecord(record: ActionRecord, sha256: Readonly<Record<string, string>>): Promise<boolean> {
    return this.http.put(actionPathFor(record.key), Buffer.from(`${JSON.stringify(toRemote(record, sha256))}\n`), "application/json");
  }

  /** Fetches `cas/<sha256>` into the store unless it holds `digest` already; checked against both names. */
  async pull(digest: string, sha256: string): Promise<Result<{ digest: string; size: number }, string>> {
    const chunks: Uint8Array[] = [];
    const got = await this.http.getStream(casPathFor(sha256), (c) => void chunks.push(c));
    if (got.kind === "missing") return err(`${casPathFor(sha256)} is missing on the remote cache ${this.shown}`);
    if (got.kind === "down") return err(`the remote cache ${this.shown} did not answer for ${casPathFor(sha256)}`);
    const bytes = Buffer.concat(chunks);
    if (sha256Hex(bytes) !== sha256 || (await digestBytes(bytes)) !== digest) return err(`${casPathFor(sha256)} on the remote cache ${this.shown} does not match its digest; not used`);
    const a = await this.store.putBytes(bytes);
    return ok({ digest: a.digest, size: a.size });
  }

  /** `pull` unless the store already holds a good copy. */
  async ensure(digest: string, size: number | undefined, sha256: string): Promise<Result<{ digest: string; size: number }, string>> {
    if (size !== undefined && (await this.store.check(digest, size)) === "ok") return ok({ digest, size });
    return this.pull(digest, sha256);
  }
}
