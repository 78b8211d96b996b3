/**
 * The one job runner (no SDK): a remote job described by a mapping (a
 * vendor preset, the relays' `generations` dialect, or a user's `video_api:`)
 * is created, journaled, polled until done or failed, optionally resolved
 * by a second request (a file id to a URL, fal's response_url), and its
 * result URL handed back.
 *
 * Never paying twice (DESIGN §3, issue 33.1): the journal (`ctx.job`) holds
 *  - `{"intent":"<client id>"}` written BEFORE the create, when the vendor
 *    takes a client id (Kling's external_task_id) and can be asked for a job
 *    by it: a build killed while the create was in flight finds that job on
 *    resume instead of buying another;
 *  - the job id the moment the create answers (plain text, as relays always
 *    had it; JSON with the poll and response URLs when the vendor hands out
 *    URLs rather than paths: fal).
 * Where the vendor takes no client id, the window between the create being
 * sent and its answer being journaled remains (README, "Video services").
 */
import { randomBytes } from "node:crypto";
import type { JobApi } from "../../project/job-api.js";
import type { CallContext } from "../types.js";
import { OpenAIProviderError, redactor, shorten, type Redact } from "../openai/errors.js";
import type { OpenAITuning } from "../openai/config.js";
import { requestJson, HttpStatusError, type JsonRequest } from "../http/fetch.js";
import { retryPolicy, withRetry, type RetryPolicy } from "../http/retry.js";
import { pollJob, pollPolicy, readJobJournal, resumeJob, type JobJournal, type PollPolicy, type RemoteJob } from "../http/job.js";
import { firstAt, pathList, progressAt, textAt, valueAt, type Paths } from "./answer-path.js";
import type { Authorizer } from "./auth.js";
import { fillBody, fillPath, type Fill } from "./template.js";

/** Where requests go and how: one per provider. */
export interface JobHttp {
  readonly baseUrl: string;
  readonly auth: Authorizer;
  readonly retry: RetryPolicy;
  readonly poll: PollPolicy;
  readonly redact: Redact;
}

/**
 * The retry and poll policy of one preset provider (video or lip sync): the
 * project's timeout and attempts, the environment's timing knobs, every secret
 * redacted from what a failure may print.
 */
/** One redactor for every secret a provider holds (each in every form it could be printed). */
export function redactAll(secrets: readonly string[]): Redact {
  const each = secrets.length > 0 ? secrets.map((s) => redactor(s)) : [redactor("")];
  return (text) => each.reduce((t, r) => r(t), text || "");
}

export function jobHttp(
  baseUrl: string,
  auth: Authorizer,
  uploadToken: string | undefined,
  config: { readonly timeout_seconds?: number | undefined; readonly max_attempts?: number | undefined },
  tuning: OpenAITuning,
): JobHttp {
  const redact = redactAll([...auth.secrets, ...(uploadToken ? [uploadToken] : [])]);
  const retry = retryPolicy(config, tuning.retry, redact);
  const poll = pollPolicy(tuning.poll, { firstMs: 2000, maxMs: 10_000 });
  return { baseUrl, auth, retry, poll, redact };
}

export interface JobSpec {
  readonly api: JobApi;
  /** The drama.yaml key the mapping came from, for errors: `video_api`, or the preset's name. */
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
  /** The result's own id where the mapping says (`result_id`): Kling's video_id, which its lip sync takes. */
  readonly resultId?: string;
}

type Answer = { readonly body: unknown; readonly at: string };

/** Default places a vendor's error answer keeps its message (Google/OpenAI `error.message`, fal's 422 `detail`). */
const ERROR_MESSAGE: readonly string[] = ["error.message", "message", "msg", "detail.0.msg", "detail", "error", "base_resp.status_msg", "failure"];

export async function runJob(http: JobHttp, spec: JobSpec, ctx: CallContext): Promise<FinishedJob> {
  const journal = readJobJournal(ctx.job.get());
  let started = journal.id ? await resume(http, spec, journal, ctx) : undefined;
  const resumed = started !== undefined;
  if (!started && journal.intent && spec.api.lookup) started = await lookup(http, spec, journal.intent, ctx);
  started ??= await create(http, spec, ctx);
  const done = await waitFor(http, spec, started, ctx);
  const url = await resultOf(http, spec, started, done, ctx);
  const resultId = spec.api.result_id ? textAt(done.body, spec.api.result_id) : undefined;
  return { id: started.id, url, resumed: resumed || started.found === true, ...(resultId !== undefined ? { resultId } : {}) };
}

