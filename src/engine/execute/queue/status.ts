/**
 * What the queue holds, for `dramake status --queue`: waiting, running and
 * failed jobs, by pool and by worker, and the workers connected now. Data
 * only; the CLI prints it.
 */
import { Queue, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ok, type Result } from "../../../result.js";
import { connect, DEFAULT_PREFIX, type QueueError } from "./connection.js";
import type { Lane } from "./contract.js";
import { poolsKey, queueName } from "./names.js";
import { reasonText } from "./wire.js";

export interface JobInfo {
  readonly key: string;
  /** The step id. */
  readonly id: string;
  readonly op: string;
  readonly queue: string;
  /** The worker running it (active) or the last one that had it (failed). */
  readonly worker?: string;
  /** Why it failed (failed jobs). */
  readonly reason?: string;
}

export interface QueueStatus {
  /** Per queue: a provider pool (with its global concurrency) or local work. */
  readonly queues: readonly { readonly name: string; readonly lane: Lane; readonly waiting: readonly JobInfo[]; readonly active: readonly JobInfo[]; readonly failed: readonly JobInfo[] }[];
  /** Per worker name: what it runs now and what failed on it. Connected workers with nothing to do are listed too. */
  readonly workers: Readonly<Record<string, { readonly connected: boolean; readonly active: readonly JobInfo[]; readonly failed: readonly JobInfo[] }>>;
  /** Jobs no worker has taken yet. */
  readonly waiting: readonly JobInfo[];
}

export async function queueStatus(options: { readonly url: string; readonly prefix?: string }): Promise<Result<QueueStatus, QueueError>> {
  const connected = await connect(options.url, { reconnectForMs: 0 });
  if (!connected.ok) return connected;
  try {
    return ok(await read(connected.value, options.prefix ?? DEFAULT_PREFIX));
  } finally {
    connected.value.disconnect();
  }
}

async function read(client: Redis, prefix: string): Promise<QueueStatus> {
  const pools = await client.hgetall(poolsKey(prefix));
  const lanes = new Map<string, Lane>([[queueName({ kind: "local" }), { kind: "local" }]]);
  for (const [name, json] of Object.entries(pools)) {
    try {
      lanes.set(name, JSON.parse(json) as Lane);
    } catch {
      // Unreadable entry: not ours to show.
    }
  }
  const queues: QueueStatus["queues"][number][] = [];
  const workers: Record<string, { connected: boolean; active: JobInfo[]; failed: JobInfo[] }> = {};
  const of = (name: string) => (workers[name] ??= { connected: false, active: [], failed: [] });
  const waitingAll: JobInfo[] = [];
  for (const [name, lane] of [...lanes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const queue = new Queue(name, { connection: client, prefix });
    queue.on("error", () => undefined);
    try {
      const [waiting, active, failed, connectedWorkers] = await Promise.all([
        queue.getJobs(["waiting", "prioritized", "delayed"]),
        queue.getJobs(["active"]),
        queue.getJobs(["failed"]),
        queue.getWorkers(),
      ]);
      for (const w of connectedWorkers) {
        const n = (w as { rawname?: string; name?: string }).rawname ?? (w as { name?: string }).name;
        if (n) of(workerName(n, prefix, name)).connected = true;
      }
      const info = (j: Job, withReason = false): JobInfo => {
        const d = (j.data ?? {}) as { key?: string; id?: string; op?: string };
        return {
          key: d.key ?? String(j.id),
          id: d.id ?? "?",
          op: d.op ?? j.name,
          queue: name,
          ...(j.processedBy ? { worker: j.processedBy } : {}),
          ...(withReason ? { reason: reasonText(j.failedReason) } : {}),
        };
      };
      const q = { name, lane, waiting: waiting.map((j) => info(j as Job)), active: active.map((j) => info(j as Job)), failed: failed.map((j) => info(j as Job, true)) };
      queues.push(q);
      waitingAll.push(...q.waiting);
      for (const j of q.active) of(j.worker ?? "unknown").active.push(j);
      for (const j of q.failed) of(j.worker ?? "unknown").failed.push(j);
    } finally {
      await queue.close().catch(() => undefined);
    }
  }
  return { queues, workers, waiting: waitingAll };
}

/** BullMQ names a worker's Redis client `<prefix>:<base64 queue>:w:<name>`; getWorkers may give either form. */
function workerName(raw: string, prefix: string, queue: string): string {
  const marker = `${prefix}:${Buffer.from(queue).toString("base64")}:w:`;
  return raw.startsWith(marker) ? raw.slice(marker.length) : raw;
}
