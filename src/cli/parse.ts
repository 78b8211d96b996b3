/**
 * The fast parser: a command's flag table (plain data) to node:util parseArgs.
 * Every run goes through here, so a no-op `dramake build` never loads a CLI
 * library. When it refuses the argv (or help is asked for), main.ts hands the
 * same argv to commander (explain.ts), which says what is wrong better.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { err, ok, type Result } from "../result.js";
import type { Command, Flags, FlagValues, GlobalValues } from "./command.js";
import { GLOBAL_FLAGS } from "./flags.js";

export interface ParsedArgv<F extends Flags> extends GlobalValues {
  readonly flags: FlagValues<F>;
  readonly args: readonly string[];
  readonly help: boolean;
  /** -C DIR, when given (the last one wins). */
  readonly directory: string | undefined;
}

/** Why parseArgs refused; commander usually says it better, this is the fallback. */
export interface ParseRefusal {
  readonly message: string;
}

type Options = NonNullable<ParseArgsConfig["options"]>;

export function parseOptionsFor(flags: Flags): Options {
  const options: Options = {};
  for (const [name, f] of Object.entries(flags)) {
    options[name] = { type: f.value === undefined ? "boolean" : "string", ...(f.short ? { short: f.short } : {}), ...(f.multiple ? { multiple: true } : {}) };
  }
  return options;
}

export function parseCommandArgv<F extends Flags>(command: Command<F>, argv: readonly string[]): Result<ParsedArgv<F>, ParseRefusal> {
  const all: Flags = { ...GLOBAL_FLAGS, ...command.flags };
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...argv], options: parseOptionsFor(all), allowPositionals: true, strict: true }));
  } catch (error) {
    // parseArgs explains itself well enough ("Unknown option '--x'"); keep its sentence, drop the advice about '--'.
    return err({ message: (error as Error).message.replace(/\. To specify a positional argument.*$/s, "") });
  }
  const help = values.help === true;
  if (!help) {
    if (positionals.length > command.args.length) return err({ message: `unexpected argument '${positionals[command.args.length]}'` });
    const missing = command.args.find((a, i) => a.required && positionals[i] === undefined);
    if (missing) return err({ message: `missing <${missing.name}>: ${missing.description}` });
  }
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(command.flags)) {
    const v = values[name];
    flags[name] = f.value === undefined ? v === true : f.multiple ? ((v as string[] | undefined) ?? []) : v;
  }
  const directory = values.directory;
  return ok({
    flags: flags as FlagValues<F>,
    args: positionals,
    help,
    quiet: values.quiet === true,
    verbose: values.verbose === true,
    directory: typeof directory === "string" ? directory : undefined,
  });
}

/** Global flags given before the command's name (`dramake -C dir -q build`). */
export interface Leading {
  readonly directory: string | undefined;
  readonly quiet: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
  readonly version: boolean;
  /** Index of the command's name in argv (argv.length when there is none). */
  readonly at: number;
}

/** Reads global flags up to the command's name; an unknown one is refused (commander then suggests). */
export function parseLeading(argv: readonly string[]): Result<Leading, ParseRefusal> {
  let directory: string | undefined;
  let quiet = false;
  let verbose = false;
  let help = false;
  let version = false;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith("-") || a === "-") break;
    if (a === "-C" || a === "--directory") {
      directory = argv[++i];
      if (directory === undefined) return err({ message: `${a} needs a directory` });
    } else if (a.startsWith("--directory=")) directory = a.slice("--directory=".length);
    else if (a.startsWith("-C")) directory = a.slice(2);
    else if (a === "-q" || a === "--quiet") quiet = true;
    else if (a === "-v" || a === "--verbose") verbose = true;
    else if (a === "-h" || a === "--help") help = true;
    else if (a === "-V" || a === "--version") version = true;
    else return err({ message: `unknown option '${a}'` });
  }
  return ok({ directory, quiet, verbose, help, version, at: i });
}
