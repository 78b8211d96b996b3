/**
 * In-place edits of a YAML project file that keep everything a person wrote.
 *
 * `yaml`'s Document.toString() re-prints the whole file (comment alignment,
 * blank lines and quoting change), so an edit here is a splice instead: the
 * Document API finds the node and its source range, the new node alone is
 * printed by `yaml`, and only those characters enter the text. Every byte
 * outside the edited or added node stays as it was, and a `git diff` of an
 * added scene or a changed `take:` shows just that.
 *
 * Each edit is checked by parsing the result again and reading the value
 * back, so a splice that would not mean what was asked is an error, never a
 * silently wrong file.
 */
import { link, readFile, rename, rm, writeFile } from "node:fs/promises";
import { Document, isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from "yaml";
import { tempBeside } from "../atomic.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";

export type YamlPath = readonly (string | number)[];

export type YamlEdit =
  /** Replace the value at `path`, or create it (and any missing maps on the way). */
  | { readonly kind: "set"; readonly path: YamlPath; readonly value: unknown }
  /** Add keys to the map at `path` (created if missing); a key already there is an error. */
  | { readonly kind: "add"; readonly path: YamlPath; readonly entries: Readonly<Record<string, unknown>>; readonly comment?: string }
  /** Append items to the sequence at `path` (created if missing). */
  | { readonly kind: "append"; readonly path: YamlPath; readonly items: readonly unknown[]; readonly comment?: string };

export interface EditProblem {
  readonly code: "yaml-error" | "not-a-map" | "not-a-sequence" | "exists" | "bad-path" | "alias" | "unverified" | "changed" | "io";
  readonly message: string;
  readonly path: YamlPath;
}

const INDENT = 2;

const pathText = (path: YamlPath) => (path.length ? path.map(String).join(".") : "(the document)");
const problem = (code: EditProblem["code"], path: YamlPath, message: string): EditProblem => ({ code, path, message });

interface Text {
  readonly text: string;
  /** "\r\n" when the file uses it: added lines match the writer's line ends. */
  readonly eol: string;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

/** Where a line's content ends: before its "\n" (or "\r\n"), or the end of the text. */
function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf("\n", pos);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === "\r" ? nl - 1 : nl;
}

const column = (text: string, pos: number) => pos - lineStart(text, pos);

/**
 * The end of the last line that belongs to a block collection whose items
 * start at `col`. `yaml` counts the comment lines after a collection as part
 * of it, though a comment less indented than the items heads whatever comes
 * next; a deeper (or equal) one stays with the items, so a new item goes
 * after it.
 */
function blockEnd(text: string, start: number, end: number, col: number): number {
  let last = lineEnd(text, start);
  let pos = last;
  while (pos < end) {
    const next = text.indexOf("\n", pos);
    if (next === -1 || next + 1 >= end) break;
    const from = next + 1;
    const stop = lineEnd(text, from);
    const line = text.slice(from, stop);
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (trimmed !== "" && (!trimmed.startsWith("#") || indent >= col)) last = stop;
    pos = stop;
  }
  return last;
}

/** Print `lines` (yaml output, "\n"-separated) indented by `col`; empty lines stay empty so block scalars keep their meaning. */
function indented(block: string, col: number, eol: string): string {
  const pad = " ".repeat(col);
  return block
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line === "" ? "" : pad + line))
    .join(eol);
}

function blockText(value: unknown): string {
  return new Document(value).toString({ indent: INDENT, lineWidth: 0, indentSeq: true });
}

/** A one-line flow form: safe inside `{ }` and `[ ]` and after `key: ` alike. */
function flowText(value: unknown): string {
  if (typeof value === "string" && /[\n\r]/.test(value)) return JSON.stringify(value);
  const doc = new Document([value]);
  (doc.contents as YAMLSeq).flow = true;
  const printed = doc.toString({ lineWidth: 0 }).trim();
  return printed.slice(1, -1).trim();
}

const isCollection = (v: unknown) => v !== null && typeof v === "object";

function isEmptyScalar(node: unknown): boolean {
  return isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
}

