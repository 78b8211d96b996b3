/**
 * The video presets (seedance, kling, veo, …) as the provider registry knows
 * them: a project's `providers.<name>` of a preset type becomes a Provider
 * whose clips run through the job runner, and its identity (type, base URL,
 * model; a user's own mapping too) is what clip keys hash. Secrets come from
 * the executor: `apiKey`, and the preset's other credentials (Kling's access
 * and secret keys, an upload store's token) under `credentials`.
 */
import { ok } from "../../result.js";
import type { ProviderConfig, ProviderType } from "../registry.js";
import type { Modality } from "../types.js";
import { openAITuning } from "../openai/register.js";
import { asProvider, isVideoPreset, jobsConfig } from "./from-project.js";
import { createJobsVideo, jobsIdentity } from "./video.js";
import type { Json } from "../../engine/step.js";
import { PRESETS } from "./presets/index.js";

function presetOf(config: ProviderConfig) {
  if (!isVideoPreset(config.type)) throw new Error(`provider type ${config.type} is not a video preset`);
  return config.type;
}

export const videoPresetProvider: ProviderType = {
  remote: true,
  async create(config, secrets, env) {
    const tuning = openAITuning(env);
    if (!tuning.ok) return tuning;
    const c = secrets.credentials ?? {};
    const jobs = createJobsVideo(
      presetOf(config),
      jobsConfig(config),
      {
        ...(secrets.apiKey !== undefined ? { apiKey: secrets.apiKey } : {}),
        ...(c.access_key !== undefined ? { accessKey: c.access_key } : {}),
        ...(c.secret_key !== undefined ? { secretKey: c.secret_key } : {}),
        ...(c.upload_token !== undefined ? { uploadToken: c.upload_token } : {}),
      },
      tuning.value,
    );
    return ok(asProvider(jobs, config.type, config.name));
  },
  identity(config, modality: Modality, model) {
    // Only video is served; any other modality fails before paying (asProvider), so its identity only names the type.
    if (modality !== "video") return { type: config.type, base_url: config.base_url ?? null, model: model ?? null };
    return jobsIdentity(PRESETS[presetOf(config)], { ...(config.base_url !== undefined ? { base_url: config.base_url } : {}), ...(model !== undefined ? { model } : {}) }) as Json;
  },
};
