/** ffprobe → typed facts about a media file (what tests and steps assert on). */
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { runProbe } from "./run.js";

export interface VideoStreamInfo {
  readonly type: "video";
  readonly index: number;
  readonly codec: string;
  readonly width: number;
  readonly height: number;
  readonly pixFmt: string;
  /** Average frame rate (frames per second). */
  readonly fps: number;
  readonly frames?: number;
  readonly duration?: number;
  /** Presentation time of the first frame, seconds (non-zero after a concat of AAC cuts). */
  readonly startTime: number;
  readonly timeBase: string;
}

export interface AudioStreamInfo {
  readonly type: "audio";
  readonly index: number;
  readonly codec: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly duration?: number;
  /** Seconds (the container's edit list already applied, e.g. AAC priming skipped). */
  readonly startTime: number;
}

export interface OtherStreamInfo {
  readonly type: "other";
  readonly index: number;
  readonly codec: string;
}

export type StreamInfo = VideoStreamInfo | AudioStreamInfo | OtherStreamInfo;

export interface MediaInfo {
  readonly format: string;
  /** Container duration in seconds (the longest stream). */
  readonly duration: number;
  readonly streams: readonly StreamInfo[];
  readonly video?: VideoStreamInfo;
  readonly audio?: AudioStreamInfo;
}

function rate(text: unknown): number {
  if (typeof text !== "string") return 0;
  const [n, d] = text.split("/").map(Number);
  return n !== undefined && d ? n / d : Number(n) || 0;
}

function num(v: unknown): number | undefined {
  const n = typeof v === "string" ? Number(v) : typeof v === "number" ? v : NaN;
  return Number.isFinite(n) ? n : undefined;
}

interface RawStream {
  index?: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  time_base?: string;
  start_time?: string;
  sample_rate?: string;
  channels?: number;
}

export async function probe(file: string, signal: AbortSignal): Promise<Result<MediaInfo, MediaFailure>> {
  const r = await runProbe(["-v", "error", "-print_format", "json", "-show_format", "-show_streams", file], signal);
  if (!r.ok) {
    return r.error.kind === "tool-failed"
      ? err({ kind: "bad-media", file, message: r.error.stderrTail || "ffprobe could not read it" })
      : r;
  }
  let raw: { format?: { format_name?: string; duration?: string }; streams?: RawStream[] };
  try {
    raw = JSON.parse(r.value.stdout);
  } catch {
    return err({ kind: "bad-media", file, message: "ffprobe printed no JSON" });
  }
  const streams: StreamInfo[] = (raw.streams ?? []).map((s, i): StreamInfo => {
    const index = s.index ?? i;
    const codec = s.codec_name ?? "unknown";
    if (s.codec_type === "video") {
      const fps = rate(s.avg_frame_rate) || rate(s.r_frame_rate);
      return {
        type: "video",
        index,
        codec,
        width: s.width ?? 0,
        height: s.height ?? 0,
        pixFmt: s.pix_fmt ?? "",
        fps,
        frames: num(s.nb_frames),
        duration: num(s.duration),
        startTime: num(s.start_time) ?? 0,
        timeBase: s.time_base ?? "",
      };
    }
    if (s.codec_type === "audio") {
      return {
        type: "audio",
        index,
        codec,
        sampleRate: num(s.sample_rate) ?? 0,
        channels: s.channels ?? 0,
        duration: num(s.duration),
        startTime: num(s.start_time) ?? 0,
      };
    }
    return { type: "other", index, codec };
  });
  const durations = streams.flatMap((s) => (s.type !== "other" && s.duration !== undefined ? [s.duration] : []));
  return ok({
    format: raw.format?.format_name ?? "",
    duration: num(raw.format?.duration) ?? Math.max(0, ...durations),
    streams,
    video: streams.find((s): s is VideoStreamInfo => s.type === "video"),
    audio: streams.find((s): s is AudioStreamInfo => s.type === "audio"),
  });
}
