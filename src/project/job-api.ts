/**
 * A remote job API described as data (`video_api:` / `music_api:` as a
 * mapping): how to create a job, where its id is, how to poll it, which
 * status values mean done or failed, where the result URL and an error
 * message are. With it a user adds a video or music service that dramake has
 * never heard of, without code. The built-in `generations` dialect is one
 * such mapping (src/providers/http-jobs/presets/generations.ts), and so is every
 * vendor preset (src/providers/http-jobs/presets/<type>.ts).
 *
 * Paths into an answer are dotted (`data.taskId`, `data.videos.0.url`); a
 * list means "the first of these that is present" (`[id, task_id]`).
 */
import { z } from "zod";

/** What a body template or path may ask for. */
export const JOB_PLACEHOLDERS = [
  "model",
  "prompt",
  "image",
  "seconds",
  "aspect",
  "size",
  "format",
  // Added for the vendor presets (issue 28); a mapping that does not name them is unchanged.
  "image_mime",
  "last_image",
  "references",
  "audio",
  "video",
  "native_audio",
  "resolution",
  "client_id",
  // Lip sync (issue 29): the clip's id at the vendor that made it (Kling's video_id).
  "video_id",
  // Native dialogue (issue 29): up to three speakers' voice samples as URLs, for APIs that take reference audio.
  "voice_a",
  "voice_b",
  "voice_c",
] as const;
export type JobPlaceholder = (typeof JOB_PLACEHOLDERS)[number];

const JSON_PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;
const jsonPath = z.string().regex(JSON_PATH, { error: "not a dotted path" }).describe("a dotted path into the JSON answer, e.g. data.taskId or data.videos.0.url");
const jsonPaths = z
  .union([jsonPath, z.array(jsonPath).min(1)])
  .describe("a dotted path into the JSON answer (e.g. data.taskId), or a list of them: the first present wins");

const requestPath = z
  .string()
  .regex(/^\/[^\s]*$/, { error: "not a path" })
  .describe("a path under the provider's base_url, starting with '/', e.g. /api/v1/jobs/createTask");

const PLACEHOLDER = /\{([a-z_]+)(?::[a-z]+)?\}/g;

/** Placeholders in every string of a template, for the check below. */
function placeholdersIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") for (const m of value.matchAll(PLACEHOLDER)) found.push(m[1]!);
  else if (Array.isArray(value)) for (const v of value) placeholdersIn(v, found);
  else if (value !== null && typeof value === "object") for (const v of Object.values(value)) placeholdersIn(v, found);
  return found;
}

function knownPlaceholders(allowed: readonly string[], what: string) {
  return (ctx: z.core.ParsePayload<unknown>) => {
    for (const name of placeholdersIn(ctx.value)) {
      if (!allowed.includes(name)) {
        ctx.issues.push({
          code: "custom",
          input: ctx.value,
          message: `unknown placeholder {${name}} in ${what} (allowed: ${allowed.map((p) => `{${p}}`).join(", ")})`,
        });
      }
    }
  };
}

const statusValues = z.array(z.string().min(1)).min(1);

/** How the key travels (default `Authorization: Bearer {key}`). */
const authSchema = z
  .union([
    z.literal("none").describe("no credentials"),
    z
      .strictObject({
        header: z.string().regex(/^[A-Za-z0-9-]+$/, { error: "not a header name" }).describe("the header, e.g. Authorization or x-goog-api-key"),
        format: z.string().includes("{key}", { error: "must contain {key}" }).default("{key}").describe("the header's value with {key}, e.g. Key {key} or Bearer {key}"),
      })
      .describe("the key in a header: { header, format }"),
    z
      .strictObject({
        jwt: z
          .strictObject({
            ttl_seconds: z.int().min(60).max(86_400).default(1800).describe("seconds a token lives (renewed before it expires), 60 to 86400"),
          })
          .describe("an HS256 JWT signed with secret_key, iss = access_key, sent as Authorization: Bearer"),
      })
      .describe("a JWT from access_key and secret_key: { jwt: { ttl_seconds } }"),
  ])
  .describe("how credentials are sent: none, { header, format } or { jwt: { ttl_seconds } }");

