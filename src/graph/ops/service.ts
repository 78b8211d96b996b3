/**
 * How the lip-sync and transcribe ops bind their service in any process: the
 * provider's configuration from args (secret-free, unhashed: its identity is
 * already the params' `backend`), its keys from the executor (`io.secrets`),
 * timing knobs from the environment, like every provider.
 */
import type { Json, StepContext } from "../../engine/step.js";
import { ProjectSecrets, type ResolvedProvider } from "../../project/project.js";
import { CREDENTIAL_FIELDS } from "../../providers/registry.js";
import { openAITuning, type OpenAITuning } from "../../providers/registry.js";
import type { ServiceModality } from "../backends.js";

export interface ServiceArgs {
  readonly provider: ResolvedProvider;
}

export function serviceArgs(config: ResolvedProvider): Json {
  return JSON.parse(JSON.stringify({ provider: config })) as Json;
}

/** The provider's configuration and the executor's keys for it, as the bindings read them. */
export function serviceOf(args: Json | undefined, io: StepContext, modality: ServiceModality): { config: ResolvedProvider; secrets: ProjectSecrets; tuning: OpenAITuning } {
  const config = (args as unknown as ServiceArgs | undefined)?.provider;
  if (!config) throw new Error("this op needs args.provider (a provider configuration)");
  const keys = new Map<string, string>();
  const apiKey = io.secrets["api_key"];
  if (apiKey !== undefined) {
    keys.set(config.name, apiKey);
    keys.set(`${config.name}:${modality}`, apiKey);
  }
  for (const field of CREDENTIAL_FIELDS) if (io.secrets[field] !== undefined) keys.set(`${config.name}#${field}`, io.secrets[field]);
  const tuning = openAITuning(process.env);
  if (!tuning.ok) throw new Error(tuning.error);
  return { config, secrets: new ProjectSecrets(keys), tuning: tuning.value };
}
