/**
 * A problem in a project file, as data: where (file, line, col, offset,
 * length), what is wrong, and what is allowed. Only the CLI prints them;
 * formatDiagnostics turns them into text with a short code frame.
 */
import path from "node:path";
import kleur from "kleur";

export type Severity = "error" | "warning";

export interface Diagnostic {
  /** Absolute path of the file the problem is in. */
  readonly file: string;
  /** 1-based line and column (UTF-16 code units, like editors count). */
  readonly line: number;
  readonly col: number;
  /** 0-based offset into the file's text, and how many characters to underline (>= 1). */
  readonly offset: number;
  readonly length: number;
  /** What is wrong, one line, never containing an environment variable's value. */
  readonly message: string;
  /** What would be accepted instead. */
  readonly allowed?: string;
  /** A stable machine-readable kind, e.g. `unknown-key`, `missing-file`. */
  readonly code: string;
  /** Errors make the project unusable; warnings are printed and the project loads. */
  readonly severity: Severity;
}

/** File path -> its text, for the code frames. A file missing here prints without a frame. */
export type Sources = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

export interface FormatOptions {
  readonly color: boolean;
  /** Paths are shown relative to this directory when inside it. Default: process.cwd(). */
  readonly cwd?: string;
}

function sourceOf(sources: Sources, file: string): string | undefined {
  if (sources instanceof Map) return sources.get(file) as string | undefined;
  return Object.prototype.hasOwnProperty.call(sources, file) ? (sources as Record<string, string>)[file] : undefined;
}

/** Wide (CJK, fullwidth) characters take two terminal columns; the underline must follow. */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Tabs are shown as a visible arrow padded to 4 columns, so the underline can line up with them. */
const TAB = "\u2192   ";

/** Blank padding that lines up under `text` on a terminal: wide characters count double. */
function padUnder(text: string): string {
  let pad = "";
  for (const ch of text) pad += ch === "\t" ? "    " : isWide(ch.codePointAt(0) ?? 0) ? "  " : " ";
  return pad;
}

function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += ch === "\t" ? 4 : isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

/** Control characters (binary garbage) would garble a terminal: show them as U+FFFD. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\ufffd");
}

const MAX_FRAME_LINE = 160;

/**
 * A key written literally (`api_key: sk-...`) must not reach a terminal or a
 * CI log through a code frame, even as the context line of another problem.
 * (`${VAR}` references are shown: they are names, not values.)
 */
function maskSecrets(line: string): string {
  return line.replace(/(\bapi_key\s*:\s*)(["']?)(?!\$\{)([^\s"',}#]+)/g, (_m, key: string, q: string, value: string) =>
    // Same length, so underlines later on the line stay aligned.
    `${key}${q}${"*".repeat(value.length)}`,
  );
}

function frame(source: string, d: Diagnostic, paint: Paint): string[] {
  const lines = source.split(/\r?\n/); // like yaml: a lone \r is not a line break
  const index = d.line - 1;
  if (index < 0 || index >= lines.length) return [];
  const first = Math.max(0, index - 1);
  const last = Math.min(lines.length - 1, index + 1);
  const gutter = String(last + 1).length;
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    let text = maskSecrets(printable(lines[i] ?? ""));
    if (text.length > MAX_FRAME_LINE) text = `${text.slice(0, MAX_FRAME_LINE)}…`;
    const num = String(i + 1).padStart(gutter);
    const marker = i === index ? paint.error(">") : " ";
    out.push(`${marker} ${paint.dim(`${num} |`)}${text ? ` ${text.replace(/\t/g, TAB)}` : ""}`);
    if (i === index) {
      const startCol = Math.min(d.col - 1, text.length);
      const before = text.slice(0, startCol);
      const underlined = text.slice(startCol, startCol + Math.max(1, d.length));
      const carets = "^".repeat(Math.max(1, displayWidth(underlined)));
      out.push(`  ${paint.dim(`${" ".repeat(gutter)} |`)} ${padUnder(before)}${paint.error(carets)}`);
    }
  }
  return out;
}

interface Paint {
  error(s: string): string;
  warning(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain: Paint = { error: (s) => s, warning: (s) => s, dim: (s) => s, bold: (s) => s };
const colored: Paint = {
  error: (s) => kleur.red().bold(s),
  warning: (s) => kleur.yellow().bold(s),
  dim: (s) => kleur.dim(s),
  bold: (s) => kleur.bold(s),
};

export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * `path:line:col: severity: message`, a 3-line code frame with an underline,
 * then `allowed: ...`; diagnostics separated by blank lines, ending with a
 * count. Returns text; printing is the caller's business.
 */
export function formatDiagnostics(diags: readonly Diagnostic[], sources: Sources, options: FormatOptions): string {
  const paint = options.color ? colored : plain;
  const cwd = options.cwd ?? process.cwd();
  const blocks = diags.map((d) => {
    const where = `${displayPath(d.file, cwd)}:${d.line}:${d.col}`;
    const label = d.severity === "warning" ? paint.warning("warning") : paint.error("error");
    const lines = [`${paint.bold(where)}: ${label}: ${printable(d.message)}`];
    const source = sourceOf(sources, d.file);
    if (source !== undefined) lines.push(...frame(source, d, paint));
    if (d.allowed) lines.push(`  ${paint.dim("allowed:")} ${printable(d.allowed)}`);
    return lines.join("\n");
  });
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  const counts = [errors ? `${errors} error${errors === 1 ? "" : "s"}` : "", warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : ""]
    .filter(Boolean)
    .join(", ");
  return blocks.length ? `${blocks.join("\n\n")}\n\n${counts}\n` : "";
}
