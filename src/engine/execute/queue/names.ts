/**
 * Names in Redis. One BullMQ queue per provider pool (its global concurrency
 * is the pool's size) and one for all local work; a hash lists the pools so a
 * worker started before any build finds every queue a coordinator opens.
 */
import type { Lane } from "./contract.js";

/** BullMQ forbids `:` in a queue name: the pool (`cloud:video`) is URI-encoded, which is one-to-one. */
export function queueName(lane: Lane): string {
  return lane.kind === "local" ? "local" : `pool-${encodeURIComponent(lane.pool)}`;
}

/**
 * The BullMQ job id of a step key: the key itself. BullMQ refuses ids that
 * read as integers or hold `:`; a hex key can be all digits (rarely), so those
 * get a `k` in front: keys are hex, so no other key maps to the same id.
 */
export function jobId(key: string): string {
  const safe = encodeURIComponent(key);
  return /^\d+$/.test(safe) ? `k${safe}` : safe;
}

/** Hash: queue name -> JSON Lane, written by coordinators, read by workers and status. */
export const poolsKey = (prefix: string): string => `${prefix}:pools`;

/** Hash: journal entries of one step key. */
export const journalKey = (prefix: string, key: string): string => `${prefix}:journal:${key}`;
