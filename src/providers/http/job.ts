/**
 * A paid remote job's life after its create, the same for every job API
 * (OpenAI's `/videos` through the SDK, and every mapping the SDK-free
 * http-jobs runner drives): the journal entry that survives a kill, resuming
 * a recorded job instead of paying for another, and polling it with backoff
 * until it is done, failed or out of time. Each API says only how to ask for
 * its job's status (`check`, retried) and how to read the answer (`read`).
 */
import type { CallContext } from "../types.js";
import { OpenAIProviderError } from "../openai/errors.js";
import { sleep } from "./retry.js";

export interface PollPolicy {
  /** Wait before the first status check, then ×1.5 per check up to maxMs. */
  readonly firstMs: number;
  readonly maxMs: number;
  /** Give up waiting (the job id stays recorded, so the next build resumes it). */
  readonly jobTimeoutMs: number;
}

/** The wait before status check n (1-based): the first after `firstMs`, then ×1.5 per check up to `maxMs`. */
export function pollDelay(policy: PollPolicy, n: number): number {
  return Math.min(policy.maxMs, policy.firstMs * 1.5 ** (n - 1));
}

/** A provider's poll policy: the tests' (or environment's) knobs over the provider's own defaults. */
export function pollPolicy(tuning: Partial<PollPolicy> | undefined, defaults: Pick<PollPolicy, "firstMs" | "maxMs">): PollPolicy {
  return { firstMs: tuning?.firstMs ?? defaults.firstMs, maxMs: tuning?.maxMs ?? defaults.maxMs, jobTimeoutMs: tuning?.jobTimeoutMs ?? 45 * 60_000 };
}

/**
 * What the journal (`ctx.job`) holds for one call: a job id as plain text (as
 * it always was), or JSON: an intent written before a create whose answer
 * may be lost (`intent`, with `at` where the API is matched by time), or the
 * id with the URLs a vendor handed out to poll it and fetch its result.
 */
export interface JobJournal {
  readonly id?: string;
  readonly intent?: string;
  /** Unix seconds on our clock just before the create was sent. */
  readonly at?: number;
  readonly poll?: string;
  readonly response?: string;
}

export function readJobJournal(raw: string | undefined): JobJournal {
  if (!raw) return {};
  if (!raw.startsWith("{")) return { id: raw };
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof v !== "object" || v === null) return {};
  const r = v as Record<string, unknown>;
  const text = (k: string) => (typeof r[k] === "string" && r[k] !== "" ? { [k]: r[k] as string } : {});
  return { ...text("id"), ...text("intent"), ...(typeof r.at === "number" ? { at: r.at } : {}), ...text("poll"), ...text("response") };
}

/** A status answer, read: the job is still going, done, or failed with the server's (redacted) reason. */
export type JobState =
  | { readonly state: "running" | "done"; readonly progress: number; readonly label: string }
  | { readonly state: "failed"; readonly code: string; readonly reason: string };

/** One remote job as the poll loop sees it. */
export interface RemoteJob<A> {
  readonly id: string;
  /** "video", "music": for notices. */
  readonly what: string;
  /** Names the status request in failures and aborts: `videos.retrieve`, `video.poll`. */
  readonly endpoint: string;
  /** One status request (retried by the caller's policy). */
  check(): Promise<A>;
  /** May throw: an answer the API's mapping cannot read is a failure of its own. */
  read(answer: A): JobState;
}

/**
 * A recorded job, checked once: its answer, or undefined where a new job
 * must be made because the server says it failed, no longer knows it (404),
 * or `unusable` says why not (an expired download), each with a notice.
 * Anything else (a network failure, a 401) fails the call: the job is kept
 * for the next build, never paid twice.
 */
export async function resumeJob<A>(job: RemoteJob<A>, ctx: CallContext, unusable?: (answer: A) => string | undefined): Promise<A | undefined> {
  let answer: A;
  try {
    answer = await job.check();
  } catch (e) {
    if (!(e instanceof OpenAIProviderError && e.failure.kind === "http" && e.failure.status === 404)) throw e;
    ctx.notice(`${job.what} job ${job.id} is no longer known to the server; starting a new one`);
    return undefined;
  }
  const why = unusable?.(answer);
  if (why !== undefined) {
    ctx.notice(`${job.what} job ${job.id} ${why}; starting a new one`);
    return undefined;
  }
  const s = job.read(answer);
  if (s.state !== "failed") return answer;
  ctx.notice(`${job.what} job ${job.id} had failed (${s.reason}); starting a new one`);
  return undefined;
}

/** Poll from `first` until the job is done; a failed job is a `job-failed` failure carrying the server's reason. */
export async function pollJob<A>(job: RemoteJob<A>, first: A, policy: PollPolicy, ctx: CallContext): Promise<A> {
  const since = Date.now();
  let answer = first;
  for (let checks = 1; ; checks++) {
    const s = job.read(answer);
    if (s.state === "failed") throw new OpenAIProviderError({ kind: "job-failed", endpoint: job.endpoint, jobId: job.id, code: s.code, reason: s.reason });
    ctx.progress(Math.min(0.99, s.progress), s.label);
    if (s.state === "done") return answer;
    if (Date.now() - since > policy.jobTimeoutMs) {
      throw new OpenAIProviderError({ kind: "job-timeout", endpoint: job.endpoint, jobId: job.id, seconds: Math.round(policy.jobTimeoutMs / 1000) });
    }
    await sleep(pollDelay(policy, checks), ctx.signal, job.endpoint);
    answer = await job.check();
  }
}
