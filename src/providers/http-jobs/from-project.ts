/**
 * The video presets from a loaded project, for the provider registry: one
 * call turns a resolved `providers.<name>` of a preset type, with its
 * secrets, into a JobsVideo, and `asProvider` makes it a Provider whose
 * `clip` runs it (a preset makes video only; any other modality fails as
 * `unsupported`, naming the provider).
 */
import type { ProjectSecrets, ResolvedProvider } from "../../project/project.js";
import { LIPSYNC_PRESET_TYPES, VIDEO_PRESET_TYPES, type LipsyncPresetType, type VideoPresetType } from "../../project/schema.js";
import { createJobsLipsync, type JobsLipsync } from "./lipsync.js";
import type { ClipRequest, Modality, Provider } from "../types.js";
import type { OpenAITuning } from "../openai/config.js";
import { OpenAIProviderError } from "../openai/errors.js";
import { PRESETS } from "./presets/index.js";
import { createJobsVideo, type JobsVideo, type JobsVideoConfig } from "./video.js";

export const isVideoPreset = (type: string): type is VideoPresetType => (VIDEO_PRESET_TYPES as readonly string[]).includes(type);

/** What the runner reads of a resolved `providers.<name>` of a preset type (no secret in it). */
export function jobsConfig(config: ResolvedProvider): JobsVideoConfig {
  return {
    name: config.name,
    ...(config.base_url !== undefined ? { base_url: config.base_url } : {}),
    ...(config.models.video !== undefined ? { model: config.models.video } : {}),
    prices: config.prices,
    ...(config.capabilities !== undefined ? { capabilities: config.capabilities } : {}),
    ...(config.uploads !== undefined ? { uploads: config.uploads } : {}),
    timeout_seconds: config.timeout_seconds,
    max_attempts: config.max_attempts,
  };
}

/** `config.type` must be a video preset (see isVideoPreset); anything else is a programming error. */
export function jobsVideoFor(config: ResolvedProvider, secrets: ProjectSecrets, tuning: OpenAITuning = {}): JobsVideo {
  const type = config.type;
  if (!isVideoPreset(type)) throw new Error(`jobsVideoFor: ${type} is not a video preset`);
  const apiKey = secrets.apiKey(config.name, "video");
  const accessKey = secrets.credential(config.name, "access_key");
  const secretKey = secrets.credential(config.name, "secret_key");
  const uploadToken = secrets.credential(config.name, "upload_token");
  return createJobsVideo(
    type,
    jobsConfig(config),
    { ...(apiKey ? { apiKey } : {}), ...(accessKey ? { accessKey } : {}), ...(secretKey ? { secretKey } : {}), ...(uploadToken ? { uploadToken } : {}) },
    tuning,
  );
}

export function asProvider(jobs: JobsVideo, type: string, name: string): Provider {
  const only = (modality: string) => () =>
    Promise.reject(new OpenAIProviderError({ kind: "unsupported", endpoint: modality, subject: `providers.${name}`, message: `a ${type} provider makes video only; use another provider for ${modality}` }));
  return {
    type,
    lines: only("text"),
    portrait: only("image"),
    keyframe: only("image"),
    speech: only("speech"),
    music: only("music"),
    clip: (req, ctx) => jobs.video(req, ctx),
    clipLengths: () => jobs.lengths(),
    estimate: (modality: Modality, req: unknown) => (modality === "video" ? jobs.estimate(req as ClipRequest) : 0),
    unpriced: (modality: Modality, req: unknown) => (modality === "video" ? jobs.unpriced(req as ClipRequest) : undefined),
  };
}

export const isLipsyncPreset = (type: string): type is LipsyncPresetType => (LIPSYNC_PRESET_TYPES as readonly string[]).includes(type);

/**
 * The lip-sync provider `use.lipsync` names (issue 29): a `kling` or `sync`
 * preset, or an openai-type provider's `lipsync_api:` mapping; with its
 * secrets (key, Kling's access/secret keys, the upload token). Validation
 * has refused anything else; reaching here with it is a programming error.
 */
export function jobsLipsyncFor(config: ResolvedProvider, secrets: ProjectSecrets, tuning: OpenAITuning = {}): JobsLipsync {
  const apiKey = secrets.apiKey(config.name);
  const accessKey = secrets.credential(config.name, "access_key");
  const secretKey = secrets.credential(config.name, "secret_key");
  const uploadToken = secrets.credential(config.name, "upload_token");
  const preset = isLipsyncPreset(config.type)
    ? config.type
    : config.lipsync_api
      ? { type: config.type, baseUrl: config.base_url ?? "", api: config.lipsync_api, defaultModel: config.models.lipsync ?? "lipsync", needs: "", docs: "" }
      : undefined;
  if (preset === undefined) throw new Error(`jobsLipsyncFor: providers.${config.name} (type ${config.type}) does no lip sync`);
  return createJobsLipsync(
    preset,
    {
      name: config.name,
      ...(config.base_url !== undefined ? { base_url: config.base_url } : {}),
      ...(config.models.lipsync !== undefined ? { model: config.models.lipsync } : {}),
      prices: config.prices,
      ...(config.uploads !== undefined ? { uploads: config.uploads } : {}),
      timeout_seconds: config.timeout_seconds,
      max_attempts: config.max_attempts,
    },
    { ...(apiKey ? { apiKey } : {}), ...(accessKey ? { accessKey } : {}), ...(secretKey ? { secretKey } : {}), ...(uploadToken ? { uploadToken } : {}) },
    tuning,
  );
}

/** True when a video preset's create request takes the speakers' voice samples as reference audio (Seedance 2's {voice_a}..{voice_c}). */
export function presetTakesVoiceSamples(type: string): boolean {
  if (!isVideoPreset(type)) return false;
  return JSON.stringify(PRESETS[type].api.create.body).includes("{voice_a}");
}
