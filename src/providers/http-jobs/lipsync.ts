/**
 * Lip sync (issue 29) through the one job runner: a shot's silent clip and
 * its dialogue (the TTS voices of its lines, mixed) go to a lip-sync preset
 * (`kling`, `sync`) or a user's `lipsync_api:` mapping, and the clip whose
 * mouths follow the voice comes back to `ctx.outFile`.
 *
 * Before anything is paid: the clip must be at least as long as its
 * dialogue (a lip-sync model cuts or freezes the rest, the drift users
 * complain of), else a `clip-too-short` failure naming the first line that
 * ends after the clip; and an input the API takes only as a URL needs
 * `uploads:`.
 *
 * The interface the provider registry binds, like createJobsVideo:
 *   createJobsLipsync(preset, config, secrets, tuning) -> { identity, lipsync(req, ctx), estimate(req), unpriced(req) }
 */
import { readFile } from "node:fs/promises";
import { jobApiSchema, type JobApi } from "../../project/job-api.js";
import type { LipsyncPresetType } from "../../project/schema.js";
import { probe } from "../../media/probe.js";
import { describeFailure as describeMediaFailure } from "../../media/failure.js";
import type { CallContext, Usage } from "../types.js";
import { OpenAIProviderError } from "../openai/errors.js";
import type { OpenAITuning, PollPolicy } from "../openai/config.js";
import { verifyDecodes } from "../openai/verify.js";
import { download } from "../http/download.js";
import { withRetry } from "../http/retry.js";
import { uploadOnce, type UploadStore } from "../http/upload.js";
import { authorizer } from "./auth.js";
import { LIPSYNC_PRESETS, type LipsyncPreset } from "./presets/lipsync-preset.js";
import { jobHttp, runJob } from "./runner.js";
import type { Fill } from "./template.js";
import { isVideo, type JobsSecrets } from "./video.js";

export interface LipsyncRequest {
  /** The shot's clip (MP4). */
  readonly video: string;
  /** The shot's dialogue: its lines' voices mixed, from the shot's start (WAV). */
  readonly audio: string;
  /** The clip's id at the vendor that made it (Kling's video_id), when this preset can take it. */
  readonly videoId?: string;
  /**
   * The lines in the dialogue with where each ends (seconds from the shot's
   * start) and how to name it to a writer, e.g. `line 2 'Dad, I'm sorry.'
   * (drama.yaml:14:9)`: a clip too short names the first that overruns.
   */
  readonly lines?: readonly { readonly label: string; readonly end: number }[];
}

export interface JobsLipsyncConfig {
  /** The provider's name in drama.yaml, for messages. */
  readonly name: string;
  readonly base_url?: string;
  /** models.lipsync; the preset's default when absent. */
  readonly model?: string;
  /** USD per second of output, per model (drama.yaml `prices: { <model>: { per_second } }`). */
  readonly prices?: Readonly<Record<string, { readonly per_second?: number }>>;
  readonly timeout_seconds?: number;
  readonly max_attempts?: number;
  readonly uploads?: Omit<UploadStore, "token">;
}

export interface JobsLipsync {
  /** Hashed into lip-sync keys: type, base URL, model, and the mapping when it is the user's. Never a key. */
  readonly identity: { readonly [k: string]: string | number | boolean | null | object };
  /** Writes ctx.outFile: the clip with its mouths following the dialogue. */
  lipsync(req: LipsyncRequest, ctx: CallContext): Promise<Usage>;
  /** USD before running, for a clip of `seconds` (the shot's clip length, known from the file alone). */
  estimate(req: { readonly seconds: number }): number;
  unpriced(req: { readonly seconds: number }): string | undefined;
}

/** A clip a few frames shorter than its voice still mouths every word: the tolerance for container rounding. */
const SLACK_SECONDS = 0.05;
const ENDPOINT = "lipsync";

/**
 * `preset` is a built-in type (`kling`, `sync`) or a LipsyncPreset object (a
 * user's `lipsync_api:` mapping with its base_url), validated here, at
 * construction, by the same schema as drama.yaml's.
 */
