/**
 * MiniMax Hailuo. Reference: POST /v1/video_generation {model, prompt,
 * first_frame_image (URL or data URL), duration, resolution} answers
 * {task_id, base_resp: {status_code, status_msg}}; GET
 * /v1/query/video_generation?task_id= answers status Preparing | Queueing |
 * Processing | Success | Fail and file_id; GET /v1/files/retrieve?file_id=
 * answers file.download_url. Every answer is HTTP 200; base_resp.status_code
 * other than 0 is the error.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const minimax: Preset = {
  type: "minimax",
  baseUrl: PRESET_BASE_URLS.minimax,
  defaultModel: "MiniMax-Hailuo-02",
  models: ["MiniMax-Hailuo-02"],
  needs: "api_key (MINIMAX_API_KEY)",
  docs: "https://platform.minimax.io/docs/api-reference/video-generation-i2v",
  api: {
    create: { path: "/v1/video_generation", body: { model: "{model}", prompt: "{prompt}", first_frame_image: "{image}", last_frame_image: "{last_image}", duration: "{seconds}", resolution: "768P" } },
    id: "task_id",
    poll: "/v1/query/video_generation?task_id={id}",
    status: "status",
    done: ["Success"],
    failed: ["Fail"],
    result: "file_id",
    resolve: { path: "/v1/files/retrieve?file_id={value}" },
    resolve_result: "file.download_url",
    check: { path: "base_resp.status_code", ok: [0], message: "base_resp.status_msg" },
    image: "data-url",
  },
};
