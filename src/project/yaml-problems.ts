/**
 * YAML-level problems in a writer's words: syntax errors (the first one, as
 * the rest are usually its echo), duplicate keys, tabs, and alias expansion
 * beyond a cap ("billion laughs").
 */
import { isAlias, isCollection, isNode, visit, type Node } from "yaml";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "./source.js";
import { diagnosticAtSpan } from "./source.js";

/** Alias expansions allowed when building the value. */
export const MAX_ALIAS_COUNT = 100;

interface YamlExplanation {
  readonly message?: string;
  readonly allowed: string;
  /**
   * Where to underline from, to the end of that line: the text at fault, or
   * where the mistake was made when the parser noticed it later (an unclosed
   * quote, at the end of the file).
   */
  readonly at?: number;
}

/** The rest of the line from `offset`, without its line break. */
function restOfLine(text: string, offset: number): string {
  const end = text.indexOf("\n", offset);
  return text.slice(offset, end === -1 ? text.length : end).replace(/\r$/, "");
}

/**
 * `- bob: hi: there`: the second ': ' makes `hi` a key of a nested map,
 * which YAML forbids on one line. Suggest the line with its text quoted.
 */
function colonInText(src: SourceFile, pos: [number, number]): YamlExplanation | undefined {
  const text = restOfLine(src.text, pos[0]).trimEnd();
  if (!/:(\s|$)/.test(text)) return undefined;
  const lineStart = src.text.lastIndexOf("\n", pos[0] - 1) + 1;
  const before = src.text.slice(lineStart, pos[0]);
  const quoted = `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  return {
    message: "quote a line that contains ': ' (unquoted, YAML reads the text before it as another key)",
    allowed: `the text in quotes: ${before.trim()} ${quoted}`,
    at: pos[0],
  };
}

/**
 * A quote left open swallows the rest of the file, and the parser only
 * notices at the end: point at the quote that opened the runaway text.
 */
function unclosedQuote(src: SourceFile, pos: [number, number]): YamlExplanation | undefined {
  let opening: number | undefined;
  visit(src.doc, {
    Scalar(_key, node) {
      if ((node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") && node.range && node.range[1] === pos[0]) opening = node.range[0];
    },
  });
  if (opening === undefined) return undefined;
  const quote = src.text[opening] === "'" ? "'" : '"';
  const { line } = src.lines.linePos(opening);
  return {
    message: `this ${quote === '"' ? "double" : "single"} quote is never closed: the text runs on to the end of the file`,
    allowed: `close it on line ${line} with ${quote}, or drop the quotes`,
    at: opening,
  };
}

const YAML_EXPLANATIONS: Partial<Record<string, (src: SourceFile, pos: [number, number]) => YamlExplanation | undefined>> = {
  BLOCK_AS_IMPLICIT_KEY: colonInText,
  MISSING_CHAR: unclosedQuote,
  DUPLICATE_KEY: (src, pos) => {
    const key = src.text.slice(pos[0], pos[0] + 200).split(/:(?:\s|$)|\n/)[0]?.trim();
    return {
      message: key ? `duplicate key '${key}' (each key may appear once in a map)` : "duplicate key (each key may appear once in a map)",
      allowed: "each key once per map: rename one, or merge the two entries",
    };
  },
  TAB_AS_INDENT: () => ({ message: "tabs are not allowed for indentation in YAML; indent with spaces", allowed: "spaces for indentation (tabs only inside text)" }),
  MULTIPLE_DOCS: () => ({ message: "the file holds more than one YAML document ('---'); a project is one document", allowed: "a single document: remove the '---' line and what follows, or merge it" }),
  RESOURCE_EXHAUSTION: () => ({ message: "the file nests too deeply to read", allowed: "the shallow structure of a project file" }),
};

/** `{ api_key: ${KEY} }`: inside { } or [ ] the braces of ${...} are YAML syntax. */
const UNQUOTED_VARIABLE: YamlExplanation = {
  message: "${...} inside { } or [ ] must be in quotes",
  allowed: 'a quoted reference such as "${NAME}", or the key on its own line (block style)',
};

const YAML_GENERIC_ALLOWED = "valid YAML: check this line and the one above for an unclosed bracket or quote, a missing ':' or wrong indentation";

export function yamlDiagnostics(src: SourceFile): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const convert = (e: (typeof src.doc.errors)[number], severity: "error" | "warning"): Diagnostic => {
    const explained = src.text.startsWith("${", e.pos[0] - 1) ? UNQUOTED_VARIABLE : YAML_EXPLANATIONS[e.code]?.(src, e.pos);
    const first = e.message.split("\n")[0] ?? e.message;
    const message = explained?.message ?? `YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    const offset = explained?.at ?? e.pos[0];
    const length = explained?.at === undefined ? Math.max(1, Math.min(e.pos[1] - e.pos[0], restOfLine(src.text, offset).length)) : Math.max(1, restOfLine(src.text, offset).length);
    return diagnosticAtSpan(src, { offset, length }, {
      code: `yaml-${e.code.toLowerCase().replace(/_/g, "-")}`,
      message,
      allowed: explained?.allowed ?? YAML_GENERIC_ALLOWED,
      severity,
    });
  };
  // One syntax mistake trips the parser on every line after it: report the first,
  // plus duplicate keys, which never cascade and are worth fixing in one go.
  const errors = src.doc.errors.filter((e, i) => i === 0 || e.code === "DUPLICATE_KEY");
  const firstPerLine = (diags: Diagnostic[]): Diagnostic[] => diags.filter((d, i) => diags.findIndex((o) => o.line === d.line) === i);
  return {
    errors: firstPerLine([...errors.map((e) => convert(e, "error")), ...collectionKeys(src)]),
    warnings: firstPerLine(src.doc.warnings.map((e) => convert(e, "warning"))),
  };
}

