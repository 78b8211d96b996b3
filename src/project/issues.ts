/**
 * zod issues -> positioned diagnostics in a writer's words: "unknown key
 * 'scences' (did you mean 'scenes'?)" rather than "Unrecognized key".
 * The schema itself is walked for what a place allows (its description,
 * its keys), so messages and the JSON Schema never drift apart.
 */
import { z } from "zod";
import type { Diagnostic } from "./diagnostic.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt, flowCommaSplit } from "./source.js";
import { closest, didYouMean } from "./suggest.js";
import type { AnySchema } from "./schema-walk.js";
import { keysAt, recordKeyDescription, schemaAt } from "./schema-walk.js";

type Issue = z.core.$ZodIssue;

export function valueAt(data: unknown, path: readonly PathSegment[]): { found: boolean; value: unknown } {
  let current: unknown = data;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return { found: false, value: undefined };
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[segment as string];
  }
  return { found: true, value: current };
}

const EXPECTED: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a map (key: value)",
  record: "a map (key: value)",
  array: "a list (- item)",
};

export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "text";
  if (Number.isNaN(value)) return "not-a-number (.nan)";
  if (value === Infinity || value === -Infinity) return "infinity";
  if (typeof value === "number") return Number.isInteger(value) ? "a whole number" : "a number";
  if (typeof value === "boolean") return "true/false";
  if (value instanceof Uint8Array) return "binary data";
  if (typeof value === "object") return "a map";
  return typeof value;
}

/** A short quote of what was written, or nothing when it came from the environment. */
function quote(value: unknown, secret: boolean): string {
  if (secret) return "the value (from the environment)";
  if (typeof value === "string") return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return kindOf(value);
}

export interface IssueContext {
  readonly src: SourceFile;
  readonly schema: AnySchema;
  /** The data zod saw (after interpolation). */
  readonly data: unknown;
  /** Paths (JSON-encoded) whose value came from an environment variable: never quoted. */
  readonly fromEnv: ReadonlySet<string>;
}