export function createJobsLipsync(preset: LipsyncPresetType | LipsyncPreset, config: JobsLipsyncConfig, secrets: JobsSecrets, tuning: OpenAITuning = {}): JobsLipsync {
  const p: LipsyncPreset = typeof preset === "string" ? LIPSYNC_PRESETS[preset] : preset;
  const api: JobApi = jobApiSchema.parse(p.api);
  const model = config.model ?? p.defaultModel;
  const baseUrl = config.base_url ?? p.baseUrl;
  const auth = authorizer(api.auth, secrets);
  const http = jobHttp(baseUrl, auth, secrets.uploadToken, config, tuning);
  const redact = http.redact;
  const price = config.prices?.[model]?.per_second;
  const store: UploadStore | undefined = config.uploads ? { ...config.uploads, ...(secrets.uploadToken ? { token: secrets.uploadToken } : {}) } : undefined;
  const builtIn = typeof preset === "string";

  const asUrl = async (file: string, what: string, ctx: CallContext): Promise<string> => {
    if (!store) {
      throw new OpenAIProviderError({
        kind: "unsupported",
        endpoint: `${ENDPOINT}.create`,
        subject: `providers.${config.name}.uploads`,
        message: `this lip-sync API takes ${what} only as an http(s) URL; set uploads: { put: <URL with {sha256}{ext}>, get: <public URL>, token: \${UPLOAD_TOKEN} } under providers.${config.name}`,
      });
    }
    return uploadOnce(store, file, http.retry, redact, ctx.signal);
  };

  return {
    identity: { type: p.type, modality: "lipsync", base_url: baseUrl, model, ...(builtIn ? {} : { lipsync_api: api }) },
    estimate: (req) => (price ?? 0) * req.seconds,
    unpriced: (req) => (price === undefined && req.seconds > 0 ? `set prices: { ${model}: { per_second: <USD> } } under providers.${config.name}` : undefined),
    async lipsync(req, ctx) {
      const clipSeconds = await durationOf(req.video, ctx.signal);
      const voiceSeconds = await durationOf(req.audio, ctx.signal);
      const dialogueSeconds = Math.max(voiceSeconds, ...(req.lines ?? []).map((l) => l.end));
      if (dialogueSeconds > clipSeconds + SLACK_SECONDS) {
        const over = (req.lines ?? []).find((l) => l.end > clipSeconds + SLACK_SECONDS);
        throw new OpenAIProviderError({ kind: "clip-too-short", endpoint: ENDPOINT, clipSeconds, dialogueSeconds, ...(over ? { line: over.label } : {}) });
      }
      const limits = p.clipSeconds;
      if (limits && (clipSeconds < limits.min - SLACK_SECONDS || clipSeconds > limits.max + SLACK_SECONDS)) {
        throw new OpenAIProviderError({
          kind: "unsupported",
          endpoint: `${ENDPOINT}.create`,
          subject: `${p.type} lip sync`,
          message: `it takes clips of ${limits.min} to ${limits.max} s and this one is ${clipSeconds.toFixed(2)} s; give the shot a length in that range, or use another lip-sync provider`,
        });
      }
      // Inputs first: a missing upload store fails here, before the job is bought.
      const byId = p.byVideoId === true && req.videoId !== undefined;
      const video = byId ? undefined : await asUrl(req.video, "the clip", ctx);
      const audio = api.audio === "base64" ? (await readFile(req.audio)).toString("base64") : await asUrl(req.audio, "the dialogue audio", ctx);
      const fill: Fill = { model, audio, seconds: clipSeconds, ...(byId ? { video_id: req.videoId } : {}), ...(video ? { video } : {}) };
      const usd = (price ?? 0) * clipSeconds;
      const job = await runJob(http, { api, key: p.type, endpoint: ENDPOINT, fill, price: usd, what: "lip-sync" }, ctx);
      const bytes = await withRetry(`${ENDPOINT}.download`, http.retry, ctx.signal, (signal) =>
        download({ baseUrl, apiKey: "", redact }, job.url, ctx.outFile, `${ENDPOINT}.download`, signal, { keyToOwnOrigin: api.download_auth === true, credentials: () => auth.headers(), check: isVideo }),
      );
      await verifyDecodes(ctx.outFile, "video", `${ENDPOINT}.download`, ctx.signal).catch((e: unknown) => {
        ctx.spent(usd);
        throw e;
      });
      ctx.progress(1, "lip-sync downloaded");
      return { cost: usd, detail: { model, jobId: job.id, seconds: Math.round(clipSeconds * 1000) / 1000, by: byId ? "video_id" : "url", bytes, resumed: job.resumed ? "yes" : "no" } };
    },
  };
}

async function durationOf(file: string, signal: AbortSignal): Promise<number> {
  const info = await probe(file, signal);
  if (!info.ok) {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint: ENDPOINT, message: `cannot read the length of ${file.split("/").at(-1)}`, received: describeMediaFailure(info.error) });
  }
  return info.value.duration;
}
