/**
 * Each video preset's documented API base: the default `base_url` of a
 * provider of that type, and (as an origin) one a key from the environment
 * may go to without `dramake trust`. Data only, here in project/ because the
 * project's key-origin check needs it and project/ imports nothing above it;
 * the presets (providers/http-jobs/presets/) read their base from this table.
 */
import type { VideoPresetType } from "./schema.js";

export const PRESET_BASE_URLS: Readonly<Record<VideoPresetType, string>> = {
  seedance: "https://ark.cn-beijing.volces.com/api/v3",
  kling: "https://api-singapore.klingai.com",
  veo: "https://generativelanguage.googleapis.com/v1beta",
  minimax: "https://api.minimax.io",
  wan: "https://dashscope.aliyuncs.com/api/v1",
  runway: "https://api.dev.runwayml.com",
  luma: "https://api.lumalabs.ai/dream-machine/v1",
  fal: "https://queue.fal.run",
  replicate: "https://api.replicate.com/v1",
};
