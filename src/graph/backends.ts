/**
 * Which provider makes each modality, resolved once per graph. A backend's
 * `identity` (provider type, base URL, model) goes into every step key it
 * serves, so switching a model regenerates exactly its steps; the API key is
 * handed over as a secret and never hashed.
 */
import type { Json, StepSpec } from "../engine/step.js";
import type { Project, ResolvedProvider } from "../project/project.js";
import type { Modality, Provider } from "../providers/types.js";
import type { OpenAITuning, Price } from "../providers/openai/index.js";
import { createOfflineProvider } from "../providers/offline/index.js";
import { err, ok, type Result } from "../result.js";
import { asJson } from "./json.js";

export interface Backend {
  readonly modality: Modality;
  readonly name: string;
  readonly provider: Provider;
  /** Hashed into keys: what decides the output besides the request. */
  readonly identity: Json;
  readonly pool: string;
  readonly remote: boolean;
  readonly secrets: Readonly<Record<string, string>>;
}

export interface Backends extends Readonly<Record<Modality, Backend>> {
  /**
   * The second pass over drafted lines, when the text provider has a
   * `models.polish`. Same provider and pool as `text`, its own identity
   * (the polish model), so swapping it reruns only the polish steps.
   */
  readonly polish?: Backend;
}

const MODALITIES: readonly Modality[] = ["text", "image", "speech", "video", "music"];

function modelFor(config: ResolvedProvider, modality: Modality): string | undefined {
  return config.models[modality];
}

/**
 * What decides a remote backend's output besides the request: provider type,
 * the URL the modality's requests go to, the model, and for clips and music
 * the job dialect spoken (a mapping changes what is asked for). Never a key.
 */
const dialect = (api: string | object): Json => (typeof api === "string" ? api : asJson(api));

function remoteIdentity(config: ResolvedProvider, modality: Modality, model: string | undefined): Json {
  const base = { type: config.type, base_url: config.endpoints[modality] ?? config.base_url ?? null, model: model ?? null };
  if (modality === "video" && config.video_api !== undefined && config.video_api !== "openai") {
    return { ...base, video_api: dialect(config.video_api), video_path: config.video_path ?? null, image_input: config.image_input ?? "url" };
  }
  if (modality === "music" && config.music_api !== undefined) return { ...base, music_api: dialect(config.music_api) };
  return base;
}

/** A local backend: its type, and its rendering version when past 1 (version 1 keys stay as they were). */
function localIdentity(config: ResolvedProvider, provider: Provider, modality: Modality): Json {
  const version = provider.renderVersions?.[modality] ?? 1;
  return version > 1 ? { type: config.type, version } : { type: config.type };
}

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
export function providerPrices(prices: ResolvedProvider["prices"]): Record<string, Price> {
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

async function instantiate(config: ResolvedProvider, project: Project, tuning: OpenAITuning): Promise<Provider> {
  if (config.type === "offline") return createOfflineProvider();
  // Imported only when a remote provider is in use: the SDK costs start-up time.
  const { createOpenAIProvider } = await import("../providers/openai/index.js");
  const endpointKeys: Partial<Record<Modality, string>> = {};
  for (const m of MODALITIES) {
    const key = project.secrets.apiKey(config.name, m);
    if (key !== undefined && key !== project.secrets.apiKey(config.name)) endpointKeys[m] = key;
  }
  return createOpenAIProvider(
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
    { apiKey: project.secrets.apiKey(config.name) ?? "", endpointKeys },
    tuning,
  );
}

export async function resolveBackends(project: Project, env: NodeJS.ProcessEnv = process.env): Promise<Result<Backends, string>> {
  const tuning = openAITuning(env);
  if (!tuning.ok) return tuning;
  const providers = new Map<string, Promise<Provider>>();
  const backend = async (modality: Modality, name: string, model: (config: ResolvedProvider) => string | undefined): Promise<Backend> => {
    const config = project.providers[name];
    if (!config) throw new Error(`use.${modality} names unknown provider ${name}; validation should have caught it`);
    let provider = providers.get(name);
    if (!provider) {
      provider = instantiate(config, project, tuning.value);
      providers.set(name, provider);
    }
    const remote = config.type !== "offline";
    const apiKey = project.secrets.apiKey(name, modality);
    return {
      modality,
      name,
      provider: await provider,
      identity: remote ? remoteIdentity(config, modality, model(config)) : localIdentity(config, await provider, modality),
      pool: `${name}:${modality}`,
      remote,
      secrets: apiKey ? { api_key: apiKey } : {},
    };
  };
  const entries = await Promise.all(
    MODALITIES.map(async (modality): Promise<[Modality, Backend]> => [modality, await backend(modality, project.use[modality], (c) => modelFor(c, modality))]),
  );
  const backends = Object.fromEntries(entries) as Record<Modality, Backend>;
  const textConfig = project.providers[project.use.text];
  const polish =
    textConfig?.models.polish && backends.text.provider.polish
      ? await backend("text", project.use.text, (c) => c.models.polish)
      : undefined;
  return ok({ ...backends, ...(polish ? { polish } : {}) });
}

/** Pool sizes: one per provider and modality, as configured. */
export function backendPools(project: Project): Record<string, number> {
  const pools: Record<string, number> = {};
  for (const [name, config] of Object.entries(project.providers)) {
    for (const modality of MODALITIES) pools[`${name}:${modality}`] = config.concurrency[modality];
  }
  return pools;
}

/** What every step a provider makes shares: its pool, its price before running, whether it is paid remote work, its key. */
export function servedBy(backend: Backend, request: unknown): Pick<StepSpec, "pool" | "estimate" | "unpriced" | "remote" | "secrets"> {
  const unpriced = backend.provider.unpriced?.(backend.modality, request);
  return {
    pool: backend.pool,
    estimate: backend.provider.estimate(backend.modality, request),
    ...(unpriced !== undefined ? { unpriced } : {}),
    remote: backend.remote,
    secrets: backend.secrets,
  };
}
