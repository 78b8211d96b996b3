/**
 * One remote job through a job mapping: create it, record its id the moment
 * the create call answers (a killed build then resumes polling the same paid
 * job), poll with backoff until the status says done or failed, and hand back
 * the result URL. A mapping whose path finds nothing in an answer fails
 * there, naming the mapping key (`video_api.id`) and showing the answer.
 */
import type { JobApi } from "../../../project/job-api.js";
import type { CallContext } from "../../types.js";
import { pollDelay, type Backend } from "../config.js";
import { OpenAIProviderError, shorten } from "../errors.js";
import { sleep, withRetry } from "../retry.js";
import { firstAt, pathList, progressAt, textAt, type Paths } from "./answer-path.js";
import { fillBody, fillPath, type Fill } from "./template.js";

export interface JobSpec {
  readonly api: JobApi;
  /** The drama.yaml key the mapping came from, for errors: `video_api` or `music_api`. */
  readonly key: string;
  /** Names requests in failures: `video.create`, `video.poll`. */
  readonly endpoint: string;
  readonly fill: Fill;
  /** USD the create call costs, booked if its answer cannot be used. */
  readonly price: number;
  /** "video", "music": for progress messages and notices. */
  readonly what: string;
}

export interface FinishedJob {
  readonly id: string;
  readonly url: string;
  readonly resumed: boolean;
}

type Answer = { readonly body: unknown; readonly at: string };

export async function runJob(b: Backend, spec: JobSpec, ctx: CallContext): Promise<FinishedJob> {
  const resumed = await resume(b, spec, ctx);
  const first = resumed ?? (await create(b, spec, ctx));
  const url = await waitFor(b, spec, first.id, first.answer, ctx);
  return { id: first.id, url, resumed: resumed !== undefined };
}

/** The recorded job, polled once: kept unless the server no longer knows it or says it failed. */
async function resume(b: Backend, spec: JobSpec, ctx: CallContext): Promise<{ id: string; answer: Answer } | undefined> {
  const id = ctx.job.get();
  if (!id) return undefined;
  try {
    const answer = await poll(b, spec, id, ctx);
    if (!isIn(statusOf(spec, answer), spec.api.failed)) return { id, answer };
    ctx.notice(`${spec.what} job ${id} had failed (${errorOf(b, spec, answer)}); starting a new one`);
  } catch (e) {
    if (!(e instanceof OpenAIProviderError && e.failure.kind === "http" && e.failure.status === 404)) throw e;
    ctx.notice(`${spec.what} job ${id} is no longer known to the server; starting a new one`);
  }
  return undefined;
}

async function create(b: Backend, spec: JobSpec, ctx: CallContext): Promise<{ id: string; answer: Answer }> {
  const { method, path, body } = spec.api.create;
  const at = `${method} ${fillPath(path, spec.fill)}`;
  const endpoint = `${spec.endpoint}.create`;
  const answer = await withRetry(
    endpoint,
    b.retry,
    ctx.signal,
    async (signal, answered) => {
      const options = { body: fillBody(body, spec.fill) as Record<string, unknown>, signal };
      const call = method === "PUT" ? b.client.put(fillPath(path, spec.fill), options) : b.client.post(fillPath(path, spec.fill), options);
      const res = await call.asResponse();
      answered();
      return { body: await json(b, res, endpoint), at };
    },
    { price: spec.price, spent: (usd) => ctx.spent(usd) },
  );
  const id = textAt(answer.body, spec.api.id);
  if (id === undefined) {
    ctx.spent(spec.price);
    throw mappingMiss(b, spec, "id", spec.api.id, answer);
  }
  // Before anything else can fail: from here on this job is paid for.
  await ctx.job.set(id);
  return { id, answer };
}

async function poll(b: Backend, spec: JobSpec, id: string, ctx: CallContext): Promise<Answer> {
  const target = typeof spec.api.poll === "string" ? { method: "GET" as const, path: spec.api.poll } : spec.api.poll;
  const path = fillPath(target.path, { id });
  const endpoint = `${spec.endpoint}.poll`;
  return withRetry(endpoint, b.retry, ctx.signal, async (signal) => {
    const res = await (target.method === "POST" ? b.client.post(path, { signal }) : b.client.get(path, { signal })).asResponse();
    return { body: await json(b, res, endpoint), at: `${target.method} ${path}` };
  });
}

/** Poll until done (the result URL) or failed (the server's reason), with backoff. */
async function waitFor(b: Backend, spec: JobSpec, id: string, first: Answer, ctx: CallContext): Promise<string> {
  const since = Date.now();
  let answer = first;
  let checks = 0;
  // The create answer may lack a status; a poll answer must have one.
  let polled = false;
  for (;;) {
    const status = statusOf(spec, answer);
    const result = textAt(answer.body, spec.api.result);
    if (status === undefined && polled) throw mappingMiss(b, spec, "status", spec.api.status, answer);
    if (isIn(status, spec.api.failed)) {
      throw new OpenAIProviderError({ kind: "job-failed", endpoint: `${spec.endpoint}.poll`, jobId: id, code: status ?? "failed", reason: errorOf(b, spec, answer) });
    }
    // Some relays answer a short job at once: a result with no status, or a done one, needs no polling.
    if (isIn(status, spec.api.done) || (status === undefined && result !== undefined)) {
      if (result === undefined) throw mappingMiss(b, spec, "result", spec.api.result, answer);
      ctx.progress(0.99, `${spec.what} ${status ?? "ready"}`);
      return result;
    }
    const fraction = spec.api.progress ? progressAt(answer.body, spec.api.progress) : undefined;
    ctx.progress(Math.min(0.99, fraction ?? 0), `${spec.what} ${status ?? "submitted"}`);
    if (Date.now() - since > b.poll.jobTimeoutMs) {
      throw new OpenAIProviderError({ kind: "job-timeout", endpoint: `${spec.endpoint}.poll`, jobId: id, seconds: Math.round(b.poll.jobTimeoutMs / 1000) });
    }
    await sleep(pollDelay(b.poll, ++checks), ctx.signal, `${spec.endpoint}.poll`);
    answer = await poll(b, spec, id, ctx);
    polled = true;
  }
}

const statusOf = (spec: JobSpec, answer: Answer): string | undefined => textAt(answer.body, spec.api.status);

const isIn = (status: string | undefined, values: readonly string[]): boolean =>
  status !== undefined && values.some((v) => v.toLowerCase() === status.toLowerCase());

function errorOf(b: Backend, spec: JobSpec, answer: Answer): string {
  const e = spec.api.error ? firstAt(answer.body, spec.api.error) : undefined;
  const text = typeof e === "string" ? e : e === undefined ? "the server gave no reason" : JSON.stringify(e);
  return b.redact(shorten(text));
}

/** The mapping key whose path found nothing, the paths tried, and what the server said instead. */
function mappingMiss(b: Backend, spec: JobSpec, field: string, paths: Paths, answer: Answer): OpenAIProviderError {
  const tried = pathList(paths).join(", ");
  return new OpenAIProviderError({
    kind: "invalid-output",
    endpoint: `${spec.endpoint}.${field === "id" ? "create" : "poll"}`,
    message: `${spec.key}.${field}: nothing at ${tried} in the answer of ${answer.at}; check the path against the answer`,
    received: b.redact(shorten(JSON.stringify(answer.body) ?? String(answer.body))),
  });
}

async function json(b: Backend, res: Response, endpoint: string): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: "the answer is not JSON", received: b.redact(shorten(text)) });
  }
}
