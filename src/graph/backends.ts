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
import { CREDENTIAL_FIELDS, createProvider, jobsLipsyncFor, providerIdentity, providerType, transcriberFor, type CredentialField, type ProviderSecrets } from "../providers/registry.js";
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
  /** Lip sync and transcription (issue 29), where `use:` names a provider for them (absent: offline). */
  readonly lipsync?: ServiceBackend;
  readonly transcribe?: ServiceBackend;
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
  return ok({ ...backends, ...(polish ? { polish } : {}), ...resolveServices(project) });
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

/** Pool sizes: one per provider and modality, as configured (lip sync and transcription too, issue 29). */
export function backendPools(project: Project): Record<string, number> {
  const pools: Record<string, number> = {};
  for (const [name, config] of Object.entries(project.providers)) {
    for (const modality of MODALITIES) pools[`${name}:${modality}`] = config.concurrency[modality];
    for (const modality of SERVICE_MODALITIES) pools[`${name}:${modality}`] = config.concurrency[modality] ?? 2;
  }
  return pools;
}

/** The dialogue services (issue 29): not Provider methods, each its own binding (jobsLipsyncFor, transcriberFor). */
export const SERVICE_MODALITIES = ["lipsync", "transcribe"] as const;
export type ServiceModality = (typeof SERVICE_MODALITIES)[number];

/**
 * The provider serving lip sync or transcription: like ModalityProvider, with
 * the price per second of clip it charges. Absent from a graph's backends when
 * `use:` leaves the modality offline (those shots are voiced like voice-over).
 */
export interface ServiceBackend {
  readonly modality: ServiceModality;
  readonly name: string;
  readonly config: ResolvedProvider;
  /** Hashed into keys: type, base URL, model (a user's mapping too). Never a key. */
  readonly identity: Json;
  readonly pool: string;
  readonly secrets: Readonly<Record<string, string>>;
  /** USD for a clip of `seconds`, before running. */
  estimate(seconds: number): number;
  unpriced(seconds: number): string | undefined;
}

export interface ServiceBackends {
  readonly lipsync?: ServiceBackend;
  readonly transcribe?: ServiceBackend;
}

/** use.lipsync and use.transcribe, bound once per graph; none where they are offline (or everything is, `--offline`). */
export function resolveServices(project: Project): ServiceBackends {
  const bind = (modality: ServiceModality): ServiceBackend | undefined => {
    const name = project.use[modality];
    const config = project.providers[name];
    if (!config || config.type === "offline") return undefined;
    const apiKey = project.secrets.apiKey(name, modality);
    const common = { modality, name, config, pool: `${name}:${modality}`, secrets: { ...(apiKey ? { api_key: apiKey } : {}), ...credentialsOf(project, name) } };
    if (modality === "lipsync") {
      const lips = jobsLipsyncFor(config, project.secrets);
      return { ...common, identity: lips.identity as Json, estimate: (seconds) => lips.estimate({ seconds }), unpriced: (seconds) => lips.unpriced({ seconds }) };
    }
    const t = transcriberFor(config, project.secrets);
    return { ...common, identity: t.identity as unknown as Json, estimate: (seconds) => t.estimate(seconds), unpriced: () => undefined };
  };
  const lipsync = bind("lipsync");
  const transcribe = bind("transcribe");
  return { ...(lipsync ? { lipsync } : {}), ...(transcribe ? { transcribe } : {}) };
}

/** What every step a dialogue service makes shares: its pool, its price for a clip of `seconds`, paid remote work, its key. */
export function servedByService(backend: ServiceBackend, seconds: number): Pick<StepSpec, "pool" | "estimate" | "unpriced" | "remote" | "secrets"> {
  const unpriced = backend.unpriced(seconds);
  return { pool: backend.pool, estimate: backend.estimate(seconds), ...(unpriced !== undefined ? { unpriced } : {}), remote: true, secrets: backend.secrets };
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
