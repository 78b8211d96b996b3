/**
 * fal's queue. Reference (docs.fal.ai, "Asynchronous inference"): POST
 * https://queue.fal.run/{model id} with `Authorization: Key <key>` answers
 * {request_id, status_url, response_url, cancel_url}; GET status_url answers
 * status IN_QUEUE | IN_PROGRESS | COMPLETED; then GET response_url gives the
 * model's output ({video: {url}} for video models). The status URL uses the
 * app's id, not the full model path, so it is taken from the answer, never
 * built. A refused input is HTTP 422 {detail: [{loc, msg, type}]}.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const fal: Preset = {
  type: "fal",
  baseUrl: PRESET_BASE_URLS.fal,
  defaultModel: "fal-ai/kling-video/v2.5-turbo/pro/image-to-video",
  models: ["fal-ai/kling-video/v2.5-turbo/pro/image-to-video"],
  needs: "api_key (FAL_KEY)",
  docs: "https://docs.fal.ai/documentation/model-apis/inference/queue",
  api: {
    auth: { header: "Authorization", format: "Key {key}" },
    create: {
      path: "/{model}",
      body: { prompt: "{prompt}", image_url: "{image}", tail_image_url: "{last_image}", duration: "{seconds:text}" },
    },
    id: "request_id",
    poll_url: "status_url",
    status: "status",
    done: ["COMPLETED"],
    failed: [],
    failed_when: "error",
    error: "error",
    result: "video.url",
    resolve: { url: "response_url" },
    image: "data-url",
  },
};
