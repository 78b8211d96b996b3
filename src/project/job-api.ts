/**
 * A remote job API described as data (`video_api:` / `music_api:` as a
 * mapping): how to create a job, where its id is, how to poll it, which
 * status values mean done or failed, where the result URL and an error
 * message are. With it a user adds a video or music service that dramake has
 * never heard of, without code. The built-in `generations` dialect is one
 * such mapping (src/providers/openai/jobs/presets.ts).
 *
 * Paths into an answer are dotted (`data.taskId`, `data.videos.0.url`); a
 * list means "the first of these that is present" (`[id, task_id]`).
 */
import { z } from "zod";

/** What a body template or path may ask for. */
export const JOB_PLACEHOLDERS = ["model", "prompt", "image", "seconds", "aspect", "size", "format"] as const;
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

const PLACEHOLDER = /\{([a-z_]+)\}/g;

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
            `the JSON body; strings may hold ${JOB_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}; a string that is just {seconds} becomes a number`,
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
      .describe("the status request, with {id} for the job id, e.g. /v1/videos/{id}"),
    status: jsonPaths.describe("where the job's status is in a poll answer, e.g. data.task_status"),
    done: z.array(z.string().min(1)).min(1).describe("status values meaning finished, e.g. [succeed, completed]"),
    failed: z.array(z.string().min(1)).default([]).describe("status values meaning failed, e.g. [failed]"),
    result: jsonPaths.describe("where the result's URL is once done, e.g. data.task_result.videos.0.url"),
    error: jsonPaths.optional().describe("where a failed job's message is, e.g. data.task_status_msg"),
    progress: jsonPaths.optional().describe("where progress is (0-100, or '45%'), e.g. data.progress"),
  })
  .describe("a job API as data: { create: { method, path, body }, id, poll, status, done, failed, result, error, progress }");

export type JobApi = z.output<typeof jobApiSchema>;
