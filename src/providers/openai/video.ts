/**
 * A scene's clip: `videos.create` with the keyframe as input_reference, poll
 * `videos.retrieve` with backoff, then `downloadContent`.
 *
 * Video jobs are the expensive part of a build, so the job id is recorded
 * (`ctx.job.set`) the moment it exists, and a recorded id is resumed instead
 * of creating a new job: a killed build, a timeout or a failed download never
 * pays twice. Only a job the server itself reports as failed, no longer
 * knows, or whose download has expired is replaced by a new one.
 *
 * The create's answer can be lost to a kill after the server made the job
 * (issue 33, item 1). So an intent (`{"intent":<uuid>,"at":<unix s>}`) is
 * journaled before the create; a run that finds an intent and no id lists
 * the account's jobs (GET /videos, newest first) and takes the one made from
 * this very request (prompt, model, seconds, size) since the intent, before
 * creating anything. videos.create takes no client id or idempotency key, so
 * this match is the only handle; where the list is not offered (a 404/405
 * from a compatible server) the window remains and the README says so.
 */
import { randomUUID } from "node:crypto";
import type { Video, VideoSeconds } from "openai/resources/videos";
import type { CallContext, ClipRequest, Size, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { OpenAIProviderError } from "./errors.js";
import { describeHead, saveBody } from "./download.js";
import { fitImage } from "./fit-image.js";
import { describeFailure } from "../../media/failure.js";
import { upload } from "./image.js";
import { videoCost } from "./prices.js";
import { withRetry } from "./retry.js";
import { pollJob, readJobJournal, resumeJob, type RemoteJob } from "../http/job.js";
import { mapVideo, type MappedVideo } from "./video-limits.js";
import { verifyDecodes } from "./verify.js";
import { videoPrompt } from "../video-prompt.js";

export { videoPrompt };

export async function clip(b: Backend, req: ClipRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "video", "videos.create");
  const mapped = mapVideo(model, req);
  if (!mapped.ok) throw new OpenAIProviderError(mapped.error);

  const recorded = readJobJournal(ctx.job.get());
  const intent: Intent | undefined = recorded.intent !== undefined && recorded.at !== undefined ? { intent: recorded.intent, at: recorded.at } : undefined;
  const want: Wanted = { model, prompt: videoPrompt(req), seconds: String(mapped.value.seconds), size: mapped.value.sizeParam };
  const resumed =
    (recorded.id !== undefined ? await resume(b, ctx, recorded.id) : undefined) ??
    (intent !== undefined ? await lookup(b, want, intent, ctx) : undefined);
  const started = resumed ?? (await create(b, model, mapped.value, req, ctx));
  const done = await waitFor(b, started, ctx);

  const bytes = await withRetry("videos.content", b.retry, ctx.signal, async (signal) => {
    const res = await b.client.videos.downloadContent(done.id, {}, { signal });
    return saveBody(res, ctx.outFile, "videos.content", (head) => {
      if (Buffer.from(head.subarray(4, 8)).toString("latin1") !== "ftyp") {
        throw new OpenAIProviderError({ kind: "invalid-output", endpoint: "videos.content", message: "expected an MP4 file", received: describeHead(head) });
      }
    });
  });
  // A completed job whose file does not decode stays recorded: the next build downloads it again, without paying again.
  await verifyDecodes(ctx.outFile, "video", "videos.content", ctx.signal);
  ctx.progress(1, "video downloaded");
  // Bill and report what was made, which may be longer than asked (the cut trims it).
  const seconds = Number(done.seconds) || mapped.value.seconds;
  const size = parseSize(done.size) ?? mapped.value.size;
  return {
    cost: videoCost(b.prices.price(done.model || model), seconds, size),
    detail: { model: done.model || model, jobId: done.id, seconds, size: `${size.width}x${size.height}`, bytes, resumed: resumed ? "yes" : "no" },
  };
}

/** The journal's entry written before a create (http/job.ts reads it back). */
interface Intent {
  readonly intent: string;
  /** Unix seconds on our clock just before the create was sent. */
  readonly at: number;
}

/** What a job made from this request looks like in the server's list. */
interface Wanted {
  readonly model: string;
  readonly prompt: string;
  readonly seconds: string;
  readonly size: string;
}

/** How far the server's clock may run behind ours when matching a job's created_at against an intent. */
const CLOCK_SLACK_S = 60;
/** Pages of the job list read before giving up (newest first: ours is near the top). */
const LIST_PAGES = 5;

/**
 * The job a killed run created from this request but never heard about:
 * the newest one in the server's list with the same prompt, model, seconds
 * and size, created since the intent. Undefined when there is none or the
 * server offers no list (then a new job is created, as before).
 */
