/**
 * Runway API. Reference: POST /v1/image_to_video with `X-Runway-Version:
 * 2024-11-06`, {model, promptImage (URL or data URI), promptText, ratio
 * "720:1280", duration 5 | 10} answers {id}; GET /v1/tasks/{id} answers
 * status PENDING | THROTTLED | RUNNING | SUCCEEDED | FAILED, output[0] and
 * `failure` when failed.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const runway: Preset = {
  type: "runway",
  baseUrl: PRESET_BASE_URLS.runway,
  defaultModel: "gen4_turbo",
  models: ["gen4_turbo"],
  needs: "api_key (RUNWAYML_API_SECRET)",
  docs: "https://docs.dev.runwayml.com/api/",
  api: {
    headers: { "X-Runway-Version": "2024-11-06" },
    create: { path: "/v1/image_to_video", body: { model: "{model}", promptImage: "{image}", promptText: "{prompt}", ratio: "{size}", duration: "{seconds}" } },
    id: "id",
    poll: "/v1/tasks/{id}",
    status: "status",
    done: ["SUCCEEDED"],
    failed: ["FAILED", "CANCELLED"],
    result: "output.0",
    error: "failure",
    image: "data-url",
    // Runway names ratios by pixels with a colon.
    values: { size: { "720x1280": "720:1280", "1280x720": "1280:720", "960x960": "960:960" } },
  },
};
