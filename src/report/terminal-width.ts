/**
 * How many terminal columns text takes: wide and full-width characters (CJK,
 * kana, hangul, full-width forms) two, combining marks and invisible format
 * characters none, everything else one. The live block redraws in place by
 * counting lines, so a line that wraps because `.length` undercounts CJK would
 * leave a stray line behind on every redraw.
 *
 * get-east-asian-width (Unicode's EastAsianWidth table) rather than
 * string-width: string-width also measures emoji sequences, but its regexes
 * cost ~45 ms of CPU to load (measured: import of string-width vs kleur, cold
 * processes), and this module loads on every `dramake build`, the no-op too;
 * get-east-asian-width loads in no measurable time.
 */
import { eastAsianWidth } from "get-east-asian-width";

const INVISIBLE = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]$/u;

function charColumns(ch: string): number {
  return INVISIBLE.test(ch) ? 0 : eastAsianWidth(ch.codePointAt(0)!);
}

export function columns(text: string): number {
  let n = 0;
  for (const ch of text) n += charColumns(ch);
  return n;
}

/** `text` cut to at most `max` columns, ending in `…` when cut. */
export function fitColumns(text: string, max: number): string {
  if (columns(text) <= max) return text;
  let out = "";
  let used = 0;
  for (const ch of text) {
    const w = charColumns(ch);
    if (used + w > max - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}
