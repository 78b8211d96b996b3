/**
 * Line wrapping for text drawn on 9:16 frames. Neither drawtext nor libass
 * wraps CJK (libass breaks only at spaces), so we wrap ourselves, estimating
 * widths in ems: CJK and full-width characters are one em, Latin about 0.6.
 */

const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** Characters that must not begin a line (CJK closing punctuation). */
const NO_LINE_START = /^[、。，．！？：；）」』】〉》〕’”…·~,.!?:;)\]}%]/u;

export function isWide(ch: string): boolean {
  return WIDE.test(ch);
}

export function hasCjk(text: string): boolean {
  return WIDE.test(text);
}

function charEm(ch: string): number {
  if (isWide(ch)) return 1;
  // Proportions of DejaVu Sans, a wide face: estimates err toward too wide.
  if (ch === " ") return 0.33;
  if (/[iIjl.,:;'|!]/.test(ch)) return 0.32;
  if (/[mwMW@%]/.test(ch)) return 0.98;
  if (/[A-Z0-9]/.test(ch)) return 0.74;
  return 0.63;
}

export function textWidthEm(text: string): number {
  let w = 0;
  for (const ch of text) w += charEm(ch);
  return w;
}

interface Token {
  readonly text: string;
  readonly spaceBefore: boolean;
}

function tokenize(paragraph: string): Token[] {
  const tokens: Token[] = [];
  let word = "";
  let space = false;
  const flush = () => {
    if (word) tokens.push({ text: word, spaceBefore: space });
    word = "";
    space = false;
  };
  for (const ch of paragraph) {
    if (/\s/.test(ch)) {
      flush();
      space = tokens.length > 0;
    } else if (isWide(ch)) {
      const s = word ? false : space;
      flush();
      tokens.push({ text: ch, spaceBefore: s });
    } else {
      word += ch;
    }
  }
  flush();
  return tokens;
}

/**
 * Split a line wider than `maxEm` (a long unbroken word) into line-sized
 * pieces. One em of slack lets a kept-back closing punctuation mark stay.
 */
function hardSplit(word: string, maxEm: number): string[] {
  if (textWidthEm(word) <= maxEm + 1) return [word];
  const parts: string[] = [];
  let cur = "";
  for (const ch of word) {
    if (cur && textWidthEm(cur + ch) > maxEm) {
      parts.push(cur);
      cur = "";
    }
    cur += ch;
  }
  if (cur) parts.push(cur);
  return parts;
}

/**
 * Wrap `text` into lines at most `maxEm` wide (estimated). Explicit newlines
 * are kept. With `maxLines`, the rest is cut and the last line ends in "…".
 */
export function wrapText(text: string, maxEm: number, maxLines = Infinity): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, "\n").split("\n")) {
    let line = "";
    for (const token of tokenize(paragraph.trim())) {
      const joined = line ? line + (token.spaceBefore ? " " : "") + token.text : token.text;
      if (!line || textWidthEm(joined) <= maxEm || NO_LINE_START.test(token.text)) {
        line = joined;
        continue;
      }
      lines.push(...hardSplit(line, maxEm));
      line = token.text;
    }
    lines.push(...(line ? hardSplit(line, maxEm) : [""]));
  }
  while (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] ?? "";
  while (last && textWidthEm(last + "…") > maxEm) last = [...last].slice(0, -1).join("");
  kept[maxLines - 1] = last.trimEnd() + "…";
  return kept;
}
