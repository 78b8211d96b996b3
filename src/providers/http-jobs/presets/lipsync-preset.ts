/**
 * A lip-sync preset (issue 29) is data for the same job runner as the video
 * presets: the vendor's base URL, its job mapping (the shape a user writes
 * under `lipsync_api:`, with {video}, {audio}, {video_id} and {model}), and
 * whether it can take a clip by the id its own video API gave it.
 */
import type { JobApiInput } from "../../../project/job-api.js";
import type { LipsyncPresetType } from "../../../project/schema.js";
import { klingLipsync } from "./kling-lipsync.js";
import { sync } from "./sync.js";

export interface LipsyncPreset {
  readonly type: string;
  readonly baseUrl: string;
  readonly api: JobApiInput;
  /** The model sent as {model} when `models.lipsync` is left out (Kling's lip sync has none: a name for prices and keys). */
  readonly defaultModel: string;
  /** Takes the clip by the video id its own video API returned (`{video_id}`), instead of by URL. */
  readonly byVideoId?: boolean;
  /** Clip lengths the vendor takes, in seconds (Kling: 2 to 10): refused before paying, not by a 400. */
  readonly clipSeconds?: { readonly min: number; readonly max: number };
  readonly needs: string;
  readonly docs: string;
}

export const LIPSYNC_PRESETS: Readonly<Record<LipsyncPresetType, LipsyncPreset>> = { kling: klingLipsync, sync };
