/**
 * `${VAR}` and `${VAR:-default}` in drama.yaml, from the environment and a
 * `.env` beside the project file. Values never reach a message: problems
 * name the variable only.
 */
import { readRegularFile } from "./read-text.js";
import type { AnySchema, Interpolation } from "./schema-walk.js";
import { childSchema, interpolationOf, mayInterpolate, unwrap } from "./schema-walk.js";

export type Env = Readonly<Record<string, string | undefined>>;

export interface DotEnvProblem {
  readonly line: number;
  readonly message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_DOTENV_BYTES = 1024 * 1024;

/**
 * The usual dotenv dialect: `KEY=value`, `export KEY=value`, `#` comments,
 * single quotes literal, double quotes with \n escapes. A malformed line is
 * reported by number only, since its text may hold a secret.
 *
 * Not dotenv's parse(): it drops a malformed line without a word and keeps
 * an unterminated quote as part of the value, so a writer would see only
 * "variable not set" at drama.yaml instead of ".env line 2: expected
 * NAME=value" (test/project-load.test.ts checks that message).
 */
export function parseDotEnv(text: string): { values: Record<string, string>; problems: DotEnvProblem[] } {
  const values: Record<string, string> = {};
  const problems: DotEnvProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const body = line.startsWith("export ") ? line.slice(7).trimStart() : line;
    const eq = body.indexOf("=");
    const name = eq === -1 ? "" : body.slice(0, eq).trim();
    if (!NAME.test(name)) {
      problems.push({ line: index + 1, message: "expected NAME=value" });
      return;
    }
    let value = body.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    } else if (quote === '"' || quote === "'") {
      problems.push({ line: index + 1, message: `unterminated ${quote === '"' ? "double" : "single"} quote` });
      return;
    } else {
      const comment = value.search(/\s#/);
      if (comment !== -1) value = value.slice(0, comment).trimEnd();
    }
    values[name] = value;
  });
  return { values, problems };
}

export type DotEnvLoad =
  | { readonly kind: "none" }
  /** Good lines are used even when others are malformed (those are reported). */
  | { readonly kind: "loaded"; readonly values: Record<string, string>; readonly problems: DotEnvProblem[] }
  | { readonly kind: "unreadable"; readonly reason: string };

export async function loadDotEnv(file: string): Promise<DotEnvLoad> {
  // Regular files only: a .env linked to /dev/zero or a FIFO would be read forever or block.
  const read = await readRegularFile(file, MAX_DOTENV_BYTES);
  if (read.kind === "missing") return { kind: "none" };
  if (read.kind === "not-regular") return { kind: "unreadable", reason: `it is ${read.what}, not a regular file` };
  if (read.kind === "too-large") return { kind: "unreadable", reason: "larger than 1 MB" };
  if (read.kind === "unreadable") return { kind: "unreadable", reason: read.code };
  return { kind: "loaded", ...parseDotEnv(read.bytes.toString("utf8")) };
}

export type InterpolationProblem =
  | { readonly kind: "unset"; readonly name: string }
  | { readonly kind: "malformed"; readonly index: number };

export interface Interpolated {
  readonly value: string;
  readonly problems: InterpolationProblem[];
  /** The variables referenced (set or not): such values are never quoted in messages. */
  readonly names: string[];
}

const REFERENCE = /\$\$|\$\{([^}]*)\}|\$\{/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}`; `$$` is a literal `$`. The
 * environment wins over `.env`, as with dotenv. An unset variable without a
 * default (or set to "") becomes "" and is reported; the caller decides whether it matters.
 */
export function interpolate(input: string, env: Env): Interpolated {
  if (!input.includes("$")) return { value: input, problems: [], names: [] };
  const problems: InterpolationProblem[] = [];
  const names: string[] = [];
  const value = input.replace(REFERENCE, (match: string, inner: string | undefined, index: number) => {
    if (match === "$$") return "$";
    if (inner === undefined) {
      problems.push({ kind: "malformed", index });
      return match;
    }
    const sep = inner.indexOf(":-");
    const name = sep === -1 ? inner : inner.slice(0, sep);
    if (!NAME.test(name)) {
      problems.push({ kind: "malformed", index });
      return match;
    }
    names.push(name);
    const current = env[name];
    if (current !== undefined && current !== "") return current;
    if (sep !== -1) return inner.slice(sep + 2);
    // Empty counts as unset: `OPENAI_API_KEY=` in a shell or .env is a
    // forgotten value, and an empty key would send the SDK looking elsewhere.
    problems.push({ kind: "unset", name });
    return "";
  });
  return { value, problems, names };
}

export interface TreeProblem {
  readonly path: (string | number)[];
  readonly problem: InterpolationProblem;
}

export interface InterpolatedTree {
  readonly data: unknown;
  /** JSON-encoded paths of strings that took a value from the environment. */
  readonly fromEnv: Set<string>;
  readonly problems: TreeProblem[];
  /**
   * Variables read into values that shape the build (URLs, paths), sorted:
   * the no-op check hashes these. Those read into a secret (an API key) are
   * left out, even if also read elsewhere: not even a hash of a key is kept.
   */
  readonly names: string[];
}

/** Deeper than any valid project; beyond it values are left as they are (zod rejects them anyway). */
const MAX_DEPTH = 64;

/**
 * Interpolates the strings (not keys) of a parsed document that the schema
 * marks with `.meta({ interpolate: true })`; every other `${...}` is
 * literal text, so a shared project cannot read a user's environment into a
 * title or a line. Returns a copy where anything changed: aliased subtrees
 * are shared objects in the parsed value, and each occurrence needs its own
 * path for the bookkeeping.
 */
export function interpolateTree(root: unknown, env: Env, schema: AnySchema): InterpolatedTree {
  const fromEnv = new Set<string>();
  const problems: TreeProblem[] = [];
  const read = new Set<string>();
  const secret = new Set<string>();
  const visit = (value: unknown, path: (string | number)[], place: AnySchema | undefined, mode: Interpolation): unknown => {
    if (typeof value === "string") {
      if (mode === "literal") return value;
      const result = interpolate(value, env);
      if (result.names.length) fromEnv.add(JSON.stringify(path));
      for (const name of result.names) (mode === "secret" ? secret : read).add(name);
      for (const problem of result.problems) problems.push({ path, problem });
      return result.value;
    }
    if (path.length >= MAX_DEPTH || value === null || typeof value !== "object") return value;
    if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value)) return value;
    // Nothing below takes ${VAR}: keep the subtree as it is (thousands of scenes are never walked).
    if (mode === "literal" && (place === undefined || !mayInterpolate(place))) return value;
    const inner = place && unwrap(place).schema;
    const child = (key: string | number): [AnySchema | undefined, Interpolation] => {
      const next = inner && childSchema(inner, key);
      const own = next ? interpolationOf(next) : "literal";
      return [next, mode === "secret" || own === "secret" ? "secret" : mode === "env" || own === "env" ? "env" : "literal"];
    };
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i], ...child(i)));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, not assignment: a `__proto__:` key must stay a key (and an unknown one).
      Object.defineProperty(copy, key, { value: visit(item, [...path, key], ...child(key)), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  };
  const data = visit(root, [], schema, interpolationOf(schema));
  return { data, fromEnv, problems, names: [...read].filter((n) => !secret.has(n)).sort() };
}
