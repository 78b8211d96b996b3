/**
 * Subtitles for a scene (ASS for burning in with libass, SRT for players) and
 * the episode-wide SRT joined from the scenes' SRTs. Each line becomes one or
 * more cues (src/media/cues.ts) that never lose a word; ASS and SRT carry the
 * same cues; the ASS places them by `position` inside the delivery's safe
 * area. Pure text functions.
 */
import type { Size } from "./size.js";
import type { LineTiming } from "./audio.js";
import { readingFor, splitLine, type ReadingSettings } from "./cues.js";
import { assField, assText } from "./escape.js";
import { findFonts, fontFor, type Fonts } from "./fonts.js";
import { DEFAULT_SAFE_AREA } from "./presets.js";
import { safeRect, type SafeArea } from "./safe-area.js";
import { hasCjk } from "./text-layout.js";

export interface SubtitleLine {
  /** The speaker's display name; empty for none. */
  readonly speaker: string;
  readonly text: string;
}

export interface Cue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type SubtitlePosition = "safe" | "top" | "bottom";

/** `subtitles: { style }`: what a project may change of the look. */
export interface SubtitleStyle {
  /** A font family fontconfig knows; default the project's (CJK-capable for CJK text). */
  readonly font?: string;
  /** Font height in percent of the frame height (default 3.6). */
  readonly size?: number;
  /** Text colour, #RRGGBB (default #FFFFFF). */
  readonly color?: string;
  /** Outline thickness in percent of the font size (default 7; 0 for none). */
  readonly outline?: number;
  /** A box behind the text: true for translucent black, or its colour #RRGGBB or #RRGGBBAA (alpha 00 clear .. FF opaque). */
  readonly box?: boolean | string;
}

export interface SubtitleOptions {
  readonly language: string;
  readonly size: Size;
  /** Show the speaker's name above each cue (default true). */
  readonly speakerLabels?: boolean;
  readonly fonts?: Fonts;
  readonly reading?: ReadingSettings;
  /** Default `safe`: inside `safeArea`. */
  readonly position?: SubtitlePosition;
  /** The delivery's safe area (default Douyin's); used by `position: safe`. */
  readonly safeArea?: SafeArea;
  readonly style?: SubtitleStyle;
}

export interface Subtitles {
  readonly ass: string;
  readonly srt: string;
  /** One per cue, as the SRT holds them (the speaker's name before a line's first cue). */
  readonly cues: readonly Cue[];
  /** The family the ASS style names (the CJK font for CJK text). */
  readonly fontFamily: string;
  /** Lines whose voice is faster than the reading speed: the index into `lines`, and the speed they need over the one allowed. */
  readonly fast: readonly { readonly index: number; readonly pace: number }[];
}

/** A line stays up a little after its voice ends, but never into the next line. */
const HOLD = 0.35;

const assTime = (s: number) => {
  const cs = Math.max(0, Math.round(s * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const sec = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}.${String(cs % 100).padStart(2, "0")}`;
};

const srtTime = (s: number) => {
  const ms = Math.max(0, Math.round(s * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const sec = Math.floor((ms % 60000) / 1000);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")},${String(ms % 1000).padStart(3, "0")}`;
};

function parseSrtTime(t: string): number {
  const m = /(\d+):(\d+):(\d+)[,.](\d+)/.exec(t);
  if (!m) return NaN;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]!.padEnd(3, "0").slice(0, 3)) / 1000;
}

export interface SubtitleLayout {
  readonly fontSize: number;
  readonly labelSize: number;
  /** ASS alignment: 2 bottom centre, 8 top centre. */
  readonly alignment: 2 | 8;
  readonly marginL: number;
  readonly marginR: number;
  readonly marginV: number;
  readonly outline: number;
  readonly shadow: number;
  /** ASS BorderStyle: 1 outline and shadow, 3 an opaque box. */
  readonly borderStyle: 1 | 3;
  /** Width a text line may take, in ems of the font (what cues wrap to). */
  readonly wrapEm: number;
}

/**
 * Where the cues go and how big they are. The margins keep the whole box,
 * outline and shadow included, inside the frame (`top`, `bottom`) or inside
 * the safe area (`safe`): libass puts the text's edge at the margin and the
 * outline, shadow or box grows outwards from it, hence the padding.
 */
