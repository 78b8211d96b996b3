/**
 * Splitting one spoken line into subtitle cues. A subtitle may be long; it
 * may never be cut: the cues are consecutive slices of the line's text that
 * cover it exactly (no word dropped, no ellipsis added), each small enough to
 * sit on screen in `maxLines` lines, broken at punctuation where it can, else
 * between words (Latin) or characters (CJK), never inside a word, and timed
 * inside the line's voice by how long each takes to read. Pure functions.
 */
import { isWide, textWidthEm } from "./text-layout.js";

/** What a project may change (`subtitles: { cps, max_lines, max_chars }`). */
export interface ReadingSettings {
  /** Characters per second a viewer reads, in the project language's script. */
  readonly cps?: number;
  /** Text lines per cue (a speaker label above is not counted). */
  readonly maxLines?: number;
  /** Characters per text line, in the project language's script. */
  readonly maxChars?: number;
}

/**
 * Defaults per script. CJK: 9 characters per second and 16 per line
 * (Netflix's Simplified Chinese timed-text guide for adult programmes).
 * Latin: 42 per line (Netflix's English guide) and 17 per second (Netflix's
 * rate for children's programmes rather than its adult 20, because these
 * play on phones, fast, over a picture). Two lines per cue for both.
 */
export const READING_DEFAULTS = {
  latin: { cps: 17, maxChars: 42 },
  cjk: { cps: 9, maxChars: 16 },
  maxLines: 2,
} as const;

/** A cue never stays longer than this (Netflix's maximum event duration): a longer line is split further. */
export const MAX_CUE_SECONDS = 7;

export interface Reading {
  readonly cps: { readonly latin: number; readonly cjk: number };
  readonly maxChars: { readonly latin: number; readonly cjk: number };
  readonly maxLines: number;
}

const CJK_LANGUAGE = /^(zh|ja|ko|yue|cmn|wuu|hak|nan)\b/i;

/** The settings for a language: the project's numbers apply to its own script, the defaults to the other. */
export function readingFor(language: string, s: ReadingSettings = {}): Reading {
  const own = CJK_LANGUAGE.test(language) ? "cjk" : "latin";
  const cps = { latin: READING_DEFAULTS.latin.cps as number, cjk: READING_DEFAULTS.cjk.cps as number };
  const maxChars = { latin: READING_DEFAULTS.latin.maxChars as number, cjk: READING_DEFAULTS.cjk.maxChars as number };
  if (s.cps !== undefined) cps[own] = s.cps;
  if (s.maxChars !== undefined) maxChars[own] = s.maxChars;
  return { cps, maxChars, maxLines: s.maxLines ?? READING_DEFAULTS.maxLines };
}

/** Characters of each script in `text` (spaces count as Latin, as reading-speed guides count them). */
export function scriptCounts(text: string): { latin: number; cjk: number } {
  let latin = 0;
  let cjk = 0;
  for (const ch of text.trim()) {
    if (isWide(ch)) cjk++;
    else latin++;
  }
  return { latin, cjk };
}

/** Seconds a viewer needs to read `text` at the reading speeds. */
export function readingSeconds(text: string, r: Reading): number {
  const c = scriptCounts(text);
  return c.latin / r.cps.latin + c.cjk / r.cps.cjk;
}

/** Where a line of a cue is full: its characters (per script) and its width on the frame. */
export interface LineRoom {
  readonly maxChars: Reading["maxChars"];
  /** Width available, in ems of the subtitle font (see text-layout's estimates). */
  readonly widthEm: number;
}

function fitsLine(text: string, room: LineRoom): boolean {
  const c = scriptCounts(text);
  return c.latin / room.maxChars.latin + c.cjk / room.maxChars.cjk <= 1 + 1e-9 && textWidthEm(text.trim()) <= room.widthEm + 1e-9;
}

/** An unbreakable piece of the line: a word with its trailing spaces, or a CJK character with its punctuation. */
interface Atom {
  readonly from: number;
  readonly to: number;
  /** How good a break after this atom is: 3 sentence end, 2 clause, 1 word or character boundary. */
  readonly strength: number;
}

