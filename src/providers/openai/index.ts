/**
 * The `openai` provider: any OpenAI-compatible endpoint (OpenAI, relays,
 * local servers) through the official SDK. One file per modality; this file
 * only binds them to the Provider interface.
 *
 * Every method throws OpenAIProviderError (data in `.failure`) on failure;
 * the caller adds the step id.
 */
import type { Modality, Provider } from "../types.js";
import { createBackends, type OpenAIProviderConfig, type OpenAISecrets, type OpenAITuning } from "./config.js";
import { OpenAIProviderError } from "./errors.js";
import { keyframe, portrait } from "./image.js";
import { estimate, unpricedHint } from "./prices.js";
import { speech } from "./speech.js";
import { premises, script } from "./script.js";
import { lines, polish } from "./text.js";
import { clip } from "./video.js";
import { clipByJob, musicByJob } from "./job-media.js";
import { videoLimits } from "./video-limits.js";

export { openAIProviderConfigSchema, type OpenAIProviderConfig, type OpenAISecrets, type OpenAITuning, type PollPolicy } from "./config.js";
export { OpenAIProviderError, describeFailure, type OpenAIFailure } from "./errors.js";
export { DEFAULT_PRICES, priceSchema, type Price } from "./prices.js";
export { mapVideo, type MappedVideo } from "./video-limits.js";

export function createOpenAIProvider(config: OpenAIProviderConfig, secrets: OpenAISecrets, tuning?: OpenAITuning): Provider {
  const backend = createBackends(config, secrets, tuning);
  const jobVideo = config.video_api !== undefined && config.video_api !== "openai";
  return {
    type: "openai",
    lines: (req, ctx) => lines(backend("text"), req, ctx),
    polish: (req, ctx) => polish(backend("text"), req, ctx),
    script: (req, check, ctx) => script(backend("text"), req, check, ctx),
    premises: (req, check, ctx) => premises(backend("text"), req, check, ctx),
    portrait: (req, ctx) => portrait(backend("image"), req, ctx),
    keyframe: (req, ctx) => keyframe(backend("image"), req, ctx),
    clip: (req, ctx) => (jobVideo ? clipByJob(backend("video"), req, ctx) : clip(backend("video"), req, ctx)),
    // The videos API's own limits (mapVideo snaps to them); a relay's job mapping: unknown.
    clipLengths: () => (jobVideo || !config.models?.video ? undefined : videoLimits(config.models.video).seconds),
    speech: (req, ctx) => speech(backend("speech"), req, ctx),
    music: (req, ctx) =>
      config.music_api !== undefined
        ? musicByJob(backend("music"), req, ctx)
        : Promise.reject(
            new OpenAIProviderError({ kind: "unsupported", endpoint: "music", subject: "music", message: "this provider has no music_api; use offline, a music file, or a relay's music_api" }),
          ),
    estimate: (modality: Modality, req: unknown) => {
      const b = backend(modality);
      return estimate(b.prices, b.models, modality, req);
    },
    unpriced: (modality: Modality, req: unknown) => {
      const b = backend(modality);
      return unpricedHint(b.prices, b.models, modality, req, config.name);
    },
  };
}
