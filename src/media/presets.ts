/**
 * Delivery presets as data: what each platform wants of an upload. The
 * numbers and where they come from are in the README ("Delivery presets").
 * Platforms publish sizes and length limits; none of these publishes a
 * loudness target for uploads, so all use -14 LUFS integrated and -1 dBTP,
 * the level the large platforms were measured to normalise to (YouTube,
 * Spotify's documented -14) and a level phone speakers play without the
 * platform turning it up through its own limiter.
 */
import { intersectSafeAreas, type SafeArea } from "./safe-area.js";
import type { Size } from "./size.js";

export interface DeliveryPreset {
  readonly name: string;
  readonly size: Size;
  readonly fps: number;
  /** x264 constant quality, or a target bitrate such as "8M" (then VBV-capped at 1.5x). */
  readonly video: { readonly crf: number } | { readonly bitrate: string };
  /** Integrated loudness target, LUFS. */
  readonly loudness: number;
  /** True-peak ceiling, dBTP. */
  readonly truePeak: number;
  /** The longest upload the platform takes; undefined for no limit. */
  readonly maxSeconds?: number;
  readonly safeArea: SafeArea;
}

/** Margins in pixels of a 1080x1920 frame, as fractions. */
const px = (top: number, bottom: number, left: number, right: number): SafeArea => ({
  top: top / 1920,
  bottom: bottom / 1920,
  left: left / 1080,
  right: right / 1080,
});

const VERTICAL = { size: { width: 1080, height: 1920 }, fps: 30, video: { crf: 18 }, loudness: -14, truePeak: -1 } as const;

/** ByteDance's apps share one feed layout: tabs on top, a right-hand button column, name and caption at the bottom. */
const BYTEDANCE_FEED = px(250, 420, 60, 170);

export const PRESETS = {
  douyin: { name: "douyin", ...VERTICAL, maxSeconds: 900, safeArea: BYTEDANCE_FEED },
  tiktok: { name: "tiktok", ...VERTICAL, maxSeconds: 600, safeArea: BYTEDANCE_FEED },
  kuaishou: { name: "kuaishou", ...VERTICAL, maxSeconds: 900, safeArea: px(230, 400, 60, 170) },
  "wechat-channels": { name: "wechat-channels", ...VERTICAL, maxSeconds: 1800, safeArea: px(200, 380, 60, 150) },
  shorts: { name: "shorts", ...VERTICAL, maxSeconds: 180, safeArea: px(150, 380, 60, 150) },
  reels: { name: "reels", ...VERTICAL, maxSeconds: 180, safeArea: { top: 0.14, bottom: 0.35, left: 0.06, right: 0.06 } },
} as const satisfies Record<string, DeliveryPreset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/**
 * The safe area subtitles and cards keep to when the project names neither
 * one nor a delivery: inside every preset's (the largest margin on each
 * side), so one cut is safe on every platform.
 */
export const DEFAULT_SAFE_AREA: SafeArea = intersectSafeAreas(Object.values(PRESETS).map((p) => p.safeArea))!;

/** A custom delivery as the project file gives it (structurally: the media layer does not import the project's types). */
export interface CustomPresetSpec {
  readonly name: string;
  readonly like?: PresetName;
  readonly size?: string;
  readonly fps?: number;
  readonly crf?: number;
  readonly bitrate?: string;
  readonly loudness?: number;
  readonly true_peak?: number;
  readonly max_seconds?: number;
  readonly safe_area?: SafeArea;
}

/** The preset a `deliver:` entry means: a named preset, or a custom one filled in from `like` (default douyin). */
export function presetFor(entry: PresetName | CustomPresetSpec): DeliveryPreset {
  if (typeof entry === "string") return PRESETS[entry];
  const base: DeliveryPreset = PRESETS[entry.like ?? "douyin"];
  const size = entry.size ? /^(\d+)x(\d+)$/.exec(entry.size) : null;
  const maxSeconds = entry.max_seconds ?? (entry.like ? PRESETS[entry.like].maxSeconds : undefined);
  return {
    name: entry.name,
    size: size ? { width: Number(size[1]), height: Number(size[2]) } : base.size,
    fps: entry.fps ?? base.fps,
    video: entry.bitrate ? { bitrate: entry.bitrate } : entry.crf !== undefined ? { crf: entry.crf } : base.video,
    loudness: entry.loudness ?? base.loudness,
    truePeak: entry.true_peak ?? base.truePeak,
    // A custom target is no platform: no length limit unless it names one or is `like` a platform.
    ...(maxSeconds !== undefined ? { maxSeconds } : {}),
    safeArea: entry.safe_area ?? base.safeArea,
  };
}

/** Where `position: safe` puts subtitles and cards: a preset's area, an explicit one, or inside all presets' (the default). */
export function subtitleSafeArea(spec?: PresetName | SafeArea): SafeArea {
  if (spec === undefined) return DEFAULT_SAFE_AREA;
  return typeof spec === "string" ? PRESETS[spec].safeArea : spec;
}
