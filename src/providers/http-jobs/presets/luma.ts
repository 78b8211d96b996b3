/**
 * Luma Dream Machine API. Reference: POST /generations {model, prompt,
 * keyframes: {frame0: {type: image, url}}, aspect_ratio, duration "5s" | "9s"}
 * answers {id, state}; GET /generations/{id} answers state queued | dreaming
 * | completed | failed, assets.video, failure_reason. Keyframes must be
 * https URLs: the provider needs an `uploads:` store.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const luma: Preset = {
  type: "luma",
  baseUrl: PRESET_BASE_URLS.luma,
  defaultModel: "ray-2",
  models: ["ray-2"],
  needs: "api_key (LUMAAI_API_KEY) and uploads: (keyframes must be URLs)",
  docs: "https://docs.lumalabs.ai/reference/creategeneration",
  api: {
    create: {
      path: "/generations",
      body: { model: "{model}", prompt: "{prompt}", keyframes: { frame0: { $if: "image", type: "image", url: "{image}" }, frame1: { $if: "last_image", type: "image", url: "{last_image}" } }, aspect_ratio: "{aspect}", duration: "{seconds}s" },
    },
    id: "id",
    poll: "/generations/{id}",
    status: "state",
    done: ["completed"],
    failed: ["failed"],
    result: "assets.video",
    error: "failure_reason",
    image: "url",
  },
};
