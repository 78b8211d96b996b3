/**
 * What a video model accepts, and how a scene's size and seconds map onto it.
 * Sora takes a few fixed sizes and lengths; anything else is a 400 that we
 * would rather explain before paying for an upload.
 */
import { err, ok, type Result } from "../../result.js";
import type { Size } from "../types.js";
import type { OpenAIFailure } from "./errors.js";

interface VideoLimits {
  readonly sizes: readonly string[];
  readonly seconds: readonly number[];
}

const SORA_2: VideoLimits = { sizes: ["720x1280", "1280x720"], seconds: [4, 8, 12] };
const SORA_2_PRO: VideoLimits = { sizes: ["720x1280", "1280x720", "1024x1792", "1792x1024"], seconds: [4, 8, 12] };

/** Dated snapshots (sora-2-2025-10-06) share their family's limits; unknown models are assumed to be sora-2-like. */
export function videoLimits(model: string): VideoLimits {
  return model.startsWith("sora-2-pro") ? SORA_2_PRO : SORA_2;
}

export interface MappedVideo {
  /** Seconds the clip will actually have (≥ requested; the cut trims). */
  readonly seconds: number;
  readonly size: Size;
  /** The API's spelling, e.g. "720x1280". */
  readonly sizeParam: string;
}

const parse = (s: string): Size => {
  const [w, h] = s.split("x").map(Number);
  return { width: w ?? 0, height: h ?? 0 };
};

/**
 * Seconds: the smallest allowed length ≥ the scene's. Size: the project's
 * size if allowed, else an allowed size of the same orientation with the
 * closest aspect ratio (ties: the closest area). A square or over-long scene
 * has no honest mapping and is refused with the scene named.
 */
export function mapVideo(model: string, req: { readonly sceneId: string; readonly seconds: number; readonly size: Size }): Result<MappedVideo, OpenAIFailure> {
  const limits = videoLimits(model);
  const subject = `scene ${req.sceneId}`;
  const seconds = limits.seconds.find((s) => s >= req.seconds);
  if (seconds === undefined) {
    return err({
      kind: "unsupported",
      endpoint: "videos.create",
      subject,
      message: `${req.seconds} s is longer than ${model} can make in one clip; split the scene`,
      allowed: limits.seconds.map((s) => `${s} s`),
    });
  }
  const want = req.size;
  const portrait = want.height > want.width;
  const candidates = limits.sizes
    .map((s) => ({ param: s, size: parse(s) }))
    .filter(({ size }) => want.width !== want.height && size.height > size.width === portrait);
  const aspect = (s: Size) => s.width / s.height;
  const best = candidates.sort(
    (a, b) =>
      Math.abs(aspect(a.size) - aspect(want)) - Math.abs(aspect(b.size) - aspect(want)) ||
      Math.abs(a.size.width * a.size.height - want.width * want.height) - Math.abs(b.size.width * b.size.height - want.width * want.height),
  )[0];
  if (!best) {
    return err({
      kind: "unsupported",
      endpoint: "videos.create",
      subject,
      message: `${want.width}x${want.height} has no matching orientation for ${model}`,
      allowed: limits.sizes,
    });
  }
  return ok({ seconds, size: best.size, sizeParam: best.param });
}