interface Started {
  readonly id: string;
  readonly answer: Answer;
  readonly poll?: string;
  readonly response?: string;
  readonly found?: boolean;
}

const journalOf = (s: Started): string => (s.poll || s.response ? JSON.stringify({ id: s.id, ...(s.poll ? { poll: s.poll } : {}), ...(s.response ? { response: s.response } : {}) }) : s.id);

/**
 * This job as the shared poll loop sees it (http/job.ts). The answer we
 * start from (the create's, or the resumed job's first check) may lack a
 * status; a later poll answer must have one, unless the mapping says when a
 * job is done by another field.
 */
function remote(http: JobHttp, spec: JobSpec, job: Pick<Started, "id" | "poll">, ctx: CallContext, mayLackStatus: (answer: Answer) => boolean): RemoteJob<Answer> {
  return {
    id: job.id,
    what: spec.what,
    endpoint: `${spec.endpoint}.poll`,
    check: () => poll(http, spec, job, ctx),
    read: (answer) => {
      const status = statusOf(spec, answer);
      if (failedIn(spec, answer)) return { state: "failed", code: status ?? "failed", reason: errorOf(http, spec, answer) };
      if (doneIn(spec, answer)) return { state: "done", progress: 0.99, label: `${spec.what} ${status ?? "ready"}` };
      if (spec.api.done_when === undefined && status === undefined) {
        if (!mayLackStatus(answer)) throw mappingMiss(http, spec, "status", spec.api.status ?? [], answer);
        // Some relays answer a short job at once: a result with no status needs no polling.
        if (textAt(answer.body, spec.api.result) !== undefined && !spec.api.resolve) return { state: "done", progress: 0.99, label: `${spec.what} ready` };
      }
      const fraction = spec.api.progress ? progressAt(answer.body, spec.api.progress) : undefined;
      return { state: "running", progress: fraction ?? 0, label: `${spec.what} ${status ?? "submitted"}` };
    },
  };
}

/** The recorded job, polled once: kept unless the server no longer knows it or says it failed. */
async function resume(http: JobHttp, spec: JobSpec, rec: JobJournal, ctx: CallContext): Promise<Started | undefined> {
  const base = { id: rec.id!, ...(rec.poll ? { poll: rec.poll } : {}), ...(rec.response ? { response: rec.response } : {}) };
  const answer = await resumeJob(remote(http, spec, base, ctx, () => true), ctx);
  return answer === undefined ? undefined : { ...base, answer };
}

/**
 * A create that may have reached the vendor before the build was killed:
 * ask for the job by our client id. Not found (any 4xx, or the vendor's own
 * error code) means the create never arrived, so creating is safe.
 */
async function lookup(http: JobHttp, spec: JobSpec, clientId: string, ctx: CallContext): Promise<Started | undefined> {
  const path = fillPath(spec.api.lookup!, { client_id: clientId });
  const endpoint = `${spec.endpoint}.lookup`;
  try {
    const body = await withRetry(endpoint, http.retry, ctx.signal, (signal) => requestJson(own(http, spec, "GET", path), endpoint, signal, http.redact, readError(spec), undefined, accept(http, spec, endpoint)));
    const answer = { body, at: `GET ${path}` };
    const id = textAt(body, spec.api.id);
    if (id === undefined || failedIn(spec, answer)) return undefined;
    const started: Started = { id, answer, found: true };
    await ctx.job.set(journalOf(started));
    ctx.notice(`${spec.what} job ${id} was created by an earlier, interrupted build; polling it instead of creating another`);
    return started;
  } catch (e) {
    if (e instanceof OpenAIProviderError && e.failure.kind === "http" && e.failure.status >= 400 && e.failure.status < 500) return undefined;
    throw e;
  }
}

