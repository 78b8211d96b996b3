/**
 * Wan on DashScope (Alibaba Cloud Model Studio; dashscope-intl.aliyuncs.com
 * outside China). Reference: POST /services/aigc/video-generation/video-synthesis
 * with `X-DashScope-Async: enable`, {model, input: {prompt, img_url},
 * parameters: {resolution, duration, audio}} answers output.task_id; GET
 * /tasks/{id} answers output.task_status PENDING | RUNNING | SUCCEEDED |
 * FAILED and output.video_url; errors are {code, message}.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const wan: Preset = {
  type: "wan",
  baseUrl: PRESET_BASE_URLS.wan,
  defaultModel: "wan2.5-i2v-preview",
  models: ["wan2.5-i2v-preview"],
  needs: "api_key (DASHSCOPE_API_KEY)",
  docs: "https://www.alibabacloud.com/help/en/model-studio/image-to-video-api-reference",
  api: {
    headers: { "X-DashScope-Async": "enable" },
    create: {
      path: "/services/aigc/video-generation/video-synthesis",
      body: { model: "{model}", input: { prompt: "{prompt}", img_url: "{image}" }, parameters: { resolution: "720P", duration: "{seconds}", audio: "{native_audio}" } },
    },
    id: "output.task_id",
    poll: "/tasks/{id}",
    status: "output.task_status",
    done: ["SUCCEEDED"],
    failed: ["FAILED", "CANCELED", "UNKNOWN"],
    result: "output.video_url",
    error: "output.message",
    image: "data-url",
  },
};
