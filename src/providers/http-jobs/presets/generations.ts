/**
 * The relays' `generations` dialect as job mappings: video at
 * `POST /videos/generations` (or the provider's `video_path`) and music at
 * `POST /audio/generations`. Relays disagree on small things (an `id` or a
 * `task_id`, the URL at `data.url` or `video_url`), so each place is a list
 * of the spellings seen; a custom mapping names exactly one.
 */
import type { JobApi } from "../../../project/job-api.js";

export const DEFAULT_VIDEO_PATH = "/videos/generations";
export const MUSIC_PATH = "/audio/generations";

/** Fresh arrays each time: a JobApi is plain mutable data. */
const common = () => ({
  id: ["id", "task_id", "data.id", "data.task_id"],
  status: ["status", "data.status", "task_status", "data.task_status"],
  done: ["completed", "succeeded", "success", "succeed", "finished", "done"],
  failed: ["failed", "failure", "error", "cancelled", "canceled", "expired"],
  error: ["error.message", "error", "fail_reason", "data.error", "data.fail_reason", "message"],
  progress: ["progress", "data.progress"],
});

export function generationsVideo(path = DEFAULT_VIDEO_PATH, imageInput: "url" | "data-url" = "url"): JobApi {
  return {
    ...common(),
    create: {
      method: "POST",
      path,
      body: {
        model: "{model}",
        prompt: "{prompt}",
        [imageInput === "data-url" ? "image" : "image_url"]: "{image}",
        duration: "{seconds}",
        aspect_ratio: "{aspect}",
      },
    },
    poll: `${path}/{id}`,
    result: ["data.url", "video_url", "url", "data.video_url", "data.0.url"],
  };
}

export function generationsMusic(): JobApi {
  return {
    ...common(),
    create: { method: "POST", path: MUSIC_PATH, body: { model: "{model}", prompt: "{prompt}", duration: "{seconds}", format: "{format}" } },
    poll: `${MUSIC_PATH}/{id}`,
    result: ["data.url", "audio_url", "url", "data.audio_url", "data.0.url"],
  };
}