interface Splice {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** `{ [key]: value }` as it goes into a map, whose items start at `col` or inside `{ }`. */
function entryText(key: string, value: unknown, flow: boolean, col: number, eol: string): string {
  if (flow) {
    const keyText = flowText(key);
    return `${keyText}: ${flowText(value)}`;
  }
  return indented(blockText({ [key]: value }), col, eol);
}

function itemText(item: unknown, flow: boolean, col: number, eol: string): string {
  return flow ? flowText(item) : indented(blockText([item]), col, eol);
}

function commentText(comment: string | undefined, col: number, eol: string): string {
  if (!comment) return "";
  const pad = " ".repeat(col);
  return comment
    .split(/\r?\n/)
    .map((line) => `${pad}# ${line}`.trimEnd())
    .join(eol) + eol;
}

/** True when the writer left a blank line before the last item: new items get one too. */
function spacedItems(text: string, itemStarts: readonly number[]): boolean {
  if (itemStarts.length < 2) return false;
  const start = lineStart(text, itemStarts[itemStarts.length - 1]!);
  const before = text.slice(lineStart(text, Math.max(0, start - 1)), start);
  return before.trim() === "";
}

/** Add entries (rendered by `render` for a given column) at the end of a collection. */
function appendTo(
  t: Text,
  node: YAMLMap | YAMLSeq,
  texts: (flow: boolean, col: number) => string[],
  comment: string | undefined,
): Splice {
  const range = node.range!;
  if (node.flow) {
    const close = t.text.lastIndexOf(isSeq(node) ? "]" : "}", range[1] - 1);
    const parts = texts(true, 0);
    const last = node.items[node.items.length - 1] as unknown;
    if (last === undefined) return { at: close, remove: 0, insert: ` ${parts.join(", ")} ` };
    const lastNode = isNode(last) ? last : (last as Pair).value ?? (last as Pair).key;
    const end = isNode(lastNode) && lastNode.range ? lastNode.range[1] : close;
    return { at: end, remove: 0, insert: parts.map((p) => `, ${p}`).join("") };
  }
  const starts = node.items.map((item) => itemStart(node, item as unknown));
  const col = column(t.text, range[0]);
  const end = blockEnd(t.text, range[0], range[1], col);
  const gap = spacedItems(t.text, starts) ? t.eol : "";
  const body = texts(false, col).join(t.eol + gap);
  return { at: end, remove: 0, insert: t.eol + gap + commentText(comment, col, t.eol) + body };
}

function itemStart(parent: YAMLMap | YAMLSeq, item: unknown): number {
  if (isSeq(parent)) {
    // A sequence item's own range starts after its "- ".
    const r = isNode(item) ? item.range : undefined;
    return r ? r[0] : parent.range![0];
  }
  const key = (item as Pair).key;
  return isNode(key) && key.range ? key.range[0] : parent.range![0];
}

/** A new top-level key in a document that has no map yet (empty, or comments only). */
function appendToEmptyDocument(t: Text, texts: string[], comment: string | undefined): Splice {
  const trailing = t.text.length === 0 || t.text.endsWith("\n") ? "" : t.eol;
  return { at: t.text.length, remove: 0, insert: trailing + commentText(comment, 0, t.eol) + texts.join(t.eol) + t.eol };
}

/** The value at `path`'s parent, plus how far the path exists. */
function walk(doc: Document.Parsed, path: YamlPath): Result<{ node: unknown; depth: number; pair?: Pair | undefined }, EditProblem> {
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    if (isAlias(node)) return err(problem("alias", path.slice(0, i), `${pathText(path.slice(0, i))} is an alias (*name); edit the anchor it points at`));
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!found) return ok({ node, depth: i, pair });
      pair = found;
      node = found.value;
    } else if (isSeq(node)) {
      if (typeof seg !== "number" || !Number.isInteger(seg) || seg < 0) return err(problem("bad-path", path.slice(0, i + 1), `${pathText(path.slice(0, i))} is a sequence: give an item number, not ${JSON.stringify(seg)}`));
      if (seg >= node.items.length) return ok({ node, depth: i, pair });
      pair = undefined;
      node = node.items[seg];
    } else {
      return ok({ node, depth: i, pair });
    }
  }
  return ok({ node, depth: path.length, pair });
}