export const jobApiSchema = z
  .strictObject({
    create: z
      .strictObject({
        method: z.enum(["POST", "PUT"]).default("POST").describe("the HTTP method: POST (default) or PUT"),
        path: requestPath.check(knownPlaceholders(JOB_PLACEHOLDERS, "create.path")),
        body: z
          .record(z.string(), z.unknown())
          .check(knownPlaceholders(JOB_PLACEHOLDERS, "create.body"))
          .describe(
            `the JSON body; strings may hold ${JOB_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}; a string that is just {seconds} becomes a number ({seconds:text} keeps it text); a key whose placeholder is empty is left out`,
          ),
      })
      .describe("the request that creates a job: { method, path, body }"),
    id: jsonPaths.describe("where the job id is in the create answer, e.g. data.taskId (or [id, task_id])"),
    poll: z
      .union([
        requestPath,
        z.strictObject({ method: z.enum(["GET", "POST"]).default("GET").describe("GET (default) or POST"), path: requestPath }),
      ])
      .check(knownPlaceholders(["id"], "poll"))
      .optional()
      .describe("the status request, with {id} for the job id, e.g. /v1/videos/{id}"),
    poll_url: jsonPaths.optional().describe("where the create answer gives the URL to poll (instead of poll), e.g. status_url or urls.get"),
    status: jsonPaths.optional().describe("where the job's status is in a poll answer, e.g. data.task_status"),
    done: statusValues.optional().describe("status values meaning finished, e.g. [succeed, completed]"),
    done_when: jsonPaths.optional().describe("finished once this path is true (instead of status and done), e.g. done"),
    failed: z.array(z.string().min(1)).default([]).describe("status values meaning failed, e.g. [failed]"),
    failed_when: jsonPaths.optional().describe("failed once this path is present, e.g. error"),
    result: jsonPaths.describe("where the result's URL is once done, e.g. data.task_result.videos.0.url"),
    resolve: z
      .strictObject({
        path: requestPath.check(knownPlaceholders(["value", "id"], "resolve.path")).optional().describe("a request under base_url with {value}, e.g. /v1/files/retrieve?file_id={value}"),
        url: jsonPaths.optional().describe("where an answer gives the URL to GET (instead of path), e.g. response_url"),
      })
      .optional()
      .describe("a second request once done: { path } with {value} taken from result, or { url } from the answers; result is then read from its answer at resolve_result"),
    resolve_result: jsonPaths.optional().describe("where the resolve answer has the result's URL, e.g. file.download_url"),
    error: jsonPaths.optional().describe("where a failed job's message is, e.g. data.task_status_msg"),
    progress: jsonPaths.optional().describe("where progress is (0-100, or '45%'), e.g. data.progress"),
    check: z
      .strictObject({
        path: jsonPath.describe("the answer's own status code, e.g. base_resp.status_code or code"),
        ok: z.array(z.union([z.number(), z.string()])).min(1).describe("values meaning success, e.g. [0]"),
        message: jsonPaths.describe("where the answer's message is, e.g. base_resp.status_msg"),
      })
      .optional()
      .describe("an error inside a 200 answer: { path, ok, message }"),
    auth: authSchema.optional(),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, { error: "not a header name" }), z.string()).optional().describe("static headers for every request, e.g. { X-Runway-Version: 2024-11-06 }"),
    image: z.enum(["url", "data-url", "base64"]).optional().describe("how {image} is sent: data-url (default), base64 (no data: prefix, with {image_mime}) or url (needs uploads)"),
    audio: z.enum(["url", "base64"]).optional().describe("how {audio} is sent: url (default; needs uploads) or base64 (no data: prefix)"),
    result_id: jsonPaths.optional().describe("where the finished answer names the result's own id, e.g. data.task_result.videos.0.id (Kling's video_id, for lip sync)"),
    values: z
      .partialRecord(z.enum(JOB_PLACEHOLDERS), z.record(z.string(), z.union([z.string(), z.number()])))
      .optional()
      .describe("value maps per placeholder, e.g. { size: { 720x1280: 720*1280 } }"),
    download_auth: z.boolean().optional().describe("send the credentials with the result download when it is on the provider's own origin (Veo)"),
    client_id: z
      .strictObject({
        body: jsonPath.optional().describe("the body key taking our client id, e.g. external_task_id"),
        header: z.string().optional().describe("the header taking it, e.g. Idempotency-Key"),
      })
      .optional()
      .describe("where the vendor takes a client id, journaled before the create"),
    lookup: requestPath.check(knownPlaceholders(["client_id"], "lookup")).optional().describe("a GET finding a job by client id, e.g. /v1/videos/image2video/{client_id}"),
  })
  .check((ctx) => {
    const v = ctx.value;
    if (v.poll === undefined && v.poll_url === undefined) ctx.issues.push({ code: "custom", input: v, path: ["poll"], message: "a job mapping needs poll (a path with {id}) or poll_url (where the create answer gives one)" });
    if (v.done_when === undefined && (v.status === undefined || v.done === undefined)) ctx.issues.push({ code: "custom", input: v, path: [v.status === undefined ? "status" : "done"], message: "a job mapping needs status and done (status values meaning finished), or done_when" });
  })
  .describe("a job API as data: { create: { method, path, body }, id, poll, status, done, failed, result, error, progress }");

export type JobApi = z.output<typeof jobApiSchema>;
export type JobApiInput = z.input<typeof jobApiSchema>;
