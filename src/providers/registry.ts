/**
 * The provider registry (issue 26): provider type -> how to make one and what
 * of its configuration decides its output. The graph asks it for providers and
 * for the identity it hashes into keys; an op run on another machine asks it
 * again from the same (secret-free) configuration. Nothing here knows a vendor.
 *
 * A new type is one line at the bottom of this file, `registerProvider(type,
 * definition)`, with the definition exported by the type's own module:
 *
 *   export const klingProvider: ProviderType = {
 *     remote: true,
 *     create: async (config, secrets, env) => ok(createKling(config, secrets, env)),
 *     identity: (config, modality, model) => ({ type: config.type, base_url: ..., model: model ?? null }),
 *   };
 *
 * - `create(config, secrets, env)`: a Provider, or a message for a bad setting
 *   read from `env` (timing knobs and the like; never anything that changes
 *   what is made). `secrets` are the keys the executor holds; they never reach
 *   a key, a params object, a job payload or a record. Called once per
 *   provider name per process; load heavy SDKs inside it, not at import.
 * - `identity(config, modality, model)`: plain JSON hashed into the key of
 *   every step the provider serves for `modality` (`model` is the one the step
 *   uses: `models[modality]`, or `models.polish`). Everything that changes the
 *   output goes in (type, URL, model, job dialect, a local renderer's version);
 *   an API key, prices, timeouts never do. Keys already in lockfiles depend on
 *   it: change an existing type's identity only with intent.
 */
import type { Json } from "../engine/step.js";
import type { ResolvedProvider } from "../project/project.js";
import { err, type Result } from "../result.js";
import type { Modality, Provider } from "./types.js";
import { offlineProvider } from "./offline/register.js";
import { openAIProvider } from "./openai/register.js";
import { videoPresetProvider } from "./http-jobs/register.js";
import { VIDEO_PRESET_TYPES } from "../project/schema.js";

/** A provider's configuration as the project resolved it: plain JSON, no secret in it. */
export type ProviderConfig = ResolvedProvider;

/** Keys handed over by the executor: the provider's own, and a modality's own where it differs. */
export interface ProviderSecrets {
  readonly apiKey?: string;
  readonly endpointKeys?: Readonly<Partial<Record<Modality, string>>>;
  /** A preset's other credentials: Kling's access and secret keys, an upload store's token. */
  readonly credentials?: Readonly<Partial<Record<CredentialField, string>>>;
}

export const CREDENTIAL_FIELDS = ["access_key", "secret_key", "upload_token"] as const;
export type CredentialField = (typeof CREDENTIAL_FIELDS)[number];

export interface ProviderType {
  /** Paid, remote work (a stop lets it finish; plan prices it); false for local renderers. */
  readonly remote: boolean;
  create(config: ProviderConfig, secrets: ProviderSecrets, env: NodeJS.ProcessEnv): Promise<Result<Provider, string>>;
  identity(config: ProviderConfig, modality: Modality, model: string | undefined): Json;
}

const types = new Map<string, ProviderType>();

export function registerProvider(type: string, definition: ProviderType): void {
  if (types.has(type)) throw new Error(`provider type ${type} is registered twice`);
  types.set(type, definition);
}

export function providerType(type: string): ProviderType | undefined {
  return types.get(type);
}

/** Every registered type, sorted (for messages and `dramake providers`). */
export function providerTypes(): string[] {
  return [...types.keys()].sort();
}

export async function createProvider(config: ProviderConfig, secrets: ProviderSecrets, env: NodeJS.ProcessEnv): Promise<Result<Provider, string>> {
  const type = types.get(config.type);
  if (!type) return err(`provider ${config.name} has type ${config.type}, which this dramake does not know (known: ${providerTypes().join(", ")})`);
  return type.create(config, secrets, env);
}

export function providerIdentity(config: ProviderConfig, modality: Modality, model: string | undefined): Json {
  const type = types.get(config.type);
  if (!type) throw new Error(`provider type ${config.type} is not registered`);
  return type.identity(config, modality, model);
}

// What the graph asks of provider code besides a provider: the dialogue services (issue 29) and a video
// preset's reference audio. Through this one door, so graph/ depends on the registry alone (test/import-graph).
export { jobsLipsyncFor, presetTakesVoiceSamples } from "./http-jobs/from-project.js";
export { transcriberFor, type Transcript } from "./openai/transcribe.js";
export { openAITuning } from "./openai/register.js";
export type { OpenAITuning } from "./openai/config.js";

// The built-in types: one line each. (Their modules import this one for types only, so there is no cycle.)
registerProvider("offline", offlineProvider);
registerProvider("openai", openAIProvider);
for (const preset of VIDEO_PRESET_TYPES) registerProvider(preset, videoPresetProvider);
