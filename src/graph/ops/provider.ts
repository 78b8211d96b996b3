/**
 * How a paid op gets its provider: from the provider registry, by the
 * configuration in its args (secret-free; unhashed, since what of it changes
 * an output is already in the key as the params' `backend` identity), with
 * the key its executor hands it (`io.secrets.api_key`, never from the job).
 * One provider per configuration and key in a process, so what a provider
 * learns about a server (no image edits, say) and its one-time notices hold
 * for the whole build, as when the graph held the provider.
 */
import type { Json, StepContext } from "../../engine/step.js";
import { canonicalJson } from "../../engine/canonical.js";
import { CREDENTIAL_FIELDS, createProvider, type CredentialField, type ProviderConfig } from "../../providers/registry.js";
import type { Provider } from "../../providers/types.js";

/** The args of every op that calls a provider. */
export interface ProviderArgs {
  readonly provider: ProviderConfig;
}

const made = new Map<string, Map<string, Promise<Provider>>>();

export function providerArgs(config: ProviderConfig): Json {
  return JSON.parse(JSON.stringify({ provider: config })) as Json;
}

export async function providerFor(args: Json | undefined, io: StepContext): Promise<Provider> {
  const config = (args as unknown as ProviderArgs | undefined)?.provider;
  if (!config) throw new Error("this op needs args.provider (a provider configuration)");
  const apiKey = io.secrets["api_key"];
  const id = canonicalJson(config as unknown as Json);
  let byKey = made.get(id);
  if (!byKey) made.set(id, (byKey = new Map()));
  const credentials: Partial<Record<CredentialField, string>> = {};
  for (const field of CREDENTIAL_FIELDS) if (io.secrets[field] !== undefined) credentials[field] = io.secrets[field];
  const slot = JSON.stringify([apiKey ?? "", credentials]);
  let provider = byKey.get(slot);
  if (!provider) {
    const secrets = { ...(apiKey !== undefined ? { apiKey } : {}), ...(Object.keys(credentials).length > 0 ? { credentials } : {}) };
    provider = createProvider(config, secrets, process.env).then((r) => {
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
    byKey.set(slot, provider);
  }
  return provider;
}