/** `rest` of a path under a new key, as nested maps: ["take", "clip"], 2 -> { take: { clip: 2 } }. */
function nest(rest: YamlPath, value: unknown): unknown {
  return rest.reduceRight<unknown>((inner, seg) => ({ [String(seg)]: inner }), value);
}

/** Where a scalar's own text ends: a block scalar's range takes in its last line break, which must stay. */
function scalarEnd(text: string, node: Node): number {
  let end = node.range![1];
  while (end > node.range![0] && (text[end - 1] === "\n" || text[end - 1] === "\r")) end--;
  return end;
}

/** Replace the node found at the full path. */
function replace(t: Text, path: YamlPath, node: unknown, pair: Pair | undefined, parent: unknown, value: unknown): Result<Splice, EditProblem> {
  const parentFlow = (isMap(parent) || isSeq(parent)) && parent.flow === true;
  const keyNode = pair && isNode(pair.key) && pair.key.range ? pair.key : undefined;
  if (isEmptyScalar(node)) {
    // `cast:` with nothing after it: the value goes after the colon (scalar) or on the next lines (block).
    // Right after the colon: the empty node's own range may start at a comment further on.
    const at = keyNode ? t.text.indexOf(":", keyNode.range![1]) + 1 : ((node as Node).range?.[0] ?? t.text.length);
    if (!isCollection(value) || parentFlow) return ok({ at, remove: 0, insert: ` ${flowText(value)}` });
    const keyCol = keyNode ? column(t.text, keyNode.range![0]) : 0;
    return ok({ at: lineEnd(t.text, at), remove: 0, insert: t.eol + indented(blockText(value), keyCol + INDENT, t.eol) });
  }
  if (!isNode(node) || !node.range) return err(problem("bad-path", path, `cannot edit ${pathText(path)} in place`));
  const flowNode = (isMap(node) || isSeq(node)) && node.flow === true;
  // A value written inline stays inline: only its own characters change.
  // An empty `[]` or `{}` that gains items in a block file becomes a block, as a person would write it.
  const emptyFlow = flowNode && (node as YAMLMap | YAMLSeq).items.length === 0 && isCollection(value);
  if ((isScalar(node) && !isCollection(value)) || (flowNode && !emptyFlow) || parentFlow) {
    const end = isScalar(node) ? scalarEnd(t.text, node) : node.range[1];
    return ok({ at: node.range[0], remove: end - node.range[0], insert: flowText(value) });
  }
  // A block value, or an inline value becoming a block: the whole entry is printed again in place.
  const inline = isScalar(node) || flowNode;
  const end = inline ? (isScalar(node) ? scalarEnd(t.text, node) : node.range[1]) : blockEnd(t.text, node.range[0], node.range[1], column(t.text, node.range[0]));
  // A comment after an inline value stays on the entry's first line.
  const after = inline ? t.text.slice(end, lineEnd(t.text, end)) : "";
  const keep = /^\s+#/.test(after) ? after : "";
  const withComment = (printed: string) => {
    const nl = printed.indexOf(t.eol);
    return nl < 0 ? printed + keep : printed.slice(0, nl) + keep + printed.slice(nl);
  };
  if (isSeq(parent)) {
    const dash = t.text.lastIndexOf("-", node.range[0]);
    const col = column(t.text, dash);
    return ok({ at: dash, remove: end + keep.length - dash, insert: withComment(itemText(value, false, col, t.eol).slice(col)) });
  }
  if (keyNode) {
    const start = keyNode.range![0];
    const col = column(t.text, start);
    return ok({ at: start, remove: end + keep.length - start, insert: withComment(entryText(String((keyNode as Scalar).value), value, false, col, t.eol).slice(col)) });
  }
  // The document root itself.
  return ok({ at: node.range[0], remove: end - node.range[0], insert: indented(blockText(value), 0, t.eol) });
}

const isEmptyFlow = (node: unknown) => (isMap(node) || isSeq(node)) && node.flow === true && node.items.length === 0;

function parentOf(doc: Document.Parsed, path: YamlPath): unknown {
  if (!path.length) return undefined;
  const parent = walk(doc, path.slice(0, -1));
  return parent.ok ? parent.value.node : undefined;
}

