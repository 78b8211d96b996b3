/**
 * Shared flag parsing for the build-family commands, on node:util parseArgs.
 * Bad flags are data (a usage error with a sentence), never a stack trace.
 */
import { parseArgs } from "node:util";
import { statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { err, ok, type Result } from "../result.js";

export interface UsageError {
  readonly message: string;
}

export type FlagSpec = Record<string, { readonly type: "boolean" | "string"; readonly short?: string; readonly multiple?: boolean }>;

export interface Parsed {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
}

export function parseFlags(argv: readonly string[], spec: FlagSpec, maxPositionals: number): Result<Parsed, UsageError> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
    if (positionals.length > maxPositionals) return err({ message: `unexpected argument '${positionals[maxPositionals]}'` });
    return ok({ values: values as Parsed["values"], positionals });
  } catch (error) {
    // parseArgs explains itself well ("Unknown option '--x'"); keep its sentence, drop the stack.
    return err({ message: (error as Error).message.replace(/\. To specify a positional argument.*$/s, "") });
  }
}

export function numberFlag(value: unknown, flag: string, { integer = false, min = 0 } = {}): Result<number | undefined, UsageError> {
  if (value === undefined) return ok(undefined);
  const n = Number(value);
  if (typeof value !== "string" || value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    return err({ message: `${flag} wants ${integer ? "a whole number" : "a number"} of at least ${min}, got '${String(value)}'` });
  }
  return ok(n);
}

const UNITS: Record<string, number> = { "": 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `500M`, `2G`, `1.5GB`, `800k`, plain bytes. */
export function sizeFlag(value: unknown, flag: string): Result<number | undefined, UsageError> {
  if (value === undefined) return ok(undefined);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(String(value));
  if (!m) return err({ message: `${flag} wants a size such as 500M or 2G, got '${String(value)}'` });
  return ok(Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!));
}

export interface Target {
  /** What the user named (a project dir or its drama.yaml), resolved. */
  readonly target: string;
  /** The project directory. */
  readonly root: string;
}

export function projectTarget(positional: string | undefined): Result<Target, UsageError> {
  const target = resolve(positional ?? ".");
  const s = statSync(target, { throwIfNoEntry: false });
  if (!s) return err({ message: `no such project: ${positional ?? "."}` });
  return ok({ target, root: s.isDirectory() ? target : dirname(target) });
}

export function stringList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function usageError(command: string, message: string, usage: string): number {
  process.stderr.write(`dramake ${command}: ${message}\nusage: ${usage}\n`);
  return 2;
}
