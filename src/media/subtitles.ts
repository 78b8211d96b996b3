/**
 * Subtitles for a scene (ASS for burning in with libass, SRT for players) and
 * the episode-wide SRT joined from the scenes' SRTs. Pure text functions.
 */
import type { Size } from "./size.js";
import type { LineTiming } from "./audio.js";
import { assField, assText } from "./escape.js";
import { findFonts, fontFor, type Fonts } from "./fonts.js";
import { hasCjk, wrapText } from "./text-layout.js";

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

export interface SubtitleOptions {
  readonly language: string;
  readonly size: Size;
  /** Show the speaker's name above each line (default true). */
  readonly speakerLabels?: boolean;
  readonly fonts?: Fonts;
}

export interface Subtitles {
  readonly ass: string;
  readonly srt: string;
  readonly cues: readonly Cue[];
  /** The family the ASS style names (the CJK font for CJK text). */
  readonly fontFamily: string;
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

/** Layout numbers shared by the ASS style and the wrapping that must agree with it. */
export function subtitleMetrics(size: Size) {
  const fontSize = Math.max(10, Math.round(size.height * 0.036));
  const margin = Math.round(size.width * 0.07);
  return {
    fontSize,
    labelSize: Math.max(8, Math.round(fontSize * 0.7)),
    marginH: margin,
    marginV: Math.round(size.height * 0.09),
    outline: Math.max(1, Math.round(fontSize / 14)),
    wrapEm: (size.width - 2 * margin) / fontSize,
  };
}

export function writeSubtitles(
  lines: readonly SubtitleLine[],
  timings: readonly LineTiming[],
  opts: SubtitleOptions,
): Subtitles {
  const fonts = opts.fonts ?? findFonts();
  const labels = opts.speakerLabels ?? true;
  const m = subtitleMetrics(opts.size);
  const allText = lines.map((l) => l.text + l.speaker).join("") + (/^(zh|ja|ko|yue|cmn)/i.test(opts.language) ? "中" : "");
  const family = fontFor(hasCjk(allText) ? "中" : "a", fonts)?.family ?? "Sans";
  const cues: Cue[] = [];
  const events: string[] = [];
  const ordered = [...timings].sort((a, b) => a.start - b.start);
  ordered.forEach((t, k) => {
    const line = lines[t.index];
    if (!line) return;
    const next = ordered[k + 1];
    const end = Math.max(t.start + 0.2, next ? Math.min(t.end + HOLD, next.start - 0.01) : t.end + HOLD);
    const wrapped = wrapText(line.text, m.wrapEm, 3);
    const label = labels && line.speaker ? `{\\fs${m.labelSize}\\c&H7FE6FF&}${assText(line.speaker)}{\\r}\\N` : "";
    events.push(
      `Dialogue: 0,${assTime(t.start)},${assTime(end)},Default,${assField(line.speaker)},0,0,0,,${label}${wrapped.map(assText).join("\\N")}`,
    );
    cues.push({ start: t.start, end, text: (labels && line.speaker ? `${line.speaker}: ` : "") + line.text });
  });
  const ass = [
    "[Script Info]",
    "ScriptType: v4.00+",
    `PlayResX: ${opts.size.width}`,
    `PlayResY: ${opts.size.height}`,
    // 2 = no automatic wrapping: lines are wrapped above (libass cannot wrap CJK).
    "WrapStyle: 2",
    "ScaledBorderAndShadow: yes",
    "YCbCr Matrix: TV.601",
    "",
    "[V4+ Styles]",
    "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
    `Style: Default,${assField(family)},${m.fontSize},&H00FFFFFF,&H000000FF,&H00101010,&H80000000,0,0,0,0,100,100,0,0,1,${m.outline},${Math.max(0, m.outline - 1)},2,${m.marginH},${m.marginH},${m.marginV},1`,
    "",
    "[Events]",
    "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text",
    ...events,
    "",
  ].join("\n");
  return { ass, srt: cuesToSrt(cues), cues, fontFamily: family };
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