function spliceFor(t: Text, doc: Document.Parsed, edit: YamlEdit): Result<Splice, EditProblem> {
  const walked = walk(doc, edit.path);
  if (!walked.ok) return walked;
  const { node, depth, pair } = walked.value;
  const full = depth === edit.path.length;

  if (full && edit.kind === "set") {
    return replace(t, edit.path, node, pair, parentOf(doc, edit.path), edit.value);
  }

  // What goes into the deepest existing collection (or an empty value to fill).
  let fill: { key?: string; item?: boolean; value: unknown }[];
  let comment: string | undefined;
  if (edit.kind === "set") {
    const seg = edit.path[depth]!;
    if (isSeq(node)) {
      if (seg !== node.items.length || depth !== edit.path.length - 1) return err(problem("bad-path", edit.path.slice(0, depth + 1), `${pathText(edit.path.slice(0, depth))} has ${node.items.length} items; item ${String(seg)} is not there`));
      fill = [{ item: true, value: edit.value }];
    } else {
      fill = [{ key: String(seg), value: nest(edit.path.slice(depth + 1), edit.value) }];
    }
  } else if (full) {
    comment = edit.comment;
    if (edit.kind === "add") {
      if (!isMap(node) && !isEmptyScalar(node)) return err(problem("not-a-map", edit.path, `${pathText(edit.path)} is not a map; cannot add keys to it`));
      if (isMap(node)) {
        for (const key of Object.keys(edit.entries)) {
          if (node.has(key)) return err(problem("exists", [...edit.path, key], `${pathText([...edit.path, key])} is already there`));
        }
      }
      if (isEmptyScalar(node) || isEmptyFlow(node)) return replace(t, edit.path, node, pair, parentOf(doc, edit.path), edit.entries);
      fill = Object.entries(edit.entries).map(([key, value]) => ({ key, value }));
    } else {
      if (!isSeq(node) && !isEmptyScalar(node)) return err(problem("not-a-sequence", edit.path, `${pathText(edit.path)} is not a sequence; cannot append to it`));
      if (isEmptyScalar(node) || isEmptyFlow(node)) return replace(t, edit.path, node, pair, parentOf(doc, edit.path), edit.items);
      fill = edit.items.map((value) => ({ item: true, value }));
    }
  } else {
    // The collection itself is missing: create it under the deepest map that exists.
    const whole = edit.kind === "add" ? { ...edit.entries } : [...edit.items];
    const seg = edit.path[depth]!;
    if (isSeq(node)) return err(problem("bad-path", edit.path.slice(0, depth + 1), `${pathText(edit.path.slice(0, depth))} has no item ${String(seg)}`));
    fill = [{ key: String(seg), value: nest(edit.path.slice(depth + 1), whole) }];
    comment = edit.comment;
  }

  if (node === null || node === undefined) {
    if (depth !== 0) return err(problem("bad-path", edit.path.slice(0, depth), `cannot edit under ${pathText(edit.path.slice(0, depth))}`));
    return ok(appendToEmptyDocument(t, fill.map((f) => entryText(f.key!, f.value, false, 0, t.eol)), comment));
  }
  if (isEmptyScalar(node) && fill.every((f) => f.key !== undefined)) {
    return replace(t, edit.path.slice(0, depth), node, pair, undefined, Object.fromEntries(fill.map((f) => [f.key!, f.value])));
  }
  if (isMap(node)) {
    if (fill.some((f) => f.key === undefined)) return err(problem("not-a-sequence", edit.path.slice(0, depth), `${pathText(edit.path.slice(0, depth))} is a map`));
    return ok(appendTo(t, node, (flow, col) => fill.map((f) => entryText(f.key!, f.value, flow, col, t.eol)), comment));
  }
  if (isSeq(node)) {
    return ok(appendTo(t, node, (flow, col) => fill.map((f) => itemText(f.value, flow, col, t.eol)), comment));
  }
  return err(problem(edit.kind === "append" ? "not-a-sequence" : "not-a-map", edit.path.slice(0, depth), `${pathText(edit.path.slice(0, depth))} is a plain value; cannot put ${pathText(edit.path.slice(depth))} under it`));
}

