/**
 * A moving picture from a still: a slow pan or zoom over the keyframe
 * following the scene's `camera` words, at the project's size and fps,
 * exactly `seconds` long (rounded to whole frames). `panFilter` is the
 * filter chain itself, which the cut renders in its own pass so a still's
 * pixels go through x264 once; `panClip` encodes it alone as a silent clip.
 */
import type { Size } from "./size.js";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { BITEXACT, frameFormatProblem, videoEncodeArgs } from "./encoding.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

/** Start and end of a move: zoom factor and the view centre as fractions of the frame. */
export interface CameraMove {
  readonly name: string;
  readonly zoom: readonly [number, number];
  readonly cx: readonly [number, number];
  readonly cy: readonly [number, number];
}

/**
 * Read a camera direction ("slow push-in", "pan left", "static wide shot").
 * Unknown words get a gentle push-in: an animatic should never be a frozen frame
 * unless asked. "slow"/"fast" scale the amount.
 */
export function cameraMove(camera: string): CameraMove {
  const c = camera.toLowerCase();
  const amount = /\b(fast|quick|rapid|crash)\b/.test(c) ? 1.8 : /\b(slow|gentle|subtle|slight)\b/.test(c) ? 0.7 : 1;
  const z = 0.18 * amount;
  const pan = 0.5 * Math.min(1, amount);
  const centre = [0.5, 0.5] as const;
  if (/\b(static|locked|still|fixed|steady)\b/.test(c)) return { name: "static", zoom: [1, 1], cx: centre, cy: centre };
  if (/(pull|dolly|zoom|track)[- ]?(out|back)|\breveal|\bwiden/.test(c))
    return { name: "pull-out", zoom: [1 + z, 1], cx: centre, cy: centre };
  if (/pan[- ]?left|truck[- ]?left|move[- ]?left/.test(c))
    return { name: "pan-left", zoom: [1.2, 1.2], cx: [0.5 + pan / 2, 0.5 - pan / 2], cy: centre };
  if (/pan[- ]?right|truck[- ]?right|move[- ]?right/.test(c))
    return { name: "pan-right", zoom: [1.2, 1.2], cx: [0.5 - pan / 2, 0.5 + pan / 2], cy: centre };
  if (/tilt[- ]?up|pedestal[- ]?up|crane[- ]?up/.test(c))
    return { name: "tilt-up", zoom: [1.2, 1.2], cx: centre, cy: [0.5 + pan / 2, 0.5 - pan / 2] };
  if (/tilt[- ]?down|pedestal[- ]?down|crane[- ]?down/.test(c))
    return { name: "tilt-down", zoom: [1.2, 1.2], cx: centre, cy: [0.5 - pan / 2, 0.5 + pan / 2] };
  return { name: "push-in", zoom: [1, 1 + z], cx: centre, cy: centre };
}

export interface PanClipInput {
  readonly image: string;
  readonly camera: string;
  readonly seconds: number;
  readonly size: Size;
  readonly fps: number;
  /**
   * 0 for the camera's own move; another number starts and ends it off
   * centre by a stable amount (a retake of an offline clip is visibly another move).
   */
  readonly variation?: number;
  /**
   * Only frames [from, from + count) of the move (default: all of it), each
   * exactly the frame the whole move has there (frames past its end repeat
   * its last): a join renders a shot's overlaps and body as separate
   * segments from the still, with no seek and no buffering (transition.ts).
   */
  readonly range?: { readonly from: number; readonly count: number };
}

/** The view centre of move variation `n`, nudged by up to 8% of the frame. */
function nudged(m: CameraMove, n: number): CameraMove {
  if (!n) return m;
  const dx = ((n * 37) % 17) / 100 - 0.08;
  const dy = ((n * 53) % 17) / 100 - 0.08;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  // Zoomed in a little at least, or a shifted centre would show nothing new.
  return {
    ...m,
    zoom: [Math.max(1.15, m.zoom[0]), Math.max(1.15, m.zoom[1])],
    cx: [clamp(m.cx[0] + dx), clamp(m.cx[1] + dx)],
    cy: [clamp(m.cy[0] + dy), clamp(m.cy[1] + dy)],
  };
}

/**
 * How much the still is upscaled before zoompan, which crops at whole input
 * pixels, and on a subsampled format at whole chroma pixels: on yuv420p, two
 * luma pixels. The format zoompan works in is named (yuv444p, one of the
 * planar formats it takes; it takes no packed RGB) because otherwise ffmpeg
 * picks it from what follows, and the cut's `format=yuv420p` made it yuv420p.
 *
 * Measured by bench/moves (6 s, 144 frames, on the example's first keyframe,
 * against the same move sampled at exact positions): luma PSNR / how far each
 * frame-to-frame change is from the ideal move's, over its mean change /
 * frames that repeat the one before / the end frames' sharpness against
 * their neighbours' (a pop where a zoom reaches the whole still).
 *   slow push-in, 1.5x on yuv420p (before): 21.8 dB / 2.46 / 18 / 1.08
 *   slow push-in, 1x on yuv444p:            22.3 dB / 1.59 / 30 / 1.00
 *   pan left, 1.5x on yuv420p (before):     23.6 dB / 1.30 / 98
 *   pan left, 1.25x on yuv444p:             25.8 dB / 0.82 / 68
 *   tilt up, 1.5x on yuv420p (before):      25.3 dB / 0.73 / 63
 *   tilt up, 1.25x on yuv444p:              27.2 dB / 0.44 / 33
 * (A pull-out measures as its push-in.) Also tried, with a scratch copy of
 * it: a zoom at 1x on yuv420p, 3 dB worse and less even than before; at
 * 1.25x on yuv444p, 1.9 dB better again for 60% more filter CPU; a pan at 1x
 * on yuv444p, 2 dB worse than before. A zoom moves its crop's size and place
 * together, so at the output size it is truer and more even than before; its
 * extra repeats are at the eased ends, where the ideal move shifts under a
 * third of a pixel a frame. A pan or tilt only slides a fixed crop, slowly
 * (0.4 px a frame for "pan left" over 6 s), so it keeps a 1.25x source. The
 * filter costs more (per 6 s, about 0.4-0.6 s of CPU before, 0.65-1.1 s
 * now), next to about 3 s for x264 on the same frames; bench/offline's whole
 * builds measured the same before and after (1.36x and 1.34x, 1.25x and 1.22x
 * interleaved).
 */
