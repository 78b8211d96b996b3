/**
 * The parsed YAML with its positions: turns a value path such as
 * ["scenes", 2, "lines", 0, "grandpa"] back into the characters a writer
 * typed, so every diagnostic can point at them.
 */
import { LineCounter, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import type { Diagnostic, Severity } from "./diagnostic.js";

export interface SourceFile {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export type PathSegment = string | number;

export interface Span {
  readonly offset: number;
  readonly length: number;
}

export interface Problem {
  readonly message: string;
  readonly code: string;
  readonly allowed?: string | undefined;
  readonly severity?: Severity;
}

/**
 * The document is parsed when first asked for: a project whose data comes
 * from the parse cache (parse-cache.ts) parses it only to place a diagnostic.
 * Own enumerable getters, so `{ ...src }` still carries `doc` and `lines`.
 */
export function parseSource(file: string, text: string): SourceFile {
  let parsed: { doc: Document.Parsed; lines: LineCounter } | undefined;
  const parse = () => {
    if (parsed) return parsed;
    const lines = new LineCounter();
    // merge: writers share voice or provider settings with `<<: *anchor`.
    // logLevel "error": the library would print its warnings (a map used as a
    // key) through process.emitWarning; yaml-problems.ts reports them as diagnostics.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true, logLevel: "error" });
    parsed = { doc, lines };
    return parsed;
  };
  return {
    file,
    text,
    get doc() {
      return parse().doc;
    },
    get lines() {
      return parse().lines;
    },
  };
}

/**
 * The same file seen from a node inside it: paths start there. An episode
 * written inline under `episodes:` is checked with the same code as an
 * episode file, and its diagnostics still point into this file.
 */
export function rootedSource(src: SourceFile, path: readonly PathSegment[]): SourceFile {
  if (path.length === 0) return src;
  const node = src.doc.getIn(path, true);
  // A document whose contents is the node; anchors and everything else are the real document's.
  const doc = Object.create(src.doc, { contents: { value: isNode(node) ? node : null } }) as Document.Parsed;
  return { ...src, doc };
}

/** A span cut to the end of its first line: a frame shows one line. */
function clip(text: string, start: number, end: number): Span {
  const offset = Math.max(0, Math.min(start, text.length));
  const newline = text.indexOf("\n", offset);
  const lineEnd = newline === -1 ? text.length : newline;
  const stop = Math.min(Math.max(end, offset + 1), lineEnd > offset ? lineEnd : offset + 1);
  return { offset, length: Math.max(1, stop - offset) };
}

function spanOf(src: SourceFile, node: Node): Span | undefined {
  const range = node.range;
  if (!range) return undefined;
  return clip(src.text, range[0], range[1]);
}

interface Located {
  /** The deepest node reached and the key node it hangs from (undefined for sequence items and the root). */
  readonly node: Node | null;
  readonly key: Node | undefined;
  /** True when the whole path was found. */
  readonly complete: boolean;
}

function resolveAlias(src: SourceFile, node: unknown): unknown {
  // Cycles cannot happen (an alias refers to an earlier anchor), but cap anyway.
  for (let i = 0; i < 16 && isAlias(node); i++) node = node.resolve(src.doc);
  return node;
}

function locate(src: SourceFile, path: readonly PathSegment[]): Located {
  let node: unknown = src.doc.contents;
  let key: Node | undefined;
  for (const segment of path) {
    node = resolveAlias(src, node);
    if (isMap(node)) {
      // `*name: value` is a key too: the alias stands for its anchor's text.
      const pair = node.items.find((p) => {
        const k = resolveAlias(src, p.key);
        return isScalar(k) && String(k.value) === String(segment);
      });
      if (!pair) return { node: node as Node, key, complete: false };
      key = isNode(pair.key) ? pair.key : undefined;
      node = pair.value;
      if (!isNode(node)) return { node: null, key, complete: true };
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (!isNode(item)) return { node: node as Node, key, complete: false };
      node = item;
      key = undefined;
    } else {
      return { node: isNode(node) ? node : null, key, complete: false };
    }
  }
  return { node: isNode(node) ? node : null, key, complete: true };
}

/**
 * Where to underline for a path. `key` points at a map key (unknown keys,
 * bad ids); `value` at the value, except that a missing, empty or block
 * value is shown at its key, which is where the writer looks.
 */
export function spanAt(src: SourceFile, path: readonly PathSegment[], target: "key" | "value"): Span {
  const found = locate(src, path);
  const keySpan = found.key ? spanOf(src, found.key) : undefined;
  // A missing key is reported at the map that should hold it: its own key if it has one.
  if ((target === "key" || !found.complete) && keySpan) return keySpan;
  const node = found.node;
  if (node) {
    const isEmpty = isScalar(node) && (node.value === null || node.value === "") && node.range && node.range[0] === node.range[1];
    const isBlock = (isMap(node) || isSeq(node)) && !node.flow;
    if ((isEmpty || isBlock) && keySpan) return keySpan;
    const span = spanOf(src, node);
    if (span) return span;
  }
  if (keySpan) return keySpan;
  return clip(src.text, firstContentOffset(src.text), firstContentOffset(src.text) + 1);
}

/** Skip leading comments and blank lines, so a whole-file problem points at real content. */
function firstContentOffset(text: string): number {
  const match = /^(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*/.exec(text);
  const offset = match ? match[0].length : 0;
  return offset < text.length ? offset : 0;
}

export function diagnosticAtSpan(src: Pick<SourceFile, "file" | "lines">, span: Span, problem: Problem): Diagnostic {
  const { line, col } = src.lines.linePos(span.offset);
  return {
    file: src.file,
    line: Math.max(1, line),
    col: Math.max(1, col),
    offset: span.offset,
    length: span.length,
    message: problem.message,
    ...(problem.allowed ? { allowed: problem.allowed } : {}),
    code: problem.code,
    severity: problem.severity ?? "error",
  };
}

export function diagnosticAt(src: SourceFile, path: readonly PathSegment[], target: "key" | "value", problem: Problem): Diagnostic {
  return diagnosticAtSpan(src, spanAt(src, path, target), problem);
}

/** A problem with the file as a whole (unreadable, too large): line 1, col 1, no parse needed. */
export function fileDiagnostic(file: string, problem: Problem, position: { line: number; col: number; offset: number } = { line: 1, col: 1, offset: 0 }): Diagnostic {
  return {
    file,
    ...position,
    length: 1,
    message: problem.message,
    ...(problem.allowed ? { allowed: problem.allowed } : {}),
    code: problem.code,
    severity: problem.severity ?? "error",
  };
}

/**
 * `{ style: bright, defiant }`: inside { } a comma ends an entry, so YAML
 * reads `defiant` as a key without a value and the text before the comma as
 * the previous entry's whole value. When `path` names such a valueless key,
 * says what the writer most likely meant: the previous value with the rest,
 * quoted.
 */
export function flowCommaSplit(src: SourceFile, path: readonly PathSegment[]): { readonly previous: string; readonly value: string; readonly joined: string } | undefined {
  const key = path[path.length - 1];
  if (typeof key !== "string") return undefined;
  const parent = src.doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent) || !parent.flow) return undefined;
  const index = parent.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
  const pair = parent.items[index];
  const before = parent.items[index - 1];
  if (!pair || !before || !isScalar(pair.key) || pair.key.type !== "PLAIN") return undefined;
  const valueless = pair.value === null || (isScalar(pair.value) && pair.value.value === null && src.text.slice(pair.key.range?.[1] ?? 0).trimStart()[0] !== ":");
  if (!valueless || !isScalar(before.key) || !isScalar(before.value) || before.value.type !== "PLAIN" || before.value.value === null) return undefined;
  const value = String(before.value.source ?? before.value.value);
  return { previous: String(before.key.value), value, joined: `${value}, ${key}` };
}
