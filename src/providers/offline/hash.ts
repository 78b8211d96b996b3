/** Stable numbers and colours from text: the same subject always gets the same look. */
import { createHash } from "node:crypto";
import type { Rgb } from "../../media/card.js";

/** A 32-bit unsigned number from `text` (sha256, so stable across platforms and versions). */
export function hash32(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

export function hslToRgb(h: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return 255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [Math.round(f(0)), Math.round(f(8)), Math.round(f(4))];
}

/**
 * A card palette: a lit top, a dark bottom and a deep tint for figures, from
 * one hue. The project's `style` turns every hue by the same amount, like a
 * colour grade: an animatic shows that the style changed, as a real image
 * model's output would, and each subject keeps its own colour relative to the rest.
 */
export function palette(subject: string, style = ""): { top: Rgb; bottom: Rgb; figure: Rgb; accent: string } {
  const grade = style ? hash32(`style:${style}`) % 360 : 0;
  const hue = (hash32(subject) + grade) % 360;
  const [r, g, b] = hslToRgb((hue + 40) % 360, 0.8, 0.78);
  return {
    top: hslToRgb(hue, 0.45, 0.42),
    bottom: hslToRgb((hue + 25) % 360, 0.5, 0.1),
    figure: hslToRgb(hue, 0.35, 0.16),
    accent: "0x" + [r, g, b].map((v) => v.toString(16).padStart(2, "0")).join(""),
  };
}