export function subtitleLayout(size: Size, position: SubtitlePosition = "safe", safeArea: SafeArea = DEFAULT_SAFE_AREA, style: SubtitleStyle = {}): SubtitleLayout {
  const fontSize = Math.max(10, Math.round((size.height * (style.size ?? 3.6)) / 100));
  const boxed = style.box !== undefined && style.box !== false;
  // A box's padding is its outline width: at least a sixth of the font, so the box reads as one.
  const thickness = Math.max(0, Math.round((fontSize * (style.outline ?? 7)) / 100));
  const outline = boxed ? Math.max(thickness, Math.round(fontSize / 6)) : thickness;
  const shadow = boxed ? 0 : Math.max(0, outline - 1);
  const pad = outline + shadow + 2;
  const edge = Math.round(size.width * 0.05);
  let marginL = edge + pad;
  let marginR = edge + pad;
  let marginV = Math.round(size.height * 0.05) + pad;
  if (position === "safe") {
    const r = safeRect(safeArea, size);
    marginL = r.x0 + pad;
    marginR = size.width - r.x1 + pad;
    marginV = size.height - r.y1 + pad;
  }
  return {
    fontSize,
    labelSize: Math.max(8, Math.round(fontSize * 0.7)),
    alignment: position === "top" ? 8 : 2,
    marginL,
    marginR,
    marginV,
    outline,
    shadow,
    borderStyle: boxed ? 3 : 1,
    wrapEm: Math.max(1, (size.width - marginL - marginR) / fontSize),
  };
}

/**
 * The band of rows [y0, y1) that cues may cover, so other text on the frame
 * (an offline card's action line) can stay out of it: the label line plus
 * `maxLines` lines at libass's line height (about 1.17 em for the faces we
 * find; 1.3 here, to be safe), outline, shadow or box included.
 */
export function subtitleZone(size: Size, opts: Pick<SubtitleOptions, "position" | "safeArea" | "style" | "reading" | "language" | "speakerLabels">): { y0: number; y1: number } {
  const m = subtitleLayout(size, opts.position, opts.safeArea, opts.style);
  const lines = readingFor(opts.language ?? "en", opts.reading).maxLines;
  const grow = m.outline + m.shadow;
  const height = Math.ceil((opts.speakerLabels === false ? 0 : m.labelSize * 1.3) + lines * m.fontSize * 1.3) + 2 * grow;
  if (m.alignment === 8) {
    const y0 = Math.max(0, m.marginV - grow);
    return { y0, y1: Math.min(size.height, y0 + height) };
  }
  const y1 = Math.min(size.height, size.height - m.marginV + grow);
  return { y0: Math.max(0, y1 - height), y1 };
}

/** Layout numbers of the default look, for callers that lay other text around subtitles. */
export function subtitleMetrics(size: Size) {
  const l = subtitleLayout(size, "bottom");
  return { fontSize: l.fontSize, labelSize: l.labelSize, marginH: l.marginL, marginV: l.marginV, outline: l.outline, wrapEm: l.wrapEm };
}

/** `#RRGGBB` or `#RRGGBBAA` (AA: 00 clear .. FF opaque) as ASS `&HAABBGGRR` (ASS alpha: 00 opaque). */
export function assColour(hex: string, fallbackAlpha = 0xff): string {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/i.exec(hex.trim());
  if (!m) return "&H00FFFFFF";
  const alpha = 0xff - (m[4] ? parseInt(m[4], 16) : fallbackAlpha);
  const h = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
  return `&H${h(alpha)}${m[3]!.toUpperCase()}${m[2]!.toUpperCase()}${m[1]!.toUpperCase()}`;
}