function oversample(m: CameraMove): number {
  return m.zoom[0] === m.zoom[1] ? 1.25 : 1;
}

const even = (v: number) => 2 * Math.round(v / 2);

export function frameCount(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/**
 * The filter chain from one still (its input pad) to `frameCount` moving
 * frames (or the `range` of them asked) at the output size and fps, square pixels. Expressions hold commas,
 * so they are single-quoted for the option parser, with no quotes inside.
 */
export function panFilter(input: Omit<PanClipInput, "image">): string {
  const { width: W, height: H } = input.size;
  const frames = frameCount(input.seconds, input.fps);
  const from = input.range?.from ?? 0;
  const count = input.range ? Math.max(1, input.range.count) : frames;
  const m = nudged(cameraMove(input.camera), input.variation ?? 0);
  if (m.zoom[0] === m.zoom[1] && m.cx[0] === m.cx[1] && m.cy[0] === m.cy[1]) return heldView(m, count, input);
  // The move's frame number: zoompan's output frame number `on`, offset into a range (and held at the move's end).
  const at = from === 0 && count <= frames ? "on" : `min(on+${from},${frames - 1})`;
  // Eased progress 0..1 over the output frames.
  const p = frames > 1 ? `(0.5-0.5*cos(PI*${at}/${frames - 1}))` : "0";
  const lerp = (a: readonly [number, number]) => `(${a[0]}+(${a[1] - a[0]})*${p})`;
  const [w, h] = [even(W * oversample(m)), even(H * oversample(m))];
  // Never the whole source: at zoom 1 the crop is the source itself, passed through unscaled, sharper
  // than the frames around it, which zoompan resamples: a visible pop as a pull-out ends (its last
  // frame 1.19x as sharp as the four before it without this floor, 1.08x before on 1.5x yuv420p).
  // Two pixels short of the whole source keeps every frame alike (1.00, bench/moves).
  const least = Math.min(w, h) / (Math.min(w, h) - 2);
  const zoom = `max(${least},${lerp(m.zoom)})`;
  const x = `(iw-iw/zoom)*${lerp(m.cx)}`;
  const y = `(ih-ih/zoom)*${lerp(m.cy)}`;
  return (
    `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=bicubic,` +
    `crop=${w}:${h},setsar=1,format=yuv444p,` +
    `zoompan=z='${zoom}':x='${x}':y='${y}':d=${count}:s=${W}x${H}:fps=${input.fps},setsar=1,format=yuv420p`
  );
}

/**
 * A move that does not move: the view is cut and scaled once, straight from
 * the still (sharper than through zoompan's scaler), then repeated.
 */
function heldView(m: CameraMove, frames: number, input: Omit<PanClipInput, "image">): string {
  const { width: W, height: H } = input.size;
  return (
    `scale=${even(W * m.zoom[0])}:${even(H * m.zoom[0])}:force_original_aspect_ratio=increase:flags=bicubic,` +
    `crop=${W}:${H}:'(iw-ow)*${m.cx[0]}':'(ih-oh)*${m.cy[0]}',setsar=1,` +
    holdLast(frames - 1, input.fps)
  );
}

/**
 * The filter that repeats a stream's last frame `extra` more times and numbers
 * the frames again at `fps`. tpad, not `loop`: loop's `start` is off by one in
 * the bundled ffmpeg (start=k repeats frame k-1), which held the last-but-one
 * frame of a move and ended its cut on a one-frame jump.
 */
export function holdLast(extra: number, fps: number): string {
  return `tpad=stop_mode=clone:stop=${Math.max(0, extra)},setpts=N/(${fps}*TB)`;
}

export function panClip(input: PanClipInput, out: string, run: MediaRun): Promise<Result<{ frames: number }, MediaFailure>> {
  const problem = frameFormatProblem(input.size, input.fps, input.seconds);
  if (problem) return Promise.resolve(err({ kind: "invalid-input", message: `clip: ${problem}` }));
  const frames = frameCount(input.seconds, input.fps);
  const graph = `[0:v]${panFilter(input)},format=yuv420p[v]`;
  return writeAtomically(out, async (tmp) => {
    const r = await runFfmpeg(
      ["-i", input.image, "-filter_complex", graph, "-map", "[v]", "-frames:v", String(frames), ...videoEncodeArgs(input.fps), ...BITEXACT, "-an", tmp],
      { ...run, expectedSeconds: frames / input.fps },
    );
    return r.ok ? ok({ frames }) : r;
  });
}
