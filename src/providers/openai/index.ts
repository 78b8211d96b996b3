/**
 * The `openai` provider: any OpenAI-compatible endpoint (OpenAI, relays,
 * local servers) through the official SDK. One file per modality; this file
 * only binds them to the Provider interface.
 *
 * Every method throws OpenAIProviderError (data in `.failure`) on failure;
 * the caller adds the step id.
 */
import type { Modality, Provider } from "../types.js";
import { createBackend, type OpenAIProviderConfig, type OpenAISecrets, type OpenAITuning } from "./config.js";
import { OpenAIProviderError } from "./errors.js";
import { keyframe, portrait } from "./image.js";
import { estimate } from "./prices.js";
import { speech } from "./speech.js";
import { script } from "./script.js";
import { lines, polish } from "./text.js";
import { clip } from "./video.js";

export { openAIProviderConfigSchema, type OpenAIProviderConfig, type OpenAISecrets, type OpenAITuning, type PollPolicy } from "./config.js";
export { OpenAIProviderError, describeFailure, type OpenAIFailure } from "./errors.js";
export { DEFAULT_PRICES, priceSchema, type Price } from "./prices.js";
export { mapVideo, type MappedVideo } from "./video-limits.js";

export function createOpenAIProvider(config: OpenAIProviderConfig, secrets: OpenAISecrets, tuning?: OpenAITuning): Provider {
  const b = createBackend(config, secrets, tuning);
  return {
    type: "openai",
    lines: (req, ctx) => lines(b, req, ctx),
    polish: (req, ctx) => polish(b, req, ctx),
    script: (req, check, ctx) => script(b, req, check, ctx),
    portrait: (req, ctx) => portrait(b, req, ctx),
    keyframe: (req, ctx) => keyframe(b, req, ctx),
    clip: (req, ctx) => clip(b, req, ctx),
    speech: (req, ctx) => speech(b, req, ctx),
    music: () =>
      Promise.reject(
        new OpenAIProviderError({ kind: "unsupported", endpoint: "music", subject: "music", message: "OpenAI-compatible APIs have no music generation; use offline or a music file" }),
      ),
    estimate: (modality: Modality, req: unknown) => estimate(b.prices, b.models, modality, req),
  };
}
