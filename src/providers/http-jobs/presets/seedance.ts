/**
 * Seedance on Volcengine Ark (BytePlus ModelArk outside China: base_url
 * https://ark.ap-southeast.bytepluses.com/api/v3). Reference: "Create a video
 * generation task" POST /contents/generations/tasks {model, content: [text,
 * image_url + role first_frame/last_frame], ratio, duration, generate_audio};
 * GET /contents/generations/tasks/{id} answers status queued | running |
 * succeeded | failed | expired | cancelled and content.video_url; errors are
 * {error: {code, message}}. Image inputs take a base64 data URL. Seedance
 * 2.0 also takes up to three {type: audio_url, audio_url: {url}, role:
 * reference_audio} parts (public URLs): native dialogue sends the speakers'
 * voice samples there (through `uploads:`), with generate_audio: true.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const seedance: Preset = {
  type: "seedance",
  baseUrl: PRESET_BASE_URLS.seedance,
  defaultModel: "doubao-seedance-2-0-260128",
  models: ["doubao-seedance-2-0-260128", "doubao-seedance-1-0-pro-250528"],
  needs: "api_key (ARK_API_KEY)",
  docs: "https://www.volcengine.com/docs/82379/1520757",
  api: {
    create: {
      path: "/contents/generations/tasks",
      body: {
        model: "{model}",
        content: [
          { type: "text", text: "{prompt}" },
          { $if: "image", type: "image_url", image_url: { url: "{image}" }, role: "first_frame" },
          { $if: "last_image", type: "image_url", image_url: { url: "{last_image}" }, role: "last_frame" },
          // Seedance 2.0 takes up to three reference audio clips (URLs): the speakers' voice samples.
          { $if: "voice_a", type: "audio_url", audio_url: { url: "{voice_a}" }, role: "reference_audio" },
          { $if: "voice_b", type: "audio_url", audio_url: { url: "{voice_b}" }, role: "reference_audio" },
          { $if: "voice_c", type: "audio_url", audio_url: { url: "{voice_c}" }, role: "reference_audio" },
        ],
        ratio: "{aspect}",
        duration: "{seconds}",
        generate_audio: "{native_audio}",
        watermark: false,
      },
    },
    id: "id",
    poll: "/contents/generations/tasks/{id}",
    status: "status",
    done: ["succeeded"],
    failed: ["failed", "expired", "cancelled"],
    result: "content.video_url",
    error: "error.message",
    image: "data-url",
  },
};