const SENTENCE_END = /[.!?。！？…‼⁇⁈⁉][\s"'”’」』）)\]]*$/u;
const CLAUSE_END = /[,;:，、；：—–][\s"'”’」』）)\]]*$/u;
/** Closing marks that stay with the character before them (a CJK line never starts with one). */
const CLOSING = /^[、。，．！？：；）」』】〉》〕’”…·,.!?:;)\]}%~]$/u;
/** Opening marks that stay with the character after them. */
const OPENING = /^[（「『【〈《〔‘“(\[{]$/u;

function atomsOf(text: string): Atom[] {
  const spans: { from: number; to: number }[] = [];
  const chars = [...text];
  let at = 0;
  let i = 0;
  let pendingOpen = -1;
  const push = (from: number, to: number) => spans.push({ from, to });
  while (i < chars.length) {
    const ch = chars[i]!;
    if (/\s/.test(ch)) {
      // Whitespace belongs to the atom before it (the first atom takes leading whitespace).
      if (spans.length > 0) spans[spans.length - 1]!.to += ch.length;
      else if (pendingOpen < 0) pendingOpen = at;
      at += ch.length;
      i++;
      continue;
    }
    const start = pendingOpen >= 0 ? pendingOpen : at;
    pendingOpen = -1;
    if (OPENING.test(ch)) {
      // An opening mark joins what follows it.
      pendingOpen = start;
      at += ch.length;
      i++;
      continue;
    }
    if (isWide(ch)) {
      // A wide character is an atom, with the closing marks after it.
      let end = at + ch.length;
      let j = i + 1;
      while (j < chars.length && CLOSING.test(chars[j]!)) end += chars[j++]!.length;
      push(start, end);
      at = end;
      i = j;
      continue;
    }
    // A run of narrow, non-space characters: one word (its punctuation included).
    let end = at;
    let j = i;
    while (j < chars.length && !/\s/.test(chars[j]!) && !isWide(chars[j]!)) end += chars[j++]!.length;
    // Closing CJK punctuation right after a Latin word stays with it.
    while (j < chars.length && CLOSING.test(chars[j]!)) end += chars[j++]!.length;
    push(start, end);
    at = end;
    i = j;
  }
  if (pendingOpen >= 0) {
    if (spans.length > 0) spans[spans.length - 1]!.to = text.length;
    else push(pendingOpen, text.length);
  }
  return spans.map((s) => {
    const t = text.slice(s.from, s.to);
    return { ...s, strength: SENTENCE_END.test(t) ? 3 : CLAUSE_END.test(t) ? 2 : 1 };
  });
}

/**
 * The display lines of one piece of text: greedy, at atom boundaries; an atom
 * wider than a whole line (a very long word) is split by characters there,
 * the only place a word is ever broken, and only across display lines.
 */
export function wrapCue(text: string, room: LineRoom): string[] {
  const atoms = atomsOf(text);
  const lines: string[] = [];
  let cur = "";
  const hardSplit = (piece: string) => {
    let part = "";
    for (const ch of piece) {
      if (part && !fitsLine(part + ch, room)) {
        lines.push(part.trim());
        part = "";
      }
      part += ch;
    }
    return part;
  };
  for (const a of atoms) {
    const piece = text.slice(a.from, a.to);
    if (!cur || fitsLine(cur + piece, room)) {
      cur = fitsLine(cur + piece, room) ? cur + piece : hardSplit(cur + piece);
      continue;
    }
    lines.push(cur.trim());
    cur = fitsLine(piece, room) ? piece : hardSplit(piece);
  }
  if (cur.trim() || lines.length === 0) lines.push(cur.trim());
  return lines;
}

export interface LineCue {
  /** Offsets into the line's text: the cues' [from, to) cover it exactly, in order. */
  readonly from: number;
  readonly to: number;
  /** The slice without its surrounding spaces. */
  readonly text: string;
  /** Its display lines (joined with newlines on screen). */
  readonly lines: readonly string[];
  readonly start: number;
  readonly end: number;
}

export interface SplitLine {
  readonly cues: readonly LineCue[];
  /** Characters per second the viewer must read at (the line's reading time over its window): over 1 means faster than `cps`. */
  readonly pace: number;
}

/**
 * Split `text` into cues shown within [start, end] (the line's voice, plus
 * any hold the caller allows). Each cue fits `maxLines` display lines; a
 * line longer than MAX_CUE_SECONDS on screen is split further; cues share the
 * window in proportion to their reading time, so each stays up while its
 * words are spoken and as long, relative to the others, as it takes to read.
 */
export function splitLine(text: string, window: { start: number; end: number }, reading: Reading, room: LineRoom): SplitLine {
  const atoms = atomsOf(text);
  if (atoms.length === 0) return { cues: [], pace: 0 };
  const fits = (i: number, j: number) => wrapCue(text.slice(atoms[i]!.from, atoms[j - 1]!.to), room).length <= reading.maxLines;
  // Greedy longest cues, then each break moved back to the strongest break in the cue's second half.
  const bounds: number[] = [0];
  let i = 0;
  while (i < atoms.length) {
    let j = i + 1;
    while (j < atoms.length && fits(i, j + 1)) j++;
    if (j < atoms.length) {
      let best = j;
      const full = readingSeconds(text.slice(atoms[i]!.from, atoms[j - 1]!.to), reading);
      for (let k = j - 1; k > i; k--) {
        const here = readingSeconds(text.slice(atoms[i]!.from, atoms[k - 1]!.to), reading);
        if (here < full * 0.5) break;
        if (atoms[k - 1]!.strength > atoms[best - 1]!.strength) best = k;
      }
      j = best;
    }
    bounds.push(j);
    i = j;
  }
  // A line on screen longer than MAX_CUE_SECONDS is split further: the longest cue at its strongest break nearest its middle.
  const span = Math.max(0, window.end - window.start);
  const wanted = Math.ceil(span / MAX_CUE_SECONDS - 1e-9);
  while (bounds.length - 1 < wanted) {
    let longest = -1;
    let longestSeconds = 0;
    for (let c = 0; c + 1 < bounds.length; c++) {
      if (bounds[c + 1]! - bounds[c]! < 2) continue;
      const s = readingSeconds(text.slice(atoms[bounds[c]!]!.from, atoms[bounds[c + 1]! - 1]!.to), reading);
      if (s > longestSeconds) [longest, longestSeconds] = [c, s];
    }
    if (longest < 0) break;
    const a = bounds[longest]!;
    const b = bounds[longest + 1]!;
    let best = -1;
    let bestScore = -Infinity;
    for (let k = a + 1; k < b; k++) {
      const before = readingSeconds(text.slice(atoms[a]!.from, atoms[k - 1]!.to), reading);
      const balance = Math.abs(before / longestSeconds - 0.5);
      const score = atoms[k - 1]!.strength - balance * 6;
      if (score > bestScore) [best, bestScore] = [k, score];
    }
    bounds.splice(longest + 1, 0, best);
  }
  // An orphan (a last cue of a word or two after a full one) flashes by: move the break back to
  // share the words more evenly, where both halves still fit and a break as good is found.
  const seconds = (a: number, b: number) => readingSeconds(text.slice(atoms[a]!.from, atoms[b - 1]!.to), reading);
  for (let c = 0; c + 2 < bounds.length; c++) {
    const [a, m, b] = [bounds[c]!, bounds[c + 1]!, bounds[c + 2]!];
    if (seconds(m, b) >= 0.3 * seconds(a, m)) continue;
    let best = m;
    let bestScore = -Infinity;
    for (let k = m - 1; k > a; k--) {
      if (!fits(k, b)) break;
      const [x, y] = [seconds(a, k), seconds(k, b)];
      // Neither half may become the orphan; among balanced breaks the strongest, then the most even.
      if (Math.min(x, y) < 0.35 * Math.max(x, y)) continue;
      const score = atoms[k - 1]!.strength - Math.abs(x - y) / (x + y);
      if (score > bestScore) [best, bestScore] = [k, score];
    }
    bounds[c + 1] = best;
  }
  const pieces = bounds.slice(0, -1).map((a, c) => {
    const from = c === 0 ? 0 : atoms[a]!.from;
    const to = c === bounds.length - 2 ? text.length : atoms[bounds[c + 1]!]!.from;
    return { from, to, text: text.slice(from, to).trim() };
  });
  const weights = pieces.map((p) => Math.max(readingSeconds(p.text, reading), 1e-3));
  const total = weights.reduce((x, y) => x + y, 0);
  let t = window.start;
  const cues = pieces.map((p, c) => {
    const start = t;
    const end = c === pieces.length - 1 ? window.end : window.start + (span * weights.slice(0, c + 1).reduce((x, y) => x + y, 0)) / total;
    t = end;
    return { ...p, lines: wrapCue(p.text, room), start, end };
  });
  return { cues, pace: span > 0 ? readingSeconds(text, reading) / span : Infinity };
}
