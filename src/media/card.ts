/**
 * A still card: a vertical gradient with a vignette and an optional
 * head-and-shoulders figure (computed in card-background.ts), with images
 * placed in boxes and blocks of wrapped text drawn over it by ffmpeg. The
 * offline provider lays out portraits and keyframes with it.
 */
import { rm, writeFile } from "node:fs/promises";
import type { Size } from "./size.js";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { cardBackground, type CardFigure, type Rgb } from "./card-background.js";
import { filterValue } from "./escape.js";
import { BITEXACT } from "./encoding.js";
import { fontFor, type Fonts, findFonts } from "./fonts.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";
import { wrapText } from "./text-layout.js";

export type { CardFigure, Rgb } from "./card-background.js";

export interface CardText {
  readonly text: string;
  /** Font size in pixels. */
  readonly size: number;
  /** Top of the block in pixels (or its bottom, with anchor "bottom"). */
  readonly y: number;
  readonly anchor?: "top" | "bottom";
  readonly color?: string;
  /** Wrap width in pixels; the block is centred horizontally. */
  readonly width: number;
  readonly maxLines?: number;
  /** Line height as a multiple of size. */
  readonly leading?: number;
  /** A translucent band behind the block, e.g. "black@0.45". */
  readonly band?: string;
}

export interface CardImage {
  readonly file: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly border?: string;
}

export interface CardSpec {
  readonly size: Size;
  readonly top: Rgb;
  readonly bottom: Rgb;
  readonly figure?: CardFigure;
  readonly images?: readonly CardImage[];
  readonly texts: readonly CardText[];
}

function textFilters(spec: CardSpec, fonts: Fonts): string[] {
  const out: string[] = [];
  for (const block of spec.texts) {
    // Nothing on a card is lost (issue 32): text that needs more than its lines is set smaller, down to
    // a little over half its size, and past that given the lines it needs. Whole pixels: deterministic.
    const max = block.maxLines ?? 6;
    const smallest = Math.max(6, Math.round(block.size * 0.55));
    let size = block.size;
    let lines = wrapText(block.text, block.width / size).filter((l) => l.length > 0);
    while (lines.length > max && size > smallest) {
      size--;
      lines = wrapText(block.text, block.width / size).filter((l) => l.length > 0);
    }
    if (lines.length === 0) continue;
    const step = Math.round(size * (block.leading ?? 1.3));
    const top = block.anchor === "bottom" ? block.y - step * lines.length : block.y;
    if (block.band) {
      const pad = Math.round(size * 0.4);
      out.push(
        `drawbox=x=0:y=${Math.max(0, top - pad)}:w=iw:h=${step * lines.length + pad * 2}:color=${block.band}:t=fill`,
      );
    }
    lines.forEach((line, i) => {
      const font = fontFor(line, fonts);
      const border = Math.max(1, Math.round(size / 14));
      out.push(
        [
          "drawtext=expansion=none",
          font ? `fontfile=${filterValue(font.file)}` : undefined,
          `text=${filterValue(line)}`,
          `fontsize=${size}`,
          `fontcolor=${block.color ?? "white"}`,
          `borderw=${border}`,
          "bordercolor=black@0.55",
          "x=(w-text_w)/2",
          // Baseline at a fixed offset so lines of different glyph heights align.
          `y=${top + i * step + Math.round(size * 0.85)}-max_glyph_a`,
        ]
          .filter(Boolean)
          .join(":"),
      );
    });
  }
  return out;
}

/**
 * The filtergraph and the inputs after the background (which is input 0, raw
 * RGB); exposed for tests of escaping.
 */
export function cardGraph(spec: CardSpec, fonts: Fonts = findFonts()): { inputs: string[]; graph: string } {
  const parts: string[] = ["[0:v]setsar=1[bg0]"];
  const images = spec.images ?? [];
  let last = "bg0";
  images.forEach((img, i) => {
    const w = Math.round(img.width);
    const h = Math.round(img.height);
    parts.push(
      `[${i + 1}:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=rgb24` +
        (img.border ? `,drawbox=x=0:y=0:w=iw:h=ih:color=${img.border}:t=${Math.max(1, Math.round(w / 40))}` : "") +
        `[img${i}]`,
    );
    parts.push(`[${last}][img${i}]overlay=x=${Math.round(img.x)}:y=${Math.round(img.y)}:format=rgb[bg${i + 1}]`);
    last = `bg${i + 1}`;
  });
  const texts = textFilters(spec, fonts);
  parts.push(`[${last}]${texts.length ? texts.join(",") : "null"},format=rgb24[out]`);
  return { inputs: images.flatMap((img) => ["-i", img.file]), graph: parts.join(";") };
}

/**
 * Render `spec` to a PNG at `out` (atomically). The background reaches ffmpeg
 * as a file beside the PNG, not through its stdin: a frame of raw pixels is
 * megabytes, which a pipe takes 64 KiB per turn of our event loop, so while
 * the build paints, synthesizes and measures on that loop the card's ffmpeg
 * sat waiting for its input (in a cold build of the example a portrait card
 * took 120-170 ms through the pipe and 60-115 ms from a file; 60 ms alone).
 */
export function renderCard(spec: CardSpec, out: string, run: MediaRun, fonts: Fonts = findFonts()): Promise<Result<void, MediaFailure>> {
  const { width: W, height: H } = spec.size;
  const { inputs, graph } = cardGraph(spec, fonts);
  return writeAtomically(out, async (tmp): Promise<Result<void, MediaFailure>> => {
    const raw = `${tmp}.rgb`;
    try {
      await writeFile(raw, cardBackground(spec));
    } catch (e) {
      await rm(raw, { force: true });
      return err({ kind: "io", path: raw, message: (e as Error).message });
    }
    try {
      const background = ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", `${W}x${H}`, "-i", raw];
      const r = await runFfmpeg(
        [...background, ...inputs, "-filter_complex", graph, "-map", "[out]", "-frames:v", "1", ...BITEXACT, "-c:v", "png", "-f", "image2", tmp],
        run,
      );
      return r.ok ? ok(undefined) : r;
    } finally {
      await rm(raw, { force: true });
    }
  });
}
