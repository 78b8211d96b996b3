/**
 * Veo through the Gemini API. Reference: POST
 * /models/{model}:predictLongRunning with `x-goog-api-key`, {instances:
 * [{prompt, image: {bytesBase64Encoded, mimeType}, lastFrame}], parameters:
 * {aspectRatio 16:9 | 9:16, durationSeconds 4 | 6 | 8, resolution}} answers an
 * operation {name}; GET /{name} until `done`, with `error` {code, message} if
 * it failed, else response.generateVideoResponse.generatedSamples[0].video.uri,
 * a files URL on the API's own host that is downloaded WITH the key.
 */
import type { Preset } from "./preset.js";
import { PRESET_BASE_URLS } from "../../../project/vendor-origins.js";

export const veo: Preset = {
  type: "veo",
  baseUrl: PRESET_BASE_URLS.veo,
  defaultModel: "veo-3.1-fast-generate-preview",
  models: ["veo-3.1-fast-generate-preview", "veo-3.1-generate-preview"],
  needs: "api_key (GEMINI_API_KEY)",
  docs: "https://ai.google.dev/gemini-api/docs/video",
  api: {
    auth: { header: "x-goog-api-key", format: "{key}" },
    create: {
      path: "/models/{model}:predictLongRunning",
      body: {
        instances: [
          {
            prompt: "{prompt}",
            image: { $if: "image", bytesBase64Encoded: "{image}", mimeType: "{image_mime}" },
            lastFrame: { $if: "last_image", bytesBase64Encoded: "{last_image}", mimeType: "{image_mime}" },
          },
        ],
        parameters: { aspectRatio: "{aspect}", durationSeconds: "{seconds}", resolution: "720p" },
      },
    },
    id: "name",
    poll: "/{id:raw}",
    done_when: "done",
    failed_when: "error",
    error: "error.message",
    result: ["response.generateVideoResponse.generatedSamples.0.video.uri", "response.generatedVideos.0.video.uri"],
    image: "base64",
    download_auth: true,
  },
};
