/**
 * The one encoding setting every cut shares, so `final` can join cuts with
 * the concat demuxer and stream copy, and the flags that make ffmpeg's output
 * depend only on its input (no encoder version strings, dates or metadata).
 */

/** Output flags for reproducible bytes: no creation time, no encoder tag, no copied metadata. */
export const BITEXACT: readonly string[] = ["-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1"];

/** MP4 video timescale shared by all cuts (divisible by 12, 24, 25, 30, 60 fps). */
export const VIDEO_TIMESCALE = 90000;

export const AUDIO_RATE = 48000;

/**
 * H.264 as every cut and clip encodes it. x264 is deterministic for a fixed
 * thread count, so the count is pinned rather than taken from the machine's cores.
 * Keyframe interval of 2 s, no scene-cut keyframes, so each file starts with an IDR.
 */
export function videoEncodeArgs(fps: number): string[] {
  return [
    "-c:v", "libx264",
    "-preset", "veryfast",
    "-crf", "20",
    "-profile:v", "high",
    "-pix_fmt", "yuv420p",
    "-g", String(Math.max(1, Math.round(fps * 2))),
    "-keyint_min", String(Math.max(1, Math.round(fps * 2))),
    "-sc_threshold", "0",
    "-bf", "2",
    "-threads", "2",
    "-r", String(fps),
    "-video_track_timescale", String(VIDEO_TIMESCALE),
  ];
}

/**
 * AAC as the soundtrack and the cuts encode it. The episode's mix is stereo;
 * a cut's sound is its dialogue alone, one voice track, so it is mono: half
 * the encoder's work, and the same sound on any player.
 */
export function audioEncodeArgs(channels: 1 | 2 = 2): string[] {
  return ["-c:a", "aac", "-b:a", channels === 2 ? "128k" : "96k", "-ar", String(AUDIO_RATE), "-ac", String(channels)];
}

/**
 * Why a frame format cannot be encoded, or undefined when it can. yuv420p
 * halves the chroma planes, so x264 refuses odd sizes with a cryptic error.
 */
export function frameFormatProblem(size: { readonly width: number; readonly height: number }, fps: number, seconds: number): string | undefined {
  const { width: w, height: h } = size;
  if (!(Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0)) return `size must be whole positive pixels, got ${w}x${h}`;
  if (w % 2 || h % 2) return `size must be even for H.264 yuv420p, got ${w}x${h}`;
  if (!(fps > 0 && fps <= 120)) return `fps must be in (0, 120], got ${fps}`;
  if (!(seconds > 0)) return `seconds must be > 0, got ${seconds}`;
  return undefined;
}
