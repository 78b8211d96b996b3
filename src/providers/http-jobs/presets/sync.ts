/**
 * sync.so lip sync (API v2). Reference (sync.so/docs/api-reference): POST
 * https://api.sync.so/v2/generate with `x-api-key`, {model: lipsync-2 |
 * lipsync-2-pro | ..., input: [{type: video, url}, {type: audio, url}],
 * options: {sync_mode}} answers the generation {id, status, ...}; GET
 * /v2/generate/{id} answers status PENDING | PROCESSING | COMPLETED | FAILED
 * | REJECTED | CANCELED | TIMED_OUT with outputUrl once COMPLETED and
 * `error` when it failed. Inputs are public URLs (or the vendor's own
 * upload endpoint, which we do not use): ours come through `uploads:`.
 * `sync_mode: cut_off` ends the output with the shorter input; the clip is
 * checked to be at least as long as the dialogue before the job is bought,
 * so the dialogue is never cut.
 */
import type { LipsyncPreset } from "./lipsync-preset.js";

export const sync: LipsyncPreset = {
  type: "sync",
  baseUrl: "https://api.sync.so",
  defaultModel: "lipsync-2",
  needs: "api_key (SYNC_API_KEY) and uploads: (inputs go as URLs)",
  docs: "https://sync.so/docs/api-reference",
  api: {
    auth: { header: "x-api-key", format: "{key}" },
    create: {
      path: "/v2/generate",
      body: {
        model: "{model}",
        input: [
          { type: "video", url: "{video}" },
          { type: "audio", url: "{audio}" },
        ],
        options: { sync_mode: "cut_off" },
      },
    },
    id: "id",
    poll: "/v2/generate/{id}",
    status: "status",
    done: ["COMPLETED"],
    failed: ["FAILED", "REJECTED", "CANCELED", "TIMED_OUT"],
    result: ["outputUrl", "outputMediaUrl"],
    error: ["error", "message"],
    audio: "url",
  },
};
