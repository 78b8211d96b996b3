/**
 * Kling (global API, api-singapore.klingai.com). Reference: auth is a JWT
 * (HS256, header {alg, typ: JWT}, payload {iss: access key, exp, nbf}) signed
 * with the secret key, as `Authorization: Bearer <token>`; POST
 * /v1/videos/image2video {model_name, image (URL or raw base64, no data:
 * prefix), image_tail, prompt, duration "5" | "10", sound on/off (v2.6),
 * external_task_id}; GET /v1/videos/image2video/{task_id or external_task_id}
 * answers {code, message, data: {task_id, task_status submitted | processing
 * | succeed | failed, task_status_msg, task_result.videos[0].url}}; `code` 0
 * is success, anything else an error with `message`.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const kling: Preset = {
  type: "kling",
  baseUrl: PRESET_BASE_URLS.kling,
  defaultModel: "kling-v2-6",
  models: ["kling-v2-6", "kling-v2-1"],
  needs: "access_key + secret_key (a JWT is signed from them), or api_key",
  docs: "https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo",
  // Kling 2.6's sound guide tags each spoken line with its speaker in brackets.
  dialogueForm: "bracket",
  api: {
    auth: { jwt: { ttl_seconds: 1800 } },
    create: {
      path: "/v1/videos/image2video",
      body: {
        model_name: "{model}",
        image: "{image}",
        image_tail: "{last_image}",
        prompt: "{prompt}",
        duration: "{seconds:text}",
        mode: "pro",
        sound: "{native_audio}",
        external_task_id: "{client_id}",
      },
    },
    id: "data.task_id",
    poll: "/v1/videos/image2video/{id}",
    status: "data.task_status",
    done: ["succeed"],
    failed: ["failed"],
    result: "data.task_result.videos.0.url",
    result_id: "data.task_result.videos.0.id",
    error: "data.task_status_msg",
    check: { path: "code", ok: [0], message: "message" },
    image: "base64",
    values: { native_audio: { true: "on", false: "off" } },
    client_id: { body: "external_task_id" },
    lookup: "/v1/videos/image2video/{client_id}",
  },
};