export function writeSubtitles(
  lines: readonly SubtitleLine[],
  timings: readonly LineTiming[],
  opts: SubtitleOptions,
): Subtitles {
  const fonts = opts.fonts ?? findFonts();
  const labels = opts.speakerLabels ?? true;
  const style = opts.style ?? {};
  const m = subtitleLayout(opts.size, opts.position, opts.safeArea, style);
  const reading = readingFor(opts.language, opts.reading);
  const allText = lines.map((l) => l.text + l.speaker).join("") + (/^(zh|ja|ko|yue|cmn)/i.test(opts.language) ? "中" : "");
  const family = style.font ?? fontFor(hasCjk(allText) ? "中" : "a", fonts)?.family ?? "Sans";
  const room = { maxChars: reading.maxChars, widthEm: m.wrapEm };
  const cues: Cue[] = [];
  const events: string[] = [];
  const fast: { index: number; pace: number }[] = [];
  const ordered = [...timings].sort((a, b) => a.start - b.start);
  ordered.forEach((t, k) => {
    const line = lines[t.index];
    if (!line) return;
    const next = ordered[k + 1];
    const end = Math.max(t.start + 0.2, next ? Math.min(t.end + HOLD, next.start - 0.01) : t.end + HOLD);
    // Cues divide the voice itself; the last one stays up through the hold.
    const voiceEnd = Math.min(Math.max(t.end, t.start + 0.2), end);
    const split = splitLine(line.text, { start: t.start, end: voiceEnd }, reading, room);
    if (split.pace > 1 + 1e-9 && Number.isFinite(split.pace)) fast.push({ index: t.index, pace: split.pace });
    const label = labels && line.speaker ? `{\\fs${m.labelSize}\\c&H7FE6FF&}${assText(line.speaker)}{\\r}\\N` : "";
    split.cues.forEach((c, n) => {
      const cueEnd = n === split.cues.length - 1 ? end : c.end;
      events.push(
        `Dialogue: 0,${assTime(c.start)},${assTime(cueEnd)},Default,${assField(line.speaker)},0,0,0,,${label}${c.lines.map(assText).join("\\N")}`,
      );
      cues.push({ start: c.start, end: cueEnd, text: (n === 0 && labels && line.speaker ? `${line.speaker}: ` : "") + c.text });
    });
  });
  const box = style.box === true ? "#00000099" : typeof style.box === "string" ? style.box : undefined;
  const ass = [
    "[Script Info]",
    "ScriptType: v4.00+",
    `PlayResX: ${opts.size.width}`,
    `PlayResY: ${opts.size.height}`,
    // 2 = no automatic wrapping: cues are wrapped above (libass cannot wrap CJK).
    "WrapStyle: 2",
    "ScaledBorderAndShadow: yes",
    "YCbCr Matrix: TV.601",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    // With BorderStyle 3, libass fills the box with OutlineColour.
    `Style: Default,${assField(family)},${m.fontSize},${assColour(style.color ?? "#FFFFFF")},&H000000FF,${box ? assColour(box, 0x99) : "&H00101010"},&H80000000,0,0,0,0,100,100,0,0,${m.borderStyle},${m.outline},${m.shadow},${m.alignment},${m.marginL},${m.marginR},${m.marginV},1`,
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ...events,
    "",
  ].join("\n");
  return { ass, srt: cuesToSrt(cues), cues, fontFamily: family, fast };
}

export function cuesToSrt(cues: readonly Cue[]): string {
  return cues
    .map((c, i) => `${i + 1}\n${srtTime(c.start)} --> ${srtTime(c.end)}\n${c.text.replace(/\r?\n\s*\n/g, "\n")}\n`)
    .join("\n");
}

export function parseSrt(srt: string): Cue[] {
  const cues: Cue[] = [];
  for (const block of srt.replace(/\r\n?/g, "\n").split(/\n\s*\n/)) {
    const lines = block.split("\n").filter((l, i) => i > 0 || l.trim() !== "");
    const at = lines.findIndex((l) => l.includes("-->"));
    if (at < 0) continue;
    const [a, b] = lines[at]!.split("-->");
    const start = parseSrtTime(a ?? "");
    const end = parseSrtTime(b ?? "");
    if (Number.isFinite(start) && Number.isFinite(end)) cues.push({ start, end, text: lines.slice(at + 1).join("\n").trimEnd() });
  }
  return cues;
}

/** The episode's SRT: each scene's cues shifted by where the scene starts. */
export function concatSrt(parts: readonly { readonly srt: string; readonly offset: number }[]): string {
  return cuesToSrt(parts.flatMap((p) => parseSrt(p.srt).map((c) => ({ ...c, start: c.start + p.offset, end: c.end + p.offset }))));
}
