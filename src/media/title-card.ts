/**
 * Title, hook and end cards: short clips made like cuts (same codecs, so
 * `final` joins them by stream copy) with text set by libass in the
 * project's font (CJK through the same fonts as subtitles), laid out inside
 * the delivery's safe area. Text is wrapped by the cue wrapper and, when it
 * does not fit, set smaller: a card never cuts a word.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../result.js";
import { wrapCue } from "./cues.js";
import { AUDIO_RATE, BITEXACT, audioEncodeArgs, frameFormatProblem, videoEncodeArgs } from "./encoding.js";
import { assColour } from "./subtitles.js";
import { assField, assText, filterValue } from "./escape.js";
import type { MediaFailure } from "./failure.js";
import { findFonts, fontFor, type Fonts } from "./fonts.js";
import { fontsDir } from "./cut.js";
import { DEFAULT_SAFE_AREA } from "./presets.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";
import { safeRect, type SafeArea } from "./safe-area.js";
import type { Size } from "./size.js";
import { hasCjk } from "./text-layout.js";

export interface TextBlock {
  readonly text: string;
  /** Font height in percent of the frame height. */
  readonly size: number;
  /** #RRGGBB (default white). */
  readonly color?: string;
  readonly bold?: boolean;
}

export interface TextLayoutOptions {
  readonly size: Size;
  readonly safeArea?: SafeArea;
  readonly fonts?: Fonts;
  /** A font family to use instead of the found one. */
  readonly font?: string;
  /** Vertical centre of the stack, as a fraction of the safe area's height (default 0.5). */
  readonly at?: number;
}

/** Where libass will set each block: its lines, font size and centre. */
export interface PlacedBlock {
  readonly lines: readonly string[];
  readonly fontSize: number;
  readonly x: number;
  readonly y: number;
}

const LEADING = 1.25;

/**
 * Blocks stacked and centred in the safe area. Each block wraps to the safe
 * width; while the stack is taller than the area every font is set 10 %
 * smaller, so long titles shrink instead of losing words.
 */
export function placeBlocks(blocks: readonly TextBlock[], o: TextLayoutOptions): PlacedBlock[] {
  const r = safeRect(o.safeArea ?? DEFAULT_SAFE_AREA, o.size);
  const width = r.x1 - r.x0;
  const height = r.y1 - r.y0;
  const shown = blocks.filter((b) => b.text.trim());
  for (let scale = 1; scale > 0.05; scale *= 0.9) {
    const sized = shown.map((b) => {
      const fontSize = Math.max(8, Math.round((o.size.height * b.size * scale) / 100));
      // Room for an outline on both sides, and the estimate's error on bold faces.
      const widthEm = (width - 2 * Math.ceil(fontSize / 12) - 4) / fontSize / (b.bold ? 1.1 : 1);
      const lines = wrapCue(b.text.trim(), { maxChars: { latin: 1e9, cjk: 1e9 }, widthEm });
      return { lines, fontSize, h: Math.ceil(lines.length * fontSize * LEADING) };
    });
    const gap = Math.round(o.size.height * 0.02 * scale);
    const total = sized.reduce((a, b) => a + b.h, 0) + gap * Math.max(0, sized.length - 1);
    if (total > height && scale * 0.9 > 0.05) continue;
    let y = Math.round(r.y0 + Math.min(Math.max(0, height * (o.at ?? 0.5) - total / 2), height - total));
    return sized.map((b) => {
      const placed = { lines: b.lines, fontSize: b.fontSize, x: Math.round((r.x0 + r.x1) / 2), y: y + Math.round(b.h / 2) };
      y += b.h + gap;
      return placed;
    });
  }
  return [];
}

/** An ASS script that sets `blocks` (placed by placeBlocks) for `seconds`. */
export function blocksAss(blocks: readonly TextBlock[], o: TextLayoutOptions, seconds: number): string {
  const fonts = o.fonts ?? findFonts();
  const family = o.font ?? fontFor(hasCjk(blocks.map((b) => b.text).join("")) ? "中" : "a", fonts)?.family ?? "Sans";
  const placed = placeBlocks(blocks, o);
  const shown = blocks.filter((b) => b.text.trim());
  const end = `0:${String(Math.floor(seconds / 60)).padStart(2, "0")}:${(seconds % 60).toFixed(2).padStart(5, "0")}`;
  const events = placed.map((p, i) => {
    const b = shown[i]!;
    const outline = Math.max(1, Math.round(p.fontSize / 14));
    return `Dialogue: 0,0:00:00.00,${end},Card,,0,0,0,,{\\an5\\pos(${p.x},${p.y})\\fs${p.fontSize}\\bord${outline}\\shad0\\b${b.bold ? 1 : 0}\\1c${assColour(b.color ?? "#FFFFFF").slice(0, 2)}${assColour(b.color ?? "#FFFFFF").slice(4)}&}${p.lines.map(assText).join("\\N")}`;
  });
  return [
    "[Script Info]",
    "ScriptType: v4.00+",
    `PlayResX: ${o.size.width}`,
    `PlayResY: ${o.size.height}`,
    "WrapStyle: 2",
    "ScaledBorderAndShadow: yes",
    "YCbCr Matrix: TV.601",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    `Style: Card,${assField(family)},${Math.round(o.size.height * 0.05)},&H00FFFFFF,&H000000FF,&H50101010,&H80000000,0,0,0,0,100,100,0,0,1,2,0,5,0,0,0,1`,
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ...events,
    "",
  ].join("\n");
}

