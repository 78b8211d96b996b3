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
 * The source is upscaled before zoompan because zoompan crops at whole input
 * pixels: at 1x a slow move steps by whole output pixels, visibly (measured on
 * the example's 6 s push-in: 25 of 144 frames repeat the one before, and the
 * frame-to-frame change varies 0.30 around its mean). At 1.5x a step is two
 * thirds of an output pixel (18 repeats, 0.16, against 2x's 10 and 0.15),
 * and zoompan scales about 2.25x the output's pixels a frame, not 4x: 2x cost
 * 2 ms a frame, 1x 0.85 ms, in an x264 pass of about 10 ms a frame.
 */
const OVERSAMPLE = 1.5;
const even = (v: number) => 2 * Math.round(v / 2);

export function frameCount(seconds: number, fps: number): number {
  return Math.max(1, Math.round(seconds * fps));
}

/**
 * The filter chain from one still (its input pad) to `frameCount` moving
 * frames at the output size and fps, square pixels. Expressions hold commas,
 * so they are single-quoted for the option parser, with no quotes inside.
 */
export function panFilter(input: Omit<PanClipInput, "image">): string {
  const { width: W, height: H } = input.size;
  const frames = frameCount(input.seconds, input.fps);
  const m = nudged(cameraMove(input.camera), input.variation ?? 0);
  if (m.zoom[0] === m.zoom[1] && m.cx[0] === m.cx[1] && m.cy[0] === m.cy[1]) return heldView(m, frames, input);
  // Eased progress 0..1 over the output frames (`on` is zoompan's output frame number).
  const p = frames > 1 ? `(0.5-0.5*cos(PI*on/${frames - 1}))` : "0";
  const lerp = (a: readonly [number, number]) => `(${a[0]}+(${a[1] - a[0]})*${p})`;
  const zoom = lerp(m.zoom);
  const x = `(iw-iw/zoom)*${lerp(m.cx)}`;
  const y = `(ih-ih/zoom)*${lerp(m.cy)}`;
  const [w, h] = [even(W * OVERSAMPLE), even(H * OVERSAMPLE)];
  return (
    `scale=${w}:${h}:force_original_aspect_ratio=increase:flags=bicubic,` +
    `crop=${w}:${h},setsar=1,` +
    `zoompan=z='${zoom}':x='${x}':y='${y}':d=${frames}:s=${W}x${H}:fps=${input.fps},setsar=1`
  );
}

/**
 * A move that does not move: the view is cut and scaled once, straight from
 * the still (sharper than through the oversampled zoompan), then repeated.
 */
function heldView(m: CameraMove, frames: number, input: Omit<PanClipInput, "image">): string {
  const { width: W, height: H } = input.size;
  return (
    `scale=${even(W * m.zoom[0])}:${even(H * m.zoom[0])}:force_original_aspect_ratio=increase:flags=bicubic,` +
    `crop=${W}:${H}:'(iw-ow)*${m.cx[0]}':'(ih-oh)*${m.cy[0]}',setsar=1,` +
    `loop=loop=${frames - 1}:size=1:start=0,setpts=N/(${input.fps}*TB)`
  );
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
