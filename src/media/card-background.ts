/**
 * A card's background as raw RGB24 pixels, computed here rather than by
 * ffmpeg: a vertical gradient, an optional head-and-shoulders figure with
 * anti-aliased edges, and a vignette. ffmpeg's per-pixel `geq` took about a
 * second a card (most of an offline build's card time); this loop takes a few
 * milliseconds. Only + - * / and sqrt, which IEEE 754 rounds exactly, so the
 * bytes are the same on every machine and Node version.
 */
import type { Size } from "./size.js";

export type Rgb = readonly [number, number, number];

export interface CardFigure {
  readonly cx: number;
  readonly headY: number;
  readonly headR: number;
  readonly color: Rgb;
}

export interface BackgroundSpec {
  readonly size: Size;
  readonly top: Rgb;
  readonly bottom: Rgb;
  readonly figure?: CardFigure;
}

/** Width of the figure's anti-aliased edge, in pixels. */
const EDGE = 1.5;

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** How much of the pixel centred at (x, y) the figure covers, 0..1. */
function coverage(f: CardFigure, x: number, y: number): number {
  const dx = x - f.cx;
  const dy = y - f.headY;
  const head = clamp01((f.headR - Math.sqrt(dx * dx + dy * dy)) / EDGE + 0.5);
  // Shoulders: an ellipse below the head, cut off by the frame bottom; its edge is measured along the minor axis.
  const a = f.headR * 2.1;
  const b = f.headR * 1.5;
  const ex = dx / a;
  const ey = (y - (f.headY + f.headR * 2.6)) / b;
  const shoulders = clamp01(((1 - Math.sqrt(ex * ex + ey * ey)) * b) / EDGE + 0.5);
  return head > shoulders ? head : shoulders;
}

/** The background, row by row, 3 bytes a pixel (ffmpeg's `rawvideo` rgb24). */
export function cardBackground(spec: BackgroundSpec): Uint8Array {
  const { width: W, height: H } = spec.size;
  const out = new Uint8Array(W * H * 3);
  const [t0, t1, t2] = spec.top;
  const [b0, b1, b2] = spec.bottom;
  const f = spec.figure;
  // The figure's bounding box, so the rest of the frame skips the square roots.
  const fx0 = f ? f.cx - f.headR * 2.1 - EDGE : 0;
  const fx1 = f ? f.cx + f.headR * 2.1 + EDGE : -1;
  const fy0 = f ? f.headY - f.headR - EDGE : Infinity;
  // Vignette: darker toward the corners, so the centre reads first (1 - 0.9 r², r from the centre in frame units).
  const across = new Float64Array(W);
  for (let col = 0; col < W; col++) {
    const u = (col + 0.5) / W - 0.5;
    across[col] = 0.9 * u * u;
  }
  // The columns whose centres (x = col + 0.5) lie in [fx0, fx1]: only there does the figure cost a square root.
  let c0 = 0;
  while (c0 < W && c0 + 0.5 < fx0) c0++;
  let c1 = c0;
  while (c1 < W && c1 + 0.5 <= fx1) c1++;
  let i = 0;
  for (let row = 0; row < H; row++) {
    const y = row + 0.5;
    const v = y / H - 0.5;
    const down = 1 - 0.9 * v * v;
    const g0 = t0 + ((b0 - t0) * y) / H;
    const g1 = t1 + ((b1 - t1) * y) / H;
    const g2 = t2 + ((b2 - t2) * y) / H;
    if (f === undefined || y < fy0) {
      i = paintPlain(out, i, 0, W, across, down, g0, g1, g2);
    } else {
      i = paintPlain(out, i, 0, c0, across, down, g0, g1, g2);
      i = paintFigure(out, i, c0, c1, across, down, g0, g1, g2, f, y);
      i = paintPlain(out, i, c1, W, across, down, g0, g1, g2);
    }
  }
  return out;
}

/*
 * The pixel loops are small top-level functions, not inline in
 * cardBackground: inline, V8 optimized the loop on the first rows and
 * deoptimized it on the first figure row (a branch it had not run yet), and
 * a card's first rendering cost two to three times its steady cost on the
 * build's main thread. The arithmetic is the same; so are the bytes (outside
 * the figure, cover is 0 and (g * 1 + c * 0) * shade is exactly g * shade).
 */

/** Columns [from, to) of one row of gradient and vignette; returns the next byte index. */
function paintPlain(out: Uint8Array, i: number, from: number, to: number, across: Float64Array, down: number, g0: number, g1: number, g2: number): number {
  for (let col = from; col < to; col++) {
    const shade = down - across[col]!;
    out[i++] = byte(g0 * shade);
    out[i++] = byte(g1 * shade);
    out[i++] = byte(g2 * shade);
  }
  return i;
}

/** Columns [from, to) of a row the figure may cover, blended by its anti-aliased coverage. */
function paintFigure(out: Uint8Array, i: number, from: number, to: number, across: Float64Array, down: number, g0: number, g1: number, g2: number, f: CardFigure, y: number): number {
  const [f0, f1, f2] = f.color;
  for (let col = from; col < to; col++) {
    const shade = down - across[col]!;
    const cover = coverage(f, col + 0.5, y);
    const keep = 1 - cover;
    out[i++] = byte((g0 * keep + f0 * cover) * shade);
    out[i++] = byte((g1 * keep + f1 * cover) * shade);
    out[i++] = byte((g2 * keep + f2 * cover) * shade);
  }
  return i;
}

/** Rounded half up into 0..255 (`| 0` truncates, which is floor for the positive values left). */
const byte = (v: number) => (v <= 0 ? 0 : v >= 255 ? 255 : (v + 0.5) | 0);
