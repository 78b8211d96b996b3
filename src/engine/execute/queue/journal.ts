/**
 * The provider-job journal in Redis (JournalStore): one hash per step key.
 * A worker writes a provider's job id the moment the create call answers, so
 * when it dies mid-poll, the worker BullMQ hands the stalled job to next reads
 * the same id and resumes polling: one purchase. Entries expire after a month
 * (a journal nobody resumed is of no use), and are cleared once the job is done.
 */
import type { Redis } from "ioredis";
import type { JournalStore } from "./contract.js";
import { journalKey } from "./names.js";

const MONTH_S = 30 * 24 * 3600;

export class RedisJournal implements JournalStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string, name: string): Promise<string | undefined> {
    return (await this.client.hget(journalKey(this.prefix, key), name)) ?? undefined;
  }

  async set(key: string, name: string, value: string): Promise<void> {
    const k = journalKey(this.prefix, key);
    // One round trip, applied together: the id and its expiry.
    const replies = await this.client.multi().hset(k, name, value).expire(k, MONTH_S).exec();
    const failed = replies?.find(([e]) => e !== null);
    if (replies === null || failed) throw failed?.[0] ?? new Error("the journal write was discarded");
  }

  async entries(key: string): Promise<Record<string, string>> {
    return this.client.hgetall(journalKey(this.prefix, key));
  }

  async clear(key: string): Promise<void> {
    await this.client.del(journalKey(this.prefix, key));
  }
}
