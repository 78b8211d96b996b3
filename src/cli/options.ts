/**
 * Flag values and the project a command works on. Bad values are data (a
 * usage error with a sentence), never a stack trace.
 */
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { err, ok, type Result } from "../result.js";
import { EXIT_USAGE, usageLine, type Command } from "./command.js";

export interface UsageError {
  readonly message: string;
}

export function numberFlag(value: string | undefined, flag: string, { integer = false, min = 0 } = {}): Result<number | undefined, UsageError> {
  if (value === undefined) return ok(undefined);
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    return err({ message: `${flag} wants ${integer ? "a whole number" : "a number"} of at least ${min}, got '${value}'` });
  }
  return ok(n);
}

/** A TCP port; 0 asks the system for any free one. */
export function portFlag(value: string | undefined, flag = "--port"): Result<number | undefined, UsageError> {
  if (value === undefined) return ok(undefined);
  if (!/^\d+$/.test(value) || Number(value) > 65535) return err({ message: `${flag} needs a port number from 0 (any free port) to 65535, got '${value}'` });
  return ok(Number(value));
}

const UNITS: Record<string, number> = { "": 1, B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `500M`, `2G`, `1.5GB`, `800k`, plain bytes. */
export function sizeFlag(value: string | undefined, flag: string): Result<number | undefined, UsageError> {
  if (value === undefined) return ok(undefined);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) return err({ message: `${flag} wants a size such as 500M or 2G, got '${value}'` });
  return ok(Math.floor(Number(m[1]) * UNITS[m[2]!.toUpperCase()]!));
}

/** The project file's name (project/load.ts has it too, but loading that module pulls in YAML and zod). */
const PROJECT_FILE = "drama.yaml";

export interface Target {
  /** What the user named (a project dir or its drama.yaml), resolved; the found directory otherwise. */
  readonly target: string;
  /** The project directory. */
  readonly root: string;
}

/**
 * The project a command works on: the directory or file named, else the
 * nearest directory holding a drama.yaml, from the current one upward (as
 * git finds its repository).
 */
export function projectTarget(positional: string | undefined, from: string = process.cwd()): Result<Target, UsageError> {
  if (positional !== undefined) {
    const target = resolve(from, positional);
    const s = statSync(target, { throwIfNoEntry: false });
    if (!s) return err({ message: `no such project: ${positional}` });
    return ok({ target, root: s.isDirectory() ? target : dirname(target) });
  }
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (statSync(join(dir, PROJECT_FILE), { throwIfNoEntry: false })?.isFile()) return ok({ target: dir, root: dir });
    if (dirname(dir) === dir) break;
  }
  return err({ message: `no ${PROJECT_FILE} here or in any directory above; name the project (a directory or its ${PROJECT_FILE}), or start one with 'dramake init'` });
}

/** A bad value or a missing project: the sentence, then the command's usage line; exit code 2. */
export function usageError(command: Pick<Command, "name" | "args">, message: string): number {
  process.stderr.write(`dramake ${command.name}: ${message}\nusage: ${usageLine(command)}\n`);
  return EXIT_USAGE;
}
