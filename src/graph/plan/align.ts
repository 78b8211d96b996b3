/**
 * Subtitles for native dialogue (issue 29): the script's words, timed by
 * what the video model actually said. The script's words of a shot are
 * aligned to the transcribed words (edit distance over tokens: a match or a
 * substitution carries the transcribed time), so each script line gets a
 * start and an end inside its shot, and a line where the model said
 * something else is reported with what it said (the graph warns at the
 * line's file:line:col; the storyboard shows it).
 *
 * Tokens are compared case- and punctuation-insensitively (NFKC, so
 * full-width forms match); Chinese, Japanese kana and the like have no
 * spaces, so each such character is a token, and a transcribed "word" of
 * several characters shares its time among them. Pure: no I/O, no clock.
 */

export interface ScriptLine {
  readonly text: string;
}

export interface SpokenWord {
  readonly word: string;
  /** Seconds from the shot's start. */
  readonly start: number;
  readonly end: number;
}

export interface AlignedLine {
  /** Index into the script lines. */
  readonly index: number;
  readonly start: number;
  readonly end: number;
  /** Share of the line's tokens said as written, 0..1. */
  readonly matched: number;
  /** What the model said for this line (the transcribed words), "" when nothing. */
  readonly said: string;
  /** True when the model said something else (a word changed, left out or added), or nothing. */
  readonly differs: boolean;
  /** True when no spoken word fell to this line: its times are only interpolated. */
  readonly unheard: boolean;
}

export interface Alignment {
  readonly lines: readonly AlignedLine[];
  /** The lines that differ, in order: what a warning names. */
  readonly differing: readonly AlignedLine[];
}

interface Token {
  readonly norm: string;
  /** Script: the line. Spoken: the word. */
  readonly owner: number;
  readonly start: number;
  readonly end: number;
}

/** One character per token: Han, kana, and the CJK punctuation-free blocks read without spaces. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Normalized tokens of a text: lowercase, no punctuation or symbols, CJK by character. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const chunk of text.normalize("NFKC").toLowerCase().split(/\s+/)) {
    let word = "";
    // An apostrophe joins (I'm, don't: one token either way it is written); other punctuation separates.
    for (const ch of chunk.replace(/['\u2019]/g, "").replace(/[\p{P}\p{S}]/gu, " ")) {
      if (CJK.test(ch)) {
        if (word) out.push(word);
        word = "";
        out.push(ch);
      } else if (ch === " ") {
        if (word) out.push(word);
        word = "";
      } else word += ch;
    }
    if (word) out.push(word);
  }
  return out;
}

function scriptTokens(lines: readonly ScriptLine[]): Token[] {
  return lines.flatMap((l, i) => tokens(l.text).map((norm) => ({ norm, owner: i, start: 0, end: 0 })));
}

/** A word's tokens share its span evenly (a transcribed "word" of four Han characters). */
function spokenTokens(words: readonly SpokenWord[]): Token[] {
  return words.flatMap((w, i) => {
    const parts = tokens(w.word);
    const step = parts.length ? (w.end - w.start) / parts.length : 0;
    return parts.map((norm, k) => ({ norm, owner: i, start: w.start + k * step, end: w.start + (k + 1) * step }));
  });
}

type Step = { readonly kind: "match" | "sub"; readonly s: number; readonly t: number } | { readonly kind: "del"; readonly s: number } | { readonly kind: "ins"; readonly t: number };

/** Levenshtein over tokens with the path: match 0, substitution, deletion, insertion 1 each. */
function editPath(a: readonly Token[], b: readonly Token[]): Step[] {
  const n = a.length;
  const m = b.length;
  const d = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = 0; i <= n; i++) d[i]![0] = i;
  for (let j = 0; j <= m; j++) d[0]![j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = a[i - 1]!.norm === b[j - 1]!.norm ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j - 1]! + same, d[i - 1]![j]! + 1, d[i]![j - 1]! + 1);
    }
  }
  const path: Step[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    if (i > 0 && j > 0) {
      const same = a[i - 1]!.norm === b[j - 1]!.norm;
      if (d[i]![j] === d[i - 1]![j - 1]! + (same ? 0 : 1)) {
        path.push({ kind: same ? "match" : "sub", s: i - 1, t: j - 1 });
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && d[i]![j] === d[i - 1]![j]! + 1) {
      path.push({ kind: "del", s: i - 1 });
      i--;
    } else {
      path.push({ kind: "ins", t: j - 1 });
      j--;
    }
  }
  return path.reverse();
}

/**
 * Each script line's span inside its shot (0..shotSeconds), from the spoken
 * words; `differing` lists the lines where the model said something else.
 */
export function alignLines(lines: readonly ScriptLine[], words: readonly SpokenWord[], shotSeconds: number): Alignment {
  const s = scriptTokens(lines);
  const t = spokenTokens(words);
  const path = editPath(s, t);
  const per = lines.map(() => ({ start: Infinity, end: -Infinity, matched: 0, edits: 0, words: new Set<number>() }));
  // An added word belongs to the line of the script token before it (the line being spoken), else the first line.
  let current = 0;
  for (const step of path) {
    if (step.kind === "ins") {
      const tok = t[step.t]!;
      const line = per[current];
      if (!line) continue;
      line.edits++;
      line.words.add(tok.owner);
      line.start = Math.min(line.start, tok.start);
      line.end = Math.max(line.end, tok.end);
      continue;
    }
    current = s[step.s]!.owner;
    const line = per[current]!;
    if (step.kind === "del") {
      line.edits++;
      continue;
    }
    const tok = t[step.t]!;
    if (step.kind === "match") line.matched++;
    else line.edits++;
    line.words.add(tok.owner);
    line.start = Math.min(line.start, tok.start);
    line.end = Math.max(line.end, tok.end);
  }

  const clamp = (x: number) => Math.min(Math.max(x, 0), shotSeconds);
  const heard = per.map((p) => Number.isFinite(p.start));
  const out: AlignedLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const p = per[i]!;
    const count = tokens(lines[i]!.text).length;
    let start: number;
    let end: number;
    if (heard[i]) {
      start = clamp(p.start);
      end = clamp(p.end);
    } else {
      // Nothing heard for it: the gap between its neighbours' speech (or the shot's edges),
      // shared by a run of unheard lines in proportion to their words.
      const before = clamp(out[i - 1]?.end ?? 0);
      const nextHeard = per.findIndex((_, k) => k > i && heard[k]);
      const runEnd = nextHeard >= 0 ? nextHeard : lines.length;
      const after = Math.max(before, nextHeard >= 0 ? clamp(per[nextHeard]!.start) : shotSeconds);
      const weight = (k: number) => Math.max(1, tokens(lines[k]!.text).length);
      let left = 0;
      for (let k = i; k < runEnd; k++) left += weight(k);
      start = before;
      end = before + ((after - before) * weight(i)) / left;
    }
    // Lines follow one another: a cue never starts before the previous one ends.
    const prevEnd = out[i - 1]?.end ?? 0;
    if (start < prevEnd) start = Math.min(prevEnd, end);
    const said = [...p.words].sort((a, b) => a - b).map((w) => words[w]!.word).join(" ");
    const differs = !heard[i] || p.edits > 0 || p.matched < count;
    out.push({ index: i, start, end: Math.max(start, end), matched: count ? p.matched / count : 1, said, differs, unheard: !heard[i] });
  }
  return { lines: out, differing: out.filter((l) => l.differs) };
}
