/**
 * Which provider makes each modality, resolved once per graph. A backend's
 * `identity` (provider type, base URL, model) goes into every step key it
 * serves, so switching a model regenerates exactly its steps; the API key is
 * handed over as a secret and never hashed.
 */
import type { Json } from "../engine/step.js";
import type { Project, ResolvedProvider } from "../project/project.js";
import type { Modality, Provider } from "../providers/types.js";
import { createOfflineProvider } from "../providers/offline/index.js";

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

export type Backends = Readonly<Record<Modality, Backend>>;

const MODALITIES: readonly Modality[] = ["text", "image", "speech", "video", "music"];

function modelFor(config: ResolvedProvider, modality: Modality): string | undefined {
  return modality === "music" ? undefined : config.models[modality];
}

async function instantiate(config: ResolvedProvider, project: Project): Promise<Provider> {
  if (config.type === "offline") return createOfflineProvider();
  // Imported only when a remote provider is in use: the SDK costs start-up time.
  const { createOpenAIProvider } = await import("../providers/openai/index.js");
  return createOpenAIProvider(
    {
      name: config.name,
      base_url: config.base_url ?? "https://api.openai.com/v1",
      models: config.models,
      prices: config.prices,
      timeout_seconds: config.timeout_seconds,
      max_attempts: config.max_attempts,
    },
    { apiKey: project.secrets.apiKey(config.name) ?? "" },
  );
}

export async function resolveBackends(project: Project): Promise<Backends> {
  const providers = new Map<string, Promise<Provider>>();
  const entries = await Promise.all(
    MODALITIES.map(async (modality): Promise<[Modality, Backend]> => {
      const name = project.use[modality];
      const config = project.providers[name];
      if (!config) throw new Error(`use.${modality} names unknown provider ${name}; validation should have caught it`);
      let provider = providers.get(name);
      if (!provider) {
        provider = instantiate(config, project);
        providers.set(name, provider);
      }
      const remote = config.type !== "offline";
      const apiKey = project.secrets.apiKey(name);
      return [
        modality,
        {
          modality,
          name,
          provider: await provider,
          identity: remote
            ? { type: config.type, base_url: config.base_url ?? null, model: modelFor(config, modality) ?? null }
            : { type: config.type },
          pool: `${name}:${modality}`,
          remote,
          secrets: apiKey ? { api_key: apiKey } : {},
        },
      ];
    }),
  );
  return Object.fromEntries(entries) as Backends;
}

/** Pool sizes: one per provider and modality, as configured. */
export function backendPools(project: Project): Record<string, number> {
  const pools: Record<string, number> = {};
  for (const [name, config] of Object.entries(project.providers)) {
    for (const modality of MODALITIES) pools[`${name}:${modality}`] = config.concurrency[modality];
  }
  return pools;
}
