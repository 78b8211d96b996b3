/**
 * The relays' job APIs (`video_api: generations`, a `video_api:` mapping)
 * run through the one SDK-free job runner (providers/http-jobs/runner.ts),
 * with this backend's base URL, Bearer key, retry and poll policy.
 */
import type { CallContext } from "../../types.js";
import type { Backend } from "../config.js";
import { authorizer } from "../../http-jobs/auth.js";
import { runJob as runHttpJob, type FinishedJob, type JobHttp, type JobSpec } from "../../http-jobs/runner.js";

export type { FinishedJob, JobSpec };

export function jobHttp(b: Backend): JobHttp {
  return { baseUrl: b.baseUrl, auth: authorizer(undefined, { apiKey: b.apiKey }), retry: b.retry, poll: b.poll, redact: b.redact };
}

/** A mapping's own `auth:` (e.g. `Key {key}`) wins over Bearer; the key is this backend's either way. */
export function runJob(b: Backend, spec: JobSpec, ctx: CallContext): Promise<FinishedJob> {
  return runHttpJob({ ...jobHttp(b), auth: authorizer(spec.api.auth, { apiKey: b.apiKey }) }, spec, ctx);
}
