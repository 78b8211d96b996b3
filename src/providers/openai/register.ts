/**
 * The `openai` type (any OpenAI-compatible endpoint, relays' job dialects
 * included) as the provider registry knows it: how a project's provider
 * entry becomes an OpenAI provider, and what of it is hashed into keys.
 * The SDK is imported only when a provider is made: it costs start-up time.
 */
import type { Json } from "../../engine/step.js";
import { err, ok, type Result } from "../../result.js";
import type { ProviderConfig, ProviderType } from "../registry.js";
import type { Modality } from "../types.js";
import type { OpenAITuning } from "./config.js";
import type { Price } from "./prices.js";

/**
 * Timing knobs for OpenAI-compatible providers, from the environment. They
 * change how long we wait, never what is made, so they are not in the project
 * file nor in any key. Meant for local servers and tests; the defaults suit
 * the real API.
 *   DRAMAKE_OPENAI_POLL_MS     interval between video job status checks
 *   DRAMAKE_OPENAI_BACKOFF_MS  first backoff after a 5xx or network error (then doubling)
 */
export const TUNING_ENV = { poll: "DRAMAKE_OPENAI_POLL_MS", backoff: "DRAMAKE_OPENAI_BACKOFF_MS" } as const;

export function openAITuning(env: NodeJS.ProcessEnv): Result<OpenAITuning, string> {
  const read = (name: string): Result<number | undefined, string> => {
    const raw = env[name];
    if (raw === undefined || raw === "") return ok(undefined);
    const n = Number(raw);
    return Number.isInteger(n) && n >= 1 && n <= 600_000
      ? ok(n)
      : err(`${name}=${JSON.stringify(raw)} is not allowed: a whole number of milliseconds from 1 to 600000`);
  };
  const poll = read(TUNING_ENV.poll);
  if (!poll.ok) return poll;
  const backoff = read(TUNING_ENV.backoff);
  if (!backoff.ok) return backoff;
  return ok({
    ...(poll.value !== undefined ? { poll: { firstMs: poll.value, maxMs: poll.value } } : {}),
    ...(backoff.value !== undefined ? { retry: { baseDelayMs: backoff.value } } : {}),
  });
}

/**
 * drama.yaml spells prices per unit a user reads on a price page; the
 * provider prices per unit it computes with. A field the user gives replaces
 * the provider's default for every unit it covers.
 */
export function providerPrices(prices: ProviderConfig["prices"]): Record<string, Price> {
  const out: Record<string, Price> = {};
  for (const [model, p] of Object.entries(prices)) {
    const price: { -readonly [K in keyof Price]: Price[K] } = {};
    if (p.per_1m_input_tokens !== undefined) price.input_per_mtok = p.per_1m_input_tokens;
    if (p.per_1m_output_tokens !== undefined) price.output_per_mtok = p.per_1m_output_tokens;
    if (p.per_image !== undefined) price.per_image = p.per_image;
    if (p.per_second !== undefined) {
      // "USD per second of video or audio": the video price at every size, and the speech price.
      price.per_second = p.per_second;
      price.per_second_large = p.per_second;
      price.per_minute = p.per_second * 60;
    }
    if (p.per_1k_chars !== undefined) {
      price.per_1k_chars = p.per_1k_chars;
      // Priced by characters: the default per-minute and per-token speech prices no longer apply.
      price.per_minute ??= 0;
      price.input_per_mtok ??= 0;
    }
    out[model] = price;
  }
  return out;
}

const dialect = (api: string | object): Json => (typeof api === "string" ? api : (JSON.parse(JSON.stringify(api)) as Json));

/**
 * What decides a remote backend's output besides the request: provider type,
 * the URL the modality's requests go to, the model, and for clips and music
 * the job dialect spoken (a mapping changes what is asked for). Never a key.
 */
export function openAIIdentity(config: ProviderConfig, modality: Modality, model: string | undefined): Json {
  const base = { type: config.type, base_url: config.endpoints[modality] ?? config.base_url ?? null, model: model ?? null };
  if (modality === "video" && config.video_api !== undefined && config.video_api !== "openai") {
    return { ...base, video_api: dialect(config.video_api), video_path: config.video_path ?? null, image_input: config.image_input ?? "url" };
  }
  if (modality === "music" && config.music_api !== undefined) return { ...base, music_api: dialect(config.music_api) };
  return base;
}

export const openAIProvider: ProviderType = {
  remote: true,
  identity: openAIIdentity,
  async create(config, secrets, env) {
    const tuning = openAITuning(env);
    if (!tuning.ok) return tuning;
    const { createOpenAIProvider } = await import("./index.js");
    return ok(
      createOpenAIProvider(
        {
          name: config.name,
          base_url: config.base_url ?? "https://api.openai.com/v1",
          models: config.models,
          prices: providerPrices(config.prices),
          timeout_seconds: config.timeout_seconds,
          max_attempts: config.max_attempts,
          endpoints: Object.fromEntries(Object.entries(config.endpoints).map(([m, base_url]) => [m, { base_url }])),
          ...(config.video_api !== undefined ? { video_api: config.video_api } : {}),
          ...(config.video_path !== undefined ? { video_path: config.video_path } : {}),
          ...(config.music_api !== undefined ? { music_api: config.music_api } : {}),
          ...(config.image_input !== undefined ? { image_input: config.image_input } : {}),
        },
        { apiKey: secrets.apiKey ?? "", ...(secrets.endpointKeys ? { endpointKeys: secrets.endpointKeys } : {}) },
        tuning.value,
      ),
    );
  },
};