/**
 * `*anchor: value` where the anchor is a map or list, or `? [a, b]`: a
 * project's keys are names, and the library would turn such a key into
 * "[object Object]"-like text (warning on stderr about it).
 */
function collectionKeys(src: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  visit(src.doc, {
    Pair(_key, pair) {
      const key = pair.key;
      if (!isNode(key)) return;
      const target = isAlias(key) ? key.resolve(src.doc) : key;
      if (!isCollection(target) || !key.range) return;
      const written = src.text.slice(key.range[0], key.range[1]).split("\n")[0]!.trim();
      out.push(
        diagnosticAtSpan(src, { offset: key.range[0], length: Math.max(1, written.length) }, {
          code: "yaml-collection-key",
          message: isAlias(key) ? `the alias ${written} stands for a map or list, which cannot be a key` : "a map or list cannot be a key",
          allowed: isAlias(key) ? `a name as the key; for the text '${written}' itself, put it in quotes` : "a name as the key (name: value)",
        }),
      );
    },
  });
  return out;
}

/** The document as plain data; aliases are expanded at most MAX_ALIAS_COUNT times. */
export function toData(src: SourceFile): Result<unknown, Diagnostic[]> {
  try {
    return ok(src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (e) {
    const firstAlias = findAlias(src);
    const span = firstAlias?.range ? { offset: firstAlias.range[0], length: Math.max(1, firstAlias.range[1] - firstAlias.range[0]) } : { offset: 0, length: 1 };
    const message = e instanceof Error ? e.message : String(e);
    const problem = /Excessive alias count/.test(message)
      ? { code: "alias-limit", message: `aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions)`, allowed: "a few anchors and aliases (*name), not nested repetitions" }
      : /Unresolved alias/.test(message)
        ? { code: "bad-alias", message: "an alias (*name) refers to no anchor (&name) defined before it", allowed: "an alias of an anchor defined earlier in the file" }
        : { code: "yaml-invalid", message: "the YAML cannot be turned into data" };
    const unresolved = problem.code === "bad-alias" ? findAlias(src, true) : undefined;
    const where = unresolved?.range ? { offset: unresolved.range[0], length: Math.max(1, unresolved.range[1] - unresolved.range[0]) } : span;
    return err([diagnosticAtSpan(src, where, problem)]);
  }
}

function findAlias(src: SourceFile, unresolvedOnly = false): Node | undefined {
  let found: Node | undefined;
  visit(src.doc, {
    Alias(_key, node) {
      if (unresolvedOnly && node.resolve(src.doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
}
