/**
 * The provider's settings as they appear under `providers.<name>` with
 * `type: openai` in drama.yaml (the API key is not here: it is a secret,
 * passed separately), and the shared state each modality's calls use.
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { z } from "zod";
import type { JobApi } from "../../project/job-api.js";
import type { Modality } from "../types.js";
import type { KeyScope } from "./download.js";
import { OpenAIProviderError, redactor, type Redact } from "./errors.js";
import { priceBook, priceSchema, type Models, type PriceBook } from "./prices.js";
import { retryPolicy, type RetryPolicy } from "./retry.js";
import { pollPolicy, type PollPolicy } from "../http/job.js";
import { noteSdkErrors } from "./sdk-errors.js";

// A client is made only here: the retry policy tells the SDK's errors apart from now on (sdk-errors.ts).
noteSdkErrors({ APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError });

const MODALITY = z.enum(["text", "image", "speech", "video", "music"]);

export const openAIProviderConfigSchema = z.object({
  name: z.string().min(1),
  base_url: z.string().url(),
  /** Modalities whose requests go elsewhere (their keys are in the secrets). */
  endpoints: z.partialRecord(MODALITY, z.object({ base_url: z.string().url() })).optional(),
  /** How clips are made: the official `/videos` API, the relays' `generations` dialect, or a job mapping. */
  video_api: z.union([z.literal("openai"), z.literal("generations"), z.custom<JobApi>()]).optional(),
  /** The generations dialect's path (default `/videos/generations`). */
  video_path: z.string().optional(),
  music_api: z.union([z.literal("generations"), z.custom<JobApi>()]).optional(),
  /** How a generations job gets the keyframe: in `image_url` (default) or in `image`, as a data URL either way. */
  image_input: z.enum(["url", "data-url"]).optional(),
  /** A modality without a model fails with `unsupported` when used. */
  models: z
    .object({
      text: z.string().min(1),
      image: z.string().min(1),
      speech: z.string().min(1),
      video: z.string().min(1),
      music: z.string().min(1),
      /** Optional second pass over drafted lines. */
      polish: z.string().min(1),
    })
    .partial(),
  /** Per-model price overrides, field by field over the defaults. */
  prices: z.record(z.string(), priceSchema).optional(),
  /** Per HTTP request, body included. */
  timeout_seconds: z.number().positive().optional(),
  /** Per HTTP request, first try included. */
  max_attempts: z.number().int().min(1).max(20).optional(),
});
export type OpenAIProviderConfig = z.infer<typeof openAIProviderConfigSchema>;

export interface OpenAISecrets {
  readonly apiKey: string;
  /** A modality's own key, for its `endpoints` entry; else `apiKey`. */
  readonly endpointKeys?: Partial<Record<Modality, string>>;
}

/** Timing knobs; the defaults suit the real API, tests shrink them. */
export interface OpenAITuning {
  readonly retry?: Partial<Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs" | "maxRetryAfterMs" | "random">>;
  readonly poll?: Partial<PollPolicy>;
}

export { pollDelay, type PollPolicy } from "../http/job.js";

/** What every modality's calls share (one per distinct endpoint). */
export interface Backend extends KeyScope {
  /** The provider's name in drama.yaml, for notices. */
  readonly name: string;
  readonly client: OpenAI;
  readonly config: OpenAIProviderConfig;
  /** What this server turned out not to offer, learnt once per build. */
  readonly quirks: { noImageEdits: boolean };
  readonly models: Models;
  readonly prices: PriceBook;
  readonly retry: RetryPolicy;
  readonly poll: PollPolicy;
  readonly redact: Redact;
}

/**
 * One backend per modality: the provider's own, or one for the modality's
 * `endpoints` entry (its own base URL and key). Modalities on the same
 * endpoint share one backend, so one client and one set of learnt quirks.
 */
export function createBackends(config: OpenAIProviderConfig, secrets: OpenAISecrets, tuning: OpenAITuning = {}): (modality: Modality) => Backend {
  const shared = createBackend(config, secrets.apiKey, tuning);
  const own = new Map<Modality, Backend>();
  return (modality) => {
    const url = config.endpoints?.[modality]?.base_url;
    const key = secrets.endpointKeys?.[modality];
    if (url === undefined && key === undefined) return shared;
    let b = own.get(modality);
    if (!b) own.set(modality, (b = createBackend({ ...config, base_url: url ?? config.base_url }, key ?? secrets.apiKey, tuning)));
    return b;
  };
}

export function createBackend(config: OpenAIProviderConfig, apiKey: string, tuning: OpenAITuning = {}): Backend {
  const redact = redactor(apiKey);
  const retry = retryPolicy(config, tuning.retry, redact);
  // Made on first call, not here: `plan` prices a project through this
  // provider without an API key, and the SDK refuses to construct without one.
  let client: OpenAI | undefined;
  const makeClient = (): OpenAI =>
    new OpenAI({
      // A provider written without api_key (a local server) gets a placeholder:
      // left empty, the SDK would quietly pick up OPENAI_API_KEY from the environment.
      apiKey: apiKey || "no-key",
      baseURL: config.base_url,
      // Our retry policy is the only one; the SDK's would double the waits and ignore our abort rules.
      maxRetries: 0,
      // withRetry enforces the per-attempt timeout (body included); the SDK's is a backstop.
      timeout: retry.timeoutMs + 1000,
      // The SDK must never print anything (our CLI owns the terminal) nor log headers.
      logLevel: "off",
    });
  return {
    name: config.name,
    baseUrl: config.base_url,
    apiKey,
    config,
    quirks: { noImageEdits: false },
    get client() {
      return (client ??= makeClient());
    },
    models: config.models,
    prices: priceBook(config.prices ?? {}),
    redact,
    retry,
    // A finished job waits at most one interval before we notice: checks are cheap, waiting is not.
    poll: pollPolicy(tuning.poll, { firstMs: 1000, maxMs: 5000 }),
  };
}

/** The configured model for a modality, or an `unsupported` failure naming the missing setting. */
export function modelFor(backend: Backend, modality: keyof Models, endpoint: string): string {
  const model = backend.models[modality];
  if (!model) {
    throw new OpenAIProviderError({ kind: "unsupported", endpoint, subject: `models.${modality}`, message: "no model configured for this provider" });
  }
  return model;
}