function parse(text: string): Result<Document.Parsed, EditProblem> {
  const doc = parseDocument(text, { merge: true, uniqueKeys: true, keepSourceTokens: false });
  if (doc.errors.length) return err(problem("yaml-error", [], `the file is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`));
  return ok(doc);
}

function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The value an edit should leave at its path, for reading it back. */
function expected(before: Document.Parsed, edit: YamlEdit): { path: YamlPath; value: unknown }[] {
  if (edit.kind === "set") return [{ path: edit.path, value: edit.value }];
  if (edit.kind === "add") return Object.entries(edit.entries).map(([k, v]) => ({ path: [...edit.path, k], value: v }));
  const existing = before.getIn(edit.path);
  const count = isSeq(existing) ? existing.items.length : 0;
  return edit.items.map((item, i) => ({ path: [...edit.path, count + i], value: item }));
}

/** Apply edits in order. The text is returned unchanged outside the edited or added nodes. */
export function editYamlText(text: string, edits: readonly YamlEdit[]): Result<string, EditProblem> {
  let current = text;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  for (const edit of edits) {
    const doc = parse(current);
    if (!doc.ok) return doc;
    const splice = spliceFor({ text: current, eol }, doc.value, edit);
    if (!splice.ok) return splice;
    const { at, remove, insert } = splice.value;
    const next = current.slice(0, at) + insert + current.slice(at + remove);
    const reread = parse(next);
    if (!reread.ok) return err(problem("unverified", edit.path, `editing ${pathText(edit.path)} would break the file's YAML; nothing was changed`));
    for (const want of expected(doc.value, edit)) {
      const got = reread.value.getIn(want.path);
      const data = isNode(got) ? got.toJSON() : got;
      if (!sameData(data, want.value)) return err(problem("unverified", want.path, `editing ${pathText(want.path)} in place did not read back as written; nothing was changed`));
    }
    current = next;
  }
  return ok(current);
}

export interface FileEdit {
  readonly before: string;
  readonly after: string;
}

/**
 * Put `after` in place of `file`, whose text was `before`: written to a temp
 * file beside it, checked by `check` there (so relative paths in it resolve
 * as they will), then renamed over it. If the file changed since it was read
 * (an editor saved it), nothing is written: the writer's save wins and the
 * edit can be run again. A failed check, or `dryRun`, writes nothing either.
 * A new file (`before` undefined) is created only if nobody made it meanwhile.
 */
export async function replaceFile<E = never>(
  file: string,
  /** The text it was read with; undefined for a new file, which must then still not exist. */
  before: string | undefined,
  after: string,
  options: { readonly check?: (tempFile: string) => Promise<Result<void, E>>; readonly dryRun?: boolean } = {},
): Promise<Result<void, EditProblem | E>> {
  const temp = tempBeside(file);
  try {
    await writeFile(temp, after);
    if (options.check) {
      const checked = await options.check(temp);
      if (!checked.ok) return checked;
    }
    if (options.dryRun) return ok(undefined);
    if (before === undefined) {
      // link() fails if the name exists: a file that appeared meanwhile is never clobbered.
      await link(temp, file);
      return ok(undefined);
    }
    if ((await readFile(file, "utf8")) !== before) return err(problem("changed", [], `${file} changed while it was being edited; nothing was written, run it again`));
    await rename(temp, file);
    return ok(undefined);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return err(problem("changed", [], `${file} appeared while it was being written; nothing was written, run it again`));
    return err(problem("io", [], `cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
  } finally {
    await rm(temp, { force: true });
  }
}

/** Edit a file in place, atomically; see replaceFile. */
export async function editYamlFile(file: string, edits: readonly YamlEdit[]): Promise<Result<FileEdit, EditProblem>> {
  let before: string;
  try {
    before = await readFile(file, "utf8");
  } catch (e) {
    return err(problem("io", [], `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`));
  }
  const after = editYamlText(before, edits);
  if (!after.ok) return after;
  if (after.value === before) return ok({ before, after: before });
  const written = await replaceFile(file, before, after.value);
  return written.ok ? ok({ before, after: after.value }) : written;
}
