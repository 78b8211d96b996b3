/**
 * Failure memory for refusals (issue 33, item 3): a step whose provider
 * refused it on content grounds (its failure says `refused: true`) is
 * recorded by key, with the provider's message, under
 * `.dramake/cache/refused/<key>.json`. The same request would be refused
 * again, so the next build reports it failed without sending it, until its
 * key changes (an edit) or `--retry-failed`. The engine knows nothing of
 * moderation: the provider decides what a refusal is.
 */
import { existsSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "./atomic.js";
import type { Failure } from "./step-failure.js";

export interface Refusal {
  readonly message: string;
  readonly failure: Failure;
}

export class RefusalMemory {
  private dirSeen = false;
  constructor(private readonly dir: string) {}

  /** Sync: asked once per step to run, and most builds have no refusals (one failed stat). */
  get(key: string): Refusal | undefined {
    // Most projects have never had a refusal: one cheap stat instead of a thrown ENOENT per step to run.
    if (!this.dirSeen) {
      if (!existsSync(this.dir)) return undefined;
      this.dirSeen = true;
    }
    try {
      const v = JSON.parse(readFileSync(this.file(key), "utf8")) as Partial<Refusal>;
      return typeof v.message === "string" && typeof v.failure?.kind === "string" ? { message: v.message, failure: v.failure } : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, refusal: Refusal): Promise<void> {
    await writeFileAtomic(this.file(key), JSON.stringify(refusal));
  }

  async clear(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }

  private file(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}

/** Whether a failure is a refusal to remember. */
export function isRefused(failure: Failure): boolean {
  return failure.refused === true;
}
