/**
 * Which provider makes each modality, resolved once per graph, through the
 * provider registry (providers/registry.ts), which knows every type. A backend's
 * `identity` (provider type, base URL, model) goes into every step key it
 * serves, so switching a model regenerates exactly its steps; the API key is
 * handed over as a secret and never hashed.
 */
import type { Json, StepSpec } from "../engine/step.js";
import type { Project, ResolvedProvider } from "../project/project.js";
import type { Modality, Provider } from "../providers/types.js";
import { CREDENTIAL_FIELDS, createProvider, providerIdentity, providerType, type CredentialField, type ProviderSecrets } from "../providers/registry.js";
import { ok, type Result } from "../result.js";

/** The provider serving one modality of a graph, with its identity, pool and secrets (named apart from the openai module's per-endpoint `Backend`). */
export interface ModalityProvider {
  readonly modality: Modality;
  readonly name: string;
  /** The provider's configuration (no secret in it): what an op makes its provider from, in any process. */
  readonly config: ResolvedProvider;
  readonly provider: Provider;
  /** Hashed into keys: what decides the output besides the request. */
  readonly identity: Json;
  readonly pool: string;
  readonly remote: boolean;
  readonly secrets: Readonly<Record<string, string>>;
}

export interface Backends extends Readonly<Record<Modality, ModalityProvider>> {
  /**
   * The second pass over drafted lines, when the text provider has a
   * `models.polish`. Same provider and pool as `text`, its own identity
   * (the polish model), so swapping it reruns only the polish steps.
   */
  readonly polish?: ModalityProvider;
}

const MODALITIES: readonly Modality[] = ["text", "image", "speech", "video", "music"];

/** The keys a provider's calls need: its own, and each modality's own where `endpoints` gives one. */
function secretsOf(project: Project, name: string): ProviderSecrets {
  const apiKey = project.secrets.apiKey(name);
  const endpointKeys: Partial<Record<Modality, string>> = {};
  for (const m of MODALITIES) {
    const key = project.secrets.apiKey(name, m);
    if (key !== undefined && key !== apiKey) endpointKeys[m] = key;
  }
  const credentials = credentialsOf(project, name);
  return {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(Object.keys(endpointKeys).length > 0 ? { endpointKeys } : {}),
    ...(Object.keys(credentials).length > 0 ? { credentials } : {}),
  };
}

/** A preset's credentials besides the API key (Kling's access/secret keys, an upload store's token), as the executor hands them to ops. */
function credentialsOf(project: Project, name: string): Partial<Record<CredentialField, string>> {
  const out: Partial<Record<CredentialField, string>> = {};
  for (const field of CREDENTIAL_FIELDS) {
    const value = project.secrets.credential(name, field);
    if (value !== undefined) out[field] = value;
  }
  return out;
}

export async function resolveBackends(project: Project, env: NodeJS.ProcessEnv = process.env): Promise<Result<Backends, string>> {
  const providers = new Map<string, Promise<Result<Provider, string>>>();
  const backend = async (modality: Modality, name: string, model: (config: ResolvedProvider) => string | undefined): Promise<Result<ModalityProvider, string>> => {
    const config = project.providers[name];
    if (!config) throw new Error(`use.${modality} names unknown provider ${name}; validation should have caught it`);
    let provider = providers.get(name);
    if (!provider) {
      provider = createProvider(config, secretsOf(project, name), env);
      providers.set(name, provider);
    }
    const made = await provider;
    if (!made.ok) return made;
    const apiKey = project.secrets.apiKey(name, modality);
    const served: ModalityProvider = {
      modality,
      name,
      config,
      provider: made.value,
      identity: providerIdentity(config, modality, model(config)),
      pool: `${name}:${modality}`,
      remote: providerType(config.type)?.remote ?? true,
      secrets: { ...(apiKey ? { api_key: apiKey } : {}), ...credentialsOf(project, name) },
    };
    return ok(served);
  };
  const entries: [Modality, ModalityProvider][] = [];
  for (const modality of MODALITIES) {
    const b = await backend(modality, project.use[modality], (c) => c.models[modality]);
    if (!b.ok) return b;
    entries.push([modality, b.value]);
  }
  const backends = Object.fromEntries(entries) as Record<Modality, ModalityProvider>;
  const textConfig = project.providers[project.use.text];
  let polish: ModalityProvider | undefined;
  if (textConfig?.models.polish && backends.text.provider.polish) {
    const b = await backend("text", project.use.text, (c) => c.models.polish);
    if (!b.ok) return b;
    polish = b.value;
  }
  return ok({ ...backends, ...(polish ? { polish } : {}) });
}

/**
 * The video model's allowed clip lengths, as its provider knows them (the
 * capability table, or the provider's `capabilities:`): what plan/shots.ts
 * cuts scenes by. Undefined when unknown (offline, an undeclared relay
 * model): a scene then stays one clip, and `plan` says why.
 */
export function clipLengths(backends: Backends): { readonly seconds: readonly number[] } | undefined {
  const seconds = backends.video.provider.clipLengths?.();
  return seconds && seconds.length > 0 ? { seconds } : undefined;
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
export function servedBy(backend: ModalityProvider, request: unknown): Pick<StepSpec, "pool" | "estimate" | "unpriced" | "remote" | "secrets"> {
  const unpriced = backend.provider.unpriced?.(backend.modality, request);
  return {
    pool: backend.pool,
    estimate: backend.provider.estimate(backend.modality, request),
    ...(unpriced !== undefined ? { unpriced } : {}),
    remote: backend.remote,
    secrets: backend.secrets,
  };
}
