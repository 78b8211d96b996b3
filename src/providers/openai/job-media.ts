/**
 * Clips and music through a relay's job API (`video_api: generations`,
 * `music_api: generations`, or a job mapping): the job runs through
 * jobs/run.ts, then its result URL is downloaded (the key only to the
 * provider's own origin), checked to decode, and handed back.
 */
import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { toWav } from "../../media/audio.js";
import type { CallContext, ClipRequest, MusicRequest, Size, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { describeHead, download } from "./download.js";
import { OpenAIProviderError } from "./errors.js";
import { generationsMusic, generationsVideo } from "./jobs/presets.js";
import { runJob } from "./jobs/run.js";
import { musicCost, videoCost } from "./prices.js";
import { withRetry } from "./retry.js";
import { verifyDecodes } from "./verify.js";
import { videoPrompt } from "./video.js";

export async function clipByJob(b: Backend, req: ClipRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "video", "video.create");
  const api = typeof b.config.video_api === "object" ? b.config.video_api : generationsVideo(b.config.video_path, b.config.image_input);
  // Relays take whole seconds; the cut trims what is longer than the scene.
  const seconds = Math.ceil(req.seconds);
  const price = videoCost(b.prices.price(model), seconds, req.size);
  const job = await runJob(
    b,
    {
      api,
      key: "video_api",
      endpoint: "video",
      what: "video",
      price,
      fill: { model, prompt: videoPrompt(req), image: await dataUrl(req.keyframe), seconds, aspect: aspectOf(req.size), size: `${req.size.width}x${req.size.height}` },
    },
    ctx,
  );
  const bytes = await fetchResult(b, job.url, ctx.outFile, "video.download", ctx, isVideo);
  await verifyDecodes(ctx.outFile, "video", "video.download", ctx.signal);
  ctx.progress(1, "video downloaded");
  return { cost: price, detail: { model, jobId: job.id, seconds, bytes, resumed: job.resumed ? "yes" : "no" } };
}

export async function musicByJob(b: Backend, req: MusicRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "music", "music.create");
  const api = typeof b.config.music_api === "object" ? b.config.music_api : generationsMusic();
  const seconds = Math.ceil(req.seconds);
  const price = musicCost(b.prices.price(model), seconds);
  // mp3 is what every music relay can make; the step stores WAV like the offline music.
  const job = await runJob(b, { api, key: "music_api", endpoint: "music", what: "music", price, fill: { model, prompt: req.mood, seconds, format: "mp3" } }, ctx);
  const got = join(ctx.tmpDir, "music.download");
  const bytes = await fetchResult(b, job.url, got, "music.download", ctx);
  await verifyDecodes(got, "audio", "music.download", ctx.signal);
  const wav = await toWav(got, ctx.outFile, 2, { signal: ctx.signal });
  if (!wav.ok) {
    if (ctx.signal.aborted) throw new OpenAIProviderError({ kind: "aborted", endpoint: "music.download" });
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint: "music.download", message: "the downloaded music could not be converted to WAV", received: wav.error.kind });
  }
  ctx.progress(1, "music downloaded");
  return { cost: price, detail: { model, jobId: job.id, seconds, bytes, resumed: job.resumed ? "yes" : "no" } };
}

/** Downloads are retried on their own: the job is paid once, fetching it again is free. */
function fetchResult(b: Backend, url: string, dest: string, endpoint: string, ctx: CallContext, check?: (head: Uint8Array) => void): Promise<number> {
  return withRetry(endpoint, b.retry, ctx.signal, (signal) => download(b, url, dest, endpoint, signal, { keyToOwnOrigin: true, ...(check ? { check } : {}) }));
}

/** MP4/MOV (`ftyp`) or WebM/Matroska (EBML): an HTML page served as 200 is refused before decoding. */
function isVideo(head: Uint8Array): void {
  const ftyp = Buffer.from(head.subarray(4, 8)).toString("latin1") === "ftyp";
  const ebml = Buffer.from(head.subarray(0, 4)).toString("hex") === "1a45dfa3";
  if (!ftyp && !ebml) {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint: "video.download", message: "expected an MP4 or WebM file", received: describeHead(head) });
  }
}

const IMAGE_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

/**
 * The keyframe inline: a local file has no URL a relay could fetch, and
 * relays that ask for `image_url` take a data URL there too.
 */
async function dataUrl(file: string): Promise<string> {
  const type = IMAGE_TYPES[extname(file).toLowerCase()] ?? "image/png";
  return `data:${type};base64,${(await readFile(file)).toString("base64")}`;
}

function aspectOf(size: Size): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(size.width, size.height);
  return `${size.width / g}:${size.height / g}`;
}