function pathOf(issue: Issue, base: readonly PathSegment[]): PathSegment[] {
  return [...base, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
}

function rangeText(issue: Issue & { code: "too_small" | "too_big" }): string {
  if (issue.origin === "array") {
    return issue.code === "too_small" ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}` : `takes at most ${issue.maximum} items`;
  }
  if (issue.origin === "string") return issue.code === "too_small" ? "must not be empty" : `is longer than ${issue.maximum} characters`;
  if (issue.code === "too_small") return issue.inclusive === false ? `must be more than ${issue.minimum}` : `must be at least ${issue.minimum}`;
  return issue.inclusive === false ? `must be less than ${issue.maximum}` : `must be at most ${issue.maximum}`;
}

function lastName(path: readonly PathSegment[]): string {
  const last = path[path.length - 1];
  if (typeof last === "number") {
    const parent = path[path.length - 2];
    return `${parent === undefined ? "item" : String(parent)}[${last}]`;
  }
  return last === undefined ? "the file" : `'${String(last)}'`;
}

/** Pick the union branch the writer most likely meant: the one with the fewest and deepest complaints. */
function bestBranch(branches: readonly (readonly Issue[])[]): readonly Issue[] {
  let best: readonly Issue[] = branches[0] ?? [];
  let bestScore = Infinity;
  for (const branch of branches) {
    const shallow = branch.filter((i) => i.path.length === 0 && i.code !== "unrecognized_keys").length;
    const score = branch.length + shallow * 10;
    if (score < bestScore) {
      best = branch;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Keys that are missing because of a typo: `scences:` stands for the
 * missing `scenes`, `casts:` for `cast`. JSON-encoded value paths. What
 * follows from the absence (a missing key, every scene's "unknown cast
 * member") is the typo's echo, and its "did you mean" says it all.
 */
export function mistypedKeys(issues: readonly Issue[], schema: AnySchema, data: unknown, base: readonly PathSegment[] = []): Set<string> {
  const mistyped = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const parent = pathOf(issue, base);
    for (const key of issue.keys) {
      const hint = closest(key, keysAt(schema, parent));
      if (hint !== undefined && !valueAt(data, [...parent, hint]).found) mistyped.add(JSON.stringify([...parent, hint]));
    }
  }
  return mistyped;
}

export function issuesToDiagnostics(issues: readonly Issue[], ctx: IssueContext, base: readonly PathSegment[] = []): Diagnostic[] {
  const mistyped = mistypedKeys(issues, ctx.schema, ctx.data, base);
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_type" && mistyped.has(JSON.stringify(pathOf(issue, base)))) continue;
    out.push(...issueToDiagnostics(issue, ctx, base));
  }
  return out;
}

/** A valueless key made by a comma inside { } (source.ts, flowCommaSplit), explained as what happened and how to quote. */
function commaSplitDiagnostic(src: SourceFile, path: readonly PathSegment[]): Diagnostic | undefined {
  const split = flowCommaSplit(src, path);
  if (!split) return undefined;
  const key = String(path[path.length - 1]);
  return diagnosticAt(src, path, "key", {
    code: "comma-in-flow-map",
    message: `'${key}' has no value: inside { } (a YAML flow mapping) a comma ends an entry, so YAML read ${split.previous}: '${split.value}' and then '${key}' as a key of its own`,
    allowed: `text with a comma in quotes: ${split.previous}: "${split.joined}"`,
  });
}

function issueToDiagnostics(issue: Issue, ctx: IssueContext, base: readonly PathSegment[]): Diagnostic[] {
  const path = pathOf(issue, base);
  const { src, schema, data } = ctx;
  if (issue.code === "invalid_type") {
    const split = commaSplitDiagnostic(src, path);
    if (split) return [split];
  }
  const at = valueAt(data, path);
  const secret = ctx.fromEnv.has(JSON.stringify(path));
  const described = schemaAt(schema, path).description;

  switch (issue.code) {
    case "unrecognized_keys": {
      const allowedKeys = keysAt(schema, path);
      return issue.keys.map((key) => {
        const split = commaSplitDiagnostic(src, [...path, key]);
        if (split) return split;
        // `{ mood: calm, piano }`: a comma in an unquoted value starts a new (valueless) key.
        const commaSplit = /\s/.test(key) && valueAt(data, [...path, key]).value === null;
        const hint = commaSplit ? "; a comma inside { } starts a new entry: put the value before it in quotes" : didYouMean(key, allowedKeys);
        return diagnosticAt(src, [...path, key], "key", {
          code: "unknown-key",
          message: `unknown key '${key}'${hint}`,
          allowed: allowedKeys.length ? allowedKeys.join(", ") : undefined,
        });
      });
    }
    case "invalid_key": {
      const key = String(path[path.length - 1]);
      const keyIssue = issue.issues[0];
      const what = keyIssue && keyIssue.code === "invalid_format" ? keyIssue.message : "not allowed here";
      return [
        diagnosticAt(src, path, "key", {
          code: "bad-id",
          message: `'${key}' is ${what}`,
          allowed: recordKeyDescription(schema, path.slice(0, -1)),
        }),
      ];
    }
    case "invalid_type": {
      if (!at.found || at.value === undefined) {
        return [
          diagnosticAt(src, path, "value", {
            code: "missing-key",
            message: path.length ? `missing required key ${lastName(path)}` : "the file is empty",
            allowed: path.length ? described : "a map starting with 'dramake: 1', then title, cast and scenes",
          }),
        ];
      }
      if (path.length === 0 && at.value === null) {
        return [
          diagnosticAt(src, path, "value", {
            code: "empty-file",
            message: "the file is empty",
            allowed: "a map starting with 'dramake: 1', then title, cast and scenes (dramake init writes one)",
          }),
        ];
      }
      // YAML reads 1e400 (and .inf) as infinity, which zod calls "not a number".
      if ((issue.expected === "number" || issue.expected === "int") && (at.value === Infinity || at.value === -Infinity)) {
        return [
          diagnosticAt(src, path, "value", {
            code: "out-of-range",
            message: `${lastName(path)} is too ${at.value > 0 ? "large" : "small"}: not a finite number`,
            allowed: described,
          }),
        ];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const quoteHint = issue.expected === "string" && (typeof at.value === "number" || typeof at.value === "boolean") ? `; put it in quotes: "${String(at.value)}"` : "";
      return [
        diagnosticAt(src, path, "value", {
          code: "invalid-type",
          message: `${lastName(path)} must be ${expected}, not ${kindOf(at.value)}${quoteHint}`,
          allowed: described,
        }),
      ];
    }
    case "too_small":
    case "too_big":
      return [
        diagnosticAt(src, path, "value", {
          code: "out-of-range",
          message: `${lastName(path)} ${rangeText(issue)}${issue.origin === "number" || issue.origin === "int" ? `, got ${quote(at.value, secret)}` : ""}`,
          allowed: described,
        }),
      ];
    case "invalid_format":
      return [
        diagnosticAt(src, path, "value", {
          code: issue.message === "not a valid id" ? "bad-id" : "invalid-format",
          message: `${quote(at.value, secret)} is ${issue.message}`,
          allowed: described,
        }),
      ];
    case "invalid_value": {
      if (!at.found) {
        return [
          diagnosticAt(src, path, "value", {
            code: "missing-key",
            message: `missing required key ${lastName(path)}`,
            allowed: path.length === 1 && path[0] === "dramake" ? "dramake: 1 (the format version), usually the first line" : described,
          }),
        ];
      }
      if (path.length === 1 && path[0] === "dramake") {
        return [
          diagnosticAt(src, path, "value", {
            code: "unsupported-version",
            message: `unsupported format version ${quote(at.value, secret)}; this dramake reads format 1`,
            allowed: "dramake: 1",
          }),
        ];
      }
      const values = issue.values.map(String);
      return [
        diagnosticAt(src, path, "value", {
          code: "invalid-value",
          message: `${quote(at.value, secret)} is not allowed for ${lastName(path)}${typeof at.value === "string" ? didYouMean(at.value, values) : ""}`,
          allowed: `one of: ${values.join(", ")}`,
        }),
      ];
    }
    case "invalid_union": {
      if (issue.errors.length === 0) {
        return [diagnosticAt(src, path, "value", { code: "invalid-value", message: `${lastName(path)} matches more than one form`, allowed: described })];
      }
      const isMapValue = at.value !== null && typeof at.value === "object" && !Array.isArray(at.value);
      // A value of the right type for one form but not a value it allows (a preset name misspelt among
      // `douyin | { name, ... }`, a colour for `true | "#RRGGBB"`): that form's own complaint.
      const typeMatched = isMapValue ? undefined : issue.errors.find((b) => b.length > 0 && b.every((i) => i.path.length === 0 && i.code !== "invalid_type"));
      if (typeMatched) return issuesToDiagnostics(typeMatched, ctx, path);
      if (!isMapValue) {
        return [
          diagnosticAt(src, path, "value", {
            code: "invalid-type",
            message: `${lastName(path)} must be a map (key: value), not ${kindOf(at.value)}`,
            allowed: described,
          }),
        ];
      }
      // Keys from different forms mixed ({ mood, file }): name the clash, not each form's complaints.
      const onlyUnknownKeys = issue.errors.every((branch) => branch.length > 0 && branch.every((i) => i.code === "unrecognized_keys" && i.path.length === 0));
      if (onlyUnknownKeys) {
        const present = Object.keys(at.value as object);
        const extra = (issue.errors[0]![0] as z.core.$ZodIssueUnrecognizedKeys).keys[0] ?? present[present.length - 1]!;
        const others = present.filter((k) => k !== extra);
        return [
          diagnosticAt(src, [...path, extra], "key", {
            code: "conflicting-keys",
            message: `'${extra}' cannot be combined with ${others.map((k) => `'${k}'`).join(", ")} in ${lastName(path)}`,
            allowed: described,
          }),
        ];
      }
      return issuesToDiagnostics(bestBranch(issue.errors), ctx, path);
    }
    case "custom":
      return [diagnosticAt(src, path, "value", { code: "invalid-value", message: issue.message, allowed: described })];
    default:
      return [diagnosticAt(src, path, "value", { code: "invalid-value", message: `${lastName(path)}: ${issue.message}`, allowed: described })];
  }
}