/** The libass filter for an ASS file, with a fontsdir for fonts fontconfig does not know. */
export async function assFilter(ass: string, work: string, fonts: Fonts): Promise<string> {
  const file = join(work, "text.ass");
  await writeFile(file, ass);
  const dir = await fontsDir(work, fonts);
  return `ass=filename=${filterValue(file)}` + (dir ? `:fontsdir=${filterValue(dir)}` : "");
}

export type CardKind = "title" | "hook" | "end";

export interface TitleCardInput {
  readonly kind: CardKind;
  /** Title card: the series title (optional) and the episode title. */
  readonly series?: string;
  readonly title?: string;
  /** Hook card: the hook line; title card: an optional line under the title. */
  readonly hook?: string;
  /** End card: its text, e.g. "Next: the station". */
  readonly end?: string;
  readonly seconds: number;
  readonly size: Size;
  readonly fps: number;
  /** A still behind the text (darkened and softened), else a dark gradient. */
  readonly background?: string;
  readonly safeArea?: SafeArea;
  readonly font?: string;
  readonly fonts?: Fonts;
  /** A retake's look (0: the first): another shade of background behind the same text. */
  readonly variation?: number;
}

/** Background gradients (top RGB, growth to the bottom) a card's takes cycle through: dark, so white text reads. */
const SHADES = [
  [16, 22, 14, 18, 22, 30],
  [30, 24, 12, 10, 16, 20],
  [12, 16, 26, 22, 20, 34],
  [24, 12, 14, 26, 10, 18],
] as const;

/** The text blocks of a card, biggest for what matters most. */
export function cardBlocks(c: TitleCardInput): TextBlock[] {
  switch (c.kind) {
    case "title":
      return [
        { text: c.series ?? "", size: 3.2, color: "#E6C27F" },
        { text: c.title ?? "", size: 6, bold: true },
        { text: c.hook ?? "", size: 3.6, color: "#DDDDDD" },
      ];
    case "hook":
      return [{ text: c.hook ?? "", size: 5, bold: true }];
    case "end":
      return [{ text: c.end ?? "", size: 4.8, bold: true }];
  }
}

/** Render a card clip: picture, text, and a silent mono track like a cut's. */
export async function renderTitleCard(c: TitleCardInput, out: string, run: MediaRun): Promise<Result<{ seconds: number }, MediaFailure>> {
  const problem = frameFormatProblem(c.size, c.fps, c.seconds);
  if (problem) return err({ kind: "invalid-input", message: `${c.kind} card: ${problem}` });
  const blocks = cardBlocks(c);
  if (!blocks.some((b) => b.text.trim())) return err({ kind: "invalid-input", message: `${c.kind} card: no text to set` });
  const { width: W, height: H } = c.size;
  const frames = Math.ceil(c.seconds * c.fps - 1e-6);
  const seconds = frames / c.fps;
  const samples = Math.round(seconds * AUDIO_RATE);
  const fonts = c.fonts ?? findFonts();
  const work = await workDir(run, "card");
  try {
    const text = await assFilter(blocksAss(blocks, { size: c.size, safeArea: c.safeArea, fonts, font: c.font }, seconds + 1), work, fonts);
    const v = Math.max(0, Math.floor(c.variation ?? 0));
    const [r0, dr, g0, dg, b0, db] = SHADES[v % SHADES.length]!;
    const picture = c.background
      ? `[0:v]scale=${W}:${H}:force_original_aspect_ratio=increase:flags=lanczos,crop=${W}:${H},boxblur=${Math.max(2, Math.round(W / 90))},eq=brightness=${(-0.25 - 0.05 * (v % 4)).toFixed(2)}:saturation=0.7,setsar=1,loop=loop=-1:size=1,fps=${c.fps}`
      : // A dark vertical gradient (two colours blended by row), so the card is not a flat slab.
        `[0:v]geq=r='${r0}+${dr}*Y/H':g='${g0}+${dg}*Y/H':b='${b0}+${db}*Y/H',setsar=1`;
    const inputs = c.background ? ["-i", c.background] : ["-f", "lavfi", "-i", `color=c=black:s=${W}x${H}:r=${c.fps}`];
    const r = await writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          ...inputs,
          "-filter_complex",
          `${picture},trim=end_frame=${frames},setpts=PTS-STARTPTS,${text},format=yuv420p[v];anullsrc=r=${AUDIO_RATE}:cl=mono,atrim=end_sample=${samples}[a]`,
          "-map", "[v]", "-map", "[a]",
          ...videoEncodeArgs(c.fps),
          ...audioEncodeArgs(1),
          ...BITEXACT,
          tmp,
        ],
        { ...run, expectedSeconds: seconds },
      ),
    );
    return r.ok ? ok({ seconds }) : r;
  } catch (e) {
    return err({ kind: "io", path: work, message: (e as Error).message });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
