/**
 * What every `src/cli/commands/<name>.ts` exports: its arguments and flags as
 * plain data (read by the fast parser, the help, the completion scripts) and
 * `run`. Plain data with no library behind it, so the no-op `dramake build`
 * parses its flags with node:util alone; commander is loaded only to explain
 * (help, usage errors, "did you mean").
 */

/** A flag: a boolean switch, or one that takes a value when `value` names it (e.g. "USD"). */
export interface Flag {
  readonly short?: string;
  /** The value's placeholder in help; a flag without one is a boolean switch. */
  readonly value?: string;
  /** Repeatable: the values collect into a list. */
  readonly multiple?: boolean;
  /** One line for `--help`; every flag has one. */
  readonly description: string;
  /** Values the completion scripts offer (and help lists). */
  readonly choices?: readonly string[];
}

export type Flags = Readonly<Record<string, Flag>>;

/** A positional argument: `<step>` when required, `[project]` when not. */
export interface Arg {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
}

/** A flag's parsed value: a switch is true/false, a value flag a string (or undefined), a repeatable one a list. */
export type FlagValues<F extends Flags> = {
  readonly [K in keyof F]: F[K] extends { readonly value: string } ? (F[K] extends { readonly multiple: true } ? readonly string[] : string | undefined) : boolean;
};

/** Flags every command takes (parsed by main.ts, handed to `run`). */
export interface GlobalValues {
  /** -q: only errors and what was asked for (e.g. JSON); no progress, no summary lines. */
  readonly quiet: boolean;
  /** -v: every step, cached ones too, and where things are. */
  readonly verbose: boolean;
}

export interface Input<F extends Flags> extends GlobalValues {
  readonly flags: FlagValues<F>;
  /** Positionals in the order of `args`. */
  readonly args: readonly string[];
}

export interface Command<F extends Flags = Flags> {
  readonly name: string;
  /** One line, for `dramake --help` and the completion scripts. */
  readonly summary: string;
  /** More lines for `dramake help <command>` (optional). */
  readonly details?: string;
  readonly args: readonly Arg[];
  readonly flags: F;
  /** Returns the process exit code: 0 ok, 1 a step failed (or stale, for status --exit-code), 2 bad project or usage. */
  run(input: Input<F>): Promise<number>;
}

/** Keeps each command's flag names in its `run`'s types. */
export function defineCommand<const F extends Flags>(command: Command<F>): Command<F> {
  return command;
}

/** `dramake build [options] [project]`, for usage lines printed without loading commander. */
export function usageLine(c: Pick<Command, "name" | "args">): string {
  const args = c.args.map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`));
  return ["dramake", c.name, "[options]", ...args].join(" ");
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