async function lookup(b: Backend, want: Wanted, intent: Intent, ctx: CallContext): Promise<Video | undefined> {
  try {
    let page = await withRetry("videos.list", b.retry, ctx.signal, (signal) => b.client.videos.list({ order: "desc", limit: 50 }, { signal }));
    for (let n = 0; n < LIST_PAGES; n++) {
      for (const v of page.data) {
        if (v.created_at < intent.at - CLOCK_SLACK_S) return notFound();
        if (v.prompt === want.prompt && v.model === want.model && String(v.seconds) === want.seconds && v.size === want.size && v.status !== "failed") {
          await ctx.job.set(v.id);
          ctx.notice(`video job ${v.id} was created by a build stopped before it heard the answer; resuming it instead of paying for another`);
          return v;
        }
      }
      if (!page.hasNextPage()) break;
      page = await page.getNextPage();
    }
    return notFound();
  } catch (e) {
    const status = e instanceof OpenAIProviderError && e.failure.kind === "http" ? e.failure.status : undefined;
    if (status === 404 || status === 405) {
      ctx.notice(`${b.name} offers no list of video jobs (HTTP ${status}): a job created by a build killed before the answer came cannot be found; creating a new one`);
      return undefined;
    }
    throw e;
  }
  function notFound(): undefined {
    ctx.notice(`no job from an earlier create that went unanswered is on the server; creating a video job`);
    return undefined;
  }
}

/**
 * This job as the shared poll loop sees it (http/job.ts): status by
 * `videos.retrieve`, failed with the server's redacted reason.
 */
function remote(b: Backend, id: string, ctx: CallContext): RemoteJob<Video> {
  return {
    id,
    what: "video",
    endpoint: "videos.retrieve",
    check: () => withRetry("videos.retrieve", b.retry, ctx.signal, (signal) => b.client.videos.retrieve(id, { signal })),
    read: (job) =>
      job.status === "failed"
        ? { state: "failed", code: job.error?.code ?? "unknown", reason: b.redact(job.error?.message ?? "the server gave no reason") }
        : { state: job.status === "completed" ? "done" : "running", progress: (job.progress ?? 0) / 100, label: `video ${job.status}` },
  };
}

/** The recorded job, if the server still has it, it has not failed and its download has not expired. */
function resume(b: Backend, ctx: CallContext, id: string): Promise<Video | undefined> {
  return resumeJob(remote(b, id, ctx), ctx, (job) =>
    job.status === "completed" && job.expires_at !== null && job.expires_at * 1000 <= Date.now() ? "finished but its download has expired" : undefined,
  );
}

async function create(b: Backend, model: string, mapped: MappedVideo, req: ClipRequest, ctx: CallContext): Promise<Video> {
  const fitted = await fitImage(req.keyframe, mapped.size, ctx.tmpDir, ctx.signal);
  if (!fitted.ok) {
    if (fitted.error.kind === "aborted") throw new OpenAIProviderError({ kind: "aborted", endpoint: "videos.create" });
    const message = `cannot fit keyframe ${req.keyframe}: ${describeFailure(fitted.error)}`;
    throw new OpenAIProviderError({ kind: "unsupported", endpoint: "videos.create", subject: `scene ${req.sceneId} keyframe`, message });
  }
  const input_reference = await upload(fitted.value);
  const price = videoCost(b.prices.price(model), mapped.seconds, mapped.size);
  // Before the request: a kill after the server made the job but before its answer is read leaves this to go on.
  await ctx.job.set(JSON.stringify({ intent: randomUUID(), at: Math.floor(Date.now() / 1000) } satisfies Intent));
  const job = await withRetry(
    "videos.create",
    b.retry,
    ctx.signal,
    (signal) =>
      b.client.videos.create(
        {
          model,
          prompt: videoPrompt(req),
          input_reference,
          seconds: String(mapped.seconds) as VideoSeconds,
          size: mapped.sizeParam as Video["size"],
        },
        { signal },
      ),
    { price, spent: (usd) => ctx.spent(usd) },
  );
  // Before anything else can fail: from here on this job is paid for.
  await ctx.job.set(job.id);
  return job;
}

/** Poll until the job completes; a failed job is a failure carrying the server's reason. */
function waitFor(b: Backend, first: Video, ctx: CallContext): Promise<Video> {
  return pollJob(remote(b, first.id, ctx), first, b.poll, ctx);
}

function parseSize(s: string | undefined): Size | undefined {
  const m = /^(\d+)x(\d+)$/.exec(s ?? "");
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}
