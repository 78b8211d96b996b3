/**
 * Kling lip sync (global API). Reference (Kling API, "Lip-Sync"): POST
 * /v1/videos/lip-sync {input: {video_id (a Kling-made video of the last 30
 * days) | video_url (.mp4/.mov, 2-10 s), mode: audio2video, audio_type:
 * file | url, audio_file (raw base64, .mp3/.wav/.m4a/.aac up to 5 MB) |
 * audio_url}} with the same JWT as image2video; GET
 * /v1/videos/lip-sync/{task_id} answers {code, data: {task_id, task_status
 * submitted | processing | succeed | failed, task_status_msg,
 * task_result.videos[0].url}}. The voice goes inline as base64, so a clip
 * Kling made itself (by video_id) needs no upload store at all.
 */
import type { LipsyncPreset } from "./lipsync-preset.js";

export const klingLipsync: LipsyncPreset = {
  type: "kling",
  baseUrl: "https://api-singapore.klingai.com",
  defaultModel: "kling-lip-sync",
  needs: "access_key + secret_key (as for its video); uploads: when the clip was not made by Kling",
  docs: "https://app.klingai.com/global/dev/document-api/apiReference/model/videoTolip",
  byVideoId: true,
  clipSeconds: { min: 2, max: 10 },
  api: {
    auth: { jwt: { ttl_seconds: 1800 } },
    create: {
      path: "/v1/videos/lip-sync",
      body: {
        input: {
          video_id: "{video_id}",
          video_url: "{video}",
          mode: "audio2video",
          audio_type: "file",
          audio_file: "{audio}",
        },
      },
    },
    id: "data.task_id",
    poll: "/v1/videos/lip-sync/{id}",
    status: "data.task_status",
    done: ["succeed"],
    failed: ["failed"],
    result: "data.task_result.videos.0.url",
    error: "data.task_status_msg",
    check: { path: "code", ok: [0], message: "message" },
    audio: "base64",
  },
};