async function create(http: JobHttp, spec: JobSpec, ctx: CallContext): Promise<Started> {
  const { method, path, body } = spec.api.create;
  const takesClientId = spec.api.client_id !== undefined || spec.api.lookup !== undefined;
  const clientId = takesClientId ? `dramake-${randomBytes(12).toString("hex")}` : undefined;
  const fill: Fill = clientId ? { ...spec.fill, client_id: clientId } : spec.fill;
  const filledPath = fillPath(path, fill);
  const at = `${method} ${filledPath}`;
  const endpoint = `${spec.endpoint}.create`;
  const req = own(http, spec, method, filledPath, fillBody(body, fill));
  const headers = clientId && spec.api.client_id?.header ? { ...req.headers, [spec.api.client_id.header]: clientId } : req.headers;
  // Before the request leaves: a kill from here on can be looked up by this id.
  if (clientId) await ctx.job.set(JSON.stringify({ intent: clientId }));
  const answer = await withRetry(
    endpoint,
    http.retry,
    ctx.signal,
    async (signal, answered) => ({ body: await requestJson({ ...req, headers }, endpoint, signal, http.redact, readError(spec), answered, accept(http, spec, endpoint)), at }),
    { price: spec.price, spent: (usd) => ctx.spent(usd) },
  );
  const id = textAt(answer.body, spec.api.id);
  if (id === undefined) {
    ctx.spent(spec.price);
    throw mappingMiss(http, spec, "id", spec.api.id, answer);
  }
  const pollUrl = spec.api.poll_url ? textAt(answer.body, spec.api.poll_url) : undefined;
  const response = spec.api.resolve?.url ? textAt(answer.body, spec.api.resolve.url) : undefined;
  const started: Started = { id, answer, ...(pollUrl ? { poll: pollUrl } : {}), ...(response ? { response } : {}) };
  // Before anything else can fail: from here on this job is paid for.
  await ctx.job.set(journalOf(started));
  return started;
}

async function poll(http: JobHttp, spec: JobSpec, job: Pick<Started, "id" | "poll">, ctx: CallContext): Promise<Answer> {
  const endpoint = `${spec.endpoint}.poll`;
  let req: JsonRequest;
  if (job.poll) req = byUrl(http, spec, job.poll);
  else if (spec.api.poll !== undefined) {
    const target = typeof spec.api.poll === "string" ? { method: "GET" as const, path: spec.api.poll } : spec.api.poll;
    req = own(http, spec, target.method, fillPath(target.path, { ...spec.fill, id: job.id }));
  } else {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: `${spec.key}.poll_url: the create answer gave no URL to poll at ${pathList(spec.api.poll_url!).join(", ")}`, received: job.id });
  }
  const body = await withRetry(endpoint, http.retry, ctx.signal, (signal) => requestJson(req, endpoint, signal, http.redact, readError(spec), undefined, accept(http, spec, endpoint)));
  return { body, at: `${req.method} ${new URL(req.url).pathname}` };
}

/** Poll until done or failed (the server's reason), with backoff. */
function waitFor(http: JobHttp, spec: JobSpec, job: Started, ctx: CallContext): Promise<Answer> {
  return pollJob(remote(http, spec, job, ctx, (answer) => answer === job.answer), job.answer, http.poll, ctx);
}

/** The result URL: in the final answer, or behind the mapping's resolve request. */
async function resultOf(http: JobHttp, spec: JobSpec, job: Started, done: Answer, ctx: CallContext): Promise<string> {
  const resolve = spec.api.resolve;
  if (!resolve) {
    const url = textAt(done.body, spec.api.result);
    if (url === undefined) throw mappingMiss(http, spec, "result", spec.api.result, done);
    return url;
  }
  const endpoint = `${spec.endpoint}.resolve`;
  let req: JsonRequest;
  if (resolve.path) {
    const value = textAt(done.body, spec.api.result);
    if (value === undefined) throw mappingMiss(http, spec, "result", spec.api.result, done);
    req = own(http, spec, "GET", fillPath(resolve.path, { value, id: job.id }));
  } else {
    const url = (resolve.url ? textAt(done.body, resolve.url) : undefined) ?? job.response;
    if (url === undefined) throw mappingMiss(http, spec, "resolve.url", resolve.url ?? [], done);
    req = byUrl(http, spec, url);
  }
  const body = await withRetry(endpoint, http.retry, ctx.signal, (signal) => requestJson(req, endpoint, signal, http.redact, readError(spec), undefined, accept(http, spec, endpoint)));
  const answer = { body, at: `GET ${new URL(req.url).pathname}` };
  if (failedIn(spec, answer)) throw new OpenAIProviderError({ kind: "job-failed", endpoint, jobId: job.id, code: "failed", reason: errorOf(http, spec, answer) });
  const paths = spec.api.resolve_result ?? spec.api.result;
  const url = textAt(body, paths);
  if (url === undefined) throw mappingMiss(http, spec, "resolve_result", paths, answer);
  return url;
}

