/**
 * Quoting for the three little languages ffmpeg work passes text through.
 * A filtergraph string is parsed twice: first the graph parser splits filters
 * (where `[ ] , ;` and quotes are special), then each filter splits its
 * `key=value` options (where `:` and quotes are special). A value that must
 * survive both is quoted for the option level, then escaped for the graph level.
 */

/** Option level: single-quote everything; a quote itself is closed, escaped, reopened. */
function quoteOption(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Graph level: backslash the graph parser's specials so it passes them on untouched. */
function escapeGraph(text: string): string {
  return text.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/**
 * A literal value (text, file path) to write after `key=` inside a filtergraph
 * passed as one argument to -filter_complex / -vf. Safe for quotes, colons,
 * backslashes, commas, brackets, `%` (with drawtext `expansion=none`) and newlines.
 */
export function filterValue(value: string): string {
  return escapeGraph(quoteOption(value));
}

/** A path inside a concat demuxer list (`file '...'`). */
export function concatListPath(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Text for an ASS Dialogue event. Braces would open override blocks, so they
 * are escaped (`\{`, which libass draws as a brace); a backslash could start
 * `\N`, `\h` or an escaped brace, so a zero-width word joiner follows each one
 * (libass then draws it as is); newlines become the ASS hard break `\N`.
 */
export function assText(text: string): string {
  return text
    .replace(/\\/g, "\\\u2060")
    .replace(/[{}]/g, (c) => `\\${c}`)
    .replace(/\r?\n/g, "\\N");
}

/** A field of an ASS Style/Dialogue line other than the last: commas separate fields. */
export function assField(text: string): string {
  return text.replace(/[,\r\n]/g, " ");
}
