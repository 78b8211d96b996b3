/**
 * A scene's clip: `videos.create` with the keyframe as input_reference, poll
 * `videos.retrieve` with backoff, then `downloadContent`.
 *
 * Video jobs are the expensive part of a build, so the job id is recorded
 * (`ctx.job.set`) the moment it exists, and a recorded id is resumed instead
 * of creating a new job: a killed build, a timeout or a failed download never
 * pays twice. Only a job the server itself reports as failed, no longer
 * knows, or whose download has expired is replaced by a new one.
 */
import type { Video, VideoSeconds } from "openai/resources/videos";
import type { CallContext, ClipRequest, Size, Usage } from "../types.js";
import { modelFor, pollDelay, type Backend } from "./config.js";
import { OpenAIProviderError } from "./errors.js";
import { describeHead, saveBody } from "./download.js";
import { fitImage } from "./fit-image.js";
import { describeFailure } from "../../media/failure.js";
import { upload } from "./image.js";
import { videoCost } from "./prices.js";
import { sleep, withRetry } from "./retry.js";
import { mapVideo, type MappedVideo } from "./video-limits.js";
import { verifyDecodes } from "./verify.js";
import { videoPrompt } from "../video-prompt.js";

export { videoPrompt };

export async function clip(b: Backend, req: ClipRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "video", "videos.create");
  const mapped = mapVideo(model, req);
  if (!mapped.ok) throw new OpenAIProviderError(mapped.error);

  const resumed = await resume(b, ctx);
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

/** The recorded job, if the server still has it and it has not failed. */
async function resume(b: Backend, ctx: CallContext): Promise<Video | undefined> {
  const id = ctx.job.get();
  if (!id) return undefined;
  try {
    const job = await withRetry("videos.retrieve", b.retry, ctx.signal, (signal) => b.client.videos.retrieve(id, { signal }));
    if (job.status === "completed" && job.expires_at !== null && job.expires_at * 1000 <= Date.now()) {
      ctx.notice(`video job ${id} finished but its download has expired; starting a new one`);
      return undefined;
    }
    if (job.status !== "failed") return job;
    ctx.notice(`video job ${id} had failed (${b.redact(job.error?.message ?? "no reason given")}); starting a new one`);
    return undefined;
  } catch (e) {
    if (e instanceof OpenAIProviderError && e.failure.kind === "http" && e.failure.status === 404) {
      ctx.notice(`video job ${id} is no longer known to the server; starting a new one`);
      return undefined;
    }
    throw e;
  }
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
async function waitFor(b: Backend, first: Video, ctx: CallContext): Promise<Video> {
  const since = Date.now();
  let job = first;
  let checks = 0;
  for (;;) {
    ctx.progress(Math.min(0.99, (job.progress ?? 0) / 100), `video ${job.status}`);
    if (job.status === "completed") return job;
    if (job.status === "failed") {
      throw new OpenAIProviderError({
        kind: "job-failed",
        endpoint: "videos.retrieve",
        jobId: job.id,
        code: job.error?.code ?? "unknown",
        reason: b.redact(job.error?.message ?? "the server gave no reason"),
      });
    }
    if (Date.now() - since > b.poll.jobTimeoutMs) {
      throw new OpenAIProviderError({ kind: "job-timeout", endpoint: "videos.retrieve", jobId: job.id, seconds: Math.round(b.poll.jobTimeoutMs / 1000) });
    }
    await sleep(pollDelay(b.poll, ++checks), ctx.signal, "videos.retrieve");
    const id = job.id;
    job = await withRetry("videos.retrieve", b.retry, ctx.signal, (signal) => b.client.videos.retrieve(id, { signal }));
  }
}

function parseSize(s: string | undefined): Size | undefined {
  const m = /^(\d+)x(\d+)$/.exec(s ?? "");
  return m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
}