/** A request under the provider's base URL (paths are appended as the vendor documents them), with credentials. */
function own(http: JobHttp, spec: JobSpec, method: JsonRequest["method"], path: string, body?: unknown): JsonRequest {
  return { method, url: http.baseUrl.replace(/\/+$/, "") + path, headers: { ...spec.api.headers, ...http.auth.headers() }, ...(body !== undefined ? { body } : {}) };
}

/**
 * A URL the vendor handed out (fal's status_url, Replicate's urls.get): the
 * credentials go with it only when it is on the provider's own origin.
 */
function byUrl(http: JobHttp, spec: JobSpec, url: string): JsonRequest {
  const target = new URL(url, http.baseUrl);
  const same = target.origin === new URL(http.baseUrl).origin;
  return { method: "GET", url: target.href, headers: same ? { ...spec.api.headers, ...http.auth.headers() } : {} };
}

/** An answer with the vendor's own error code (MiniMax base_resp, Kling code) is an error even at HTTP 200. */
function accept(http: JobHttp, spec: JobSpec, endpoint: string): ((body: unknown) => void) | undefined {
  const check = spec.api.check;
  if (!check) return undefined;
  return (body) => {
    const code = valueAt(body, check.path);
    if (code === undefined || check.ok.some((ok) => String(ok) === String(code))) return;
    const said = textAt(body, check.message);
    throw new OpenAIProviderError({ kind: "http", endpoint, status: 200, message: http.redact(shorten(`${check.path} ${String(code)}: ${said ?? "the server gave no message"}`)), attempts: 1 });
  };
}

function readError(spec: JobSpec) {
  const paths = [...(spec.api.check ? pathList(spec.api.check.message) : []), ...(spec.api.error ? pathList(spec.api.error) : []), ...ERROR_MESSAGE];
  return (body: unknown): string | undefined => {
    const v = firstAt(body, paths);
    return typeof v === "string" ? v : v === undefined ? undefined : JSON.stringify(v);
  };
}

const statusOf = (spec: JobSpec, answer: Answer): string | undefined => (spec.api.status ? textAt(answer.body, spec.api.status) : undefined);

const isIn = (status: string | undefined, values: readonly string[] | undefined): boolean =>
  status !== undefined && (values ?? []).some((v) => v.toLowerCase() === status.toLowerCase());

function failedIn(spec: JobSpec, answer: Answer): boolean {
  if (spec.api.failed_when !== undefined && firstAt(answer.body, spec.api.failed_when) !== undefined) return true;
  return isIn(statusOf(spec, answer), spec.api.failed);
}

function doneIn(spec: JobSpec, answer: Answer): boolean {
  if (spec.api.done_when !== undefined) return firstAt(answer.body, spec.api.done_when) === true;
  return isIn(statusOf(spec, answer), spec.api.done);
}

function errorOf(http: JobHttp, spec: JobSpec, answer: Answer): string {
  const e = firstAt(answer.body, [...(spec.api.error ? pathList(spec.api.error) : []), ...(spec.api.failed_when ? pathList(spec.api.failed_when) : [])]);
  const text = typeof e === "string" ? e : e === undefined ? "the server gave no reason" : typeof e === "object" && e !== null && typeof (e as { message?: unknown }).message === "string" ? (e as { message: string }).message : JSON.stringify(e);
  return http.redact(shorten(text));
}

/** The mapping key whose path found nothing, the paths tried, and what the server said instead. */
function mappingMiss(http: JobHttp, spec: JobSpec, field: string, paths: Paths, answer: Answer): OpenAIProviderError {
  const tried = pathList(paths).join(", ");
  return new OpenAIProviderError({
    kind: "invalid-output",
    endpoint: `${spec.endpoint}.${field === "id" ? "create" : field.startsWith("resolve") ? "resolve" : "poll"}`,
    message: `${spec.key}.${field}: nothing at ${tried} in the answer of ${answer.at}; check the path against the answer`,
    received: http.redact(shorten(JSON.stringify(answer.body) ?? String(answer.body))),
  });
}

export { HttpStatusError };
