/**
 * Replicate. Reference: POST /models/{owner}/{name}/predictions {input}
 * answers a prediction {id, status, urls: {get, cancel}}; GET urls.get until
 * status succeeded | failed | canceled; `output` is the file URL (or a list),
 * `error` the reason.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const replicate: Preset = {
  type: "replicate",
  baseUrl: PRESET_BASE_URLS.replicate,
  defaultModel: "kwaivgi/kling-v2.1",
  models: ["kwaivgi/kling-v2.1"],
  needs: "api_key (REPLICATE_API_TOKEN)",
  docs: "https://replicate.com/docs/reference/http#create-a-prediction-using-an-official-model",
  api: {
    create: { path: "/models/{model}/predictions", body: { input: { prompt: "{prompt}", start_image: "{image}", end_image: "{last_image}", duration: "{seconds}" } } },
    id: "id",
    poll_url: "urls.get",
    poll: "/predictions/{id}",
    status: "status",
    done: ["succeeded"],
    failed: ["failed", "canceled"],
    result: ["output", "output.0"],
    error: "error",
    image: "data-url",
  },
};
