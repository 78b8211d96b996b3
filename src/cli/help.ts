/**
 * Help and usage errors, by commander: `dramake --help`, `dramake help
 * <command>`, `dramake <command> --help`, and "unknown option '--jsno' (did
 * you mean --json?)". Loaded only when the fast parser (parse.ts) refused the
 * argv or help was asked for: commander costs ~20 ms to load (bench/cli), more
 * than the whole no-op build decision.
 */
import { Command as Program, CommanderError, Option } from "commander";
import type { Command, Flag } from "./command.js";
import { EXIT_OK, EXIT_USAGE } from "./command.js";
import { GLOBAL_FLAGS } from "./flags.js";
import type { Registry } from "./registry.js";


function option(name: string, f: Flag): Option {
  // Repeatable flags repeat (--force a --force b): not commander's variadic <STEP...>, which would eat the project.
  const value = f.value === undefined ? "" : ` <${f.value}>`;
  const o = new Option(`${f.short ? `-${f.short}, ` : ""}--${name}${value}`, f.description);
  if (f.choices) o.choices(f.choices);
  return o;
}

/**
 * The commands commander needs: all of them for the overview, an unknown name's "did you mean" and
 * `help <unknown>`; just `only` when the command line names a known command, whose help and usage
 * errors read nothing from the others. Loading every command module costs a `--help` process the
 * modules' imports (~0.2 s of CPU more, the openai SDK among them, issue 26).
 */
async function load(registry: Registry, only: string | undefined): Promise<Command[]> {
  const loaders = only !== undefined && registry[only] ? [registry[only]] : Object.values(registry);
  return Promise.all(loaders.map(async (l) => (await l()).default));
}

/**
 * The known command a command line starts with (`build ...`, `help build`), if any. Only at the
 * start: after a leading option a word may be that option's value (`-C build plan`).
 */
function namedCommand(registry: Registry, argv: readonly string[]): string | undefined {
  const name = argv[0] === "help" ? argv[1] : argv[0];
  return name !== undefined && name in registry ? name : undefined;
}

/** `prefix` starts error lines: "dramake build" when the command is known. `only`: see load(). */
export async function program(registry: Registry, version: string, prefix = "dramake", only?: string): Promise<Program> {
  const commands = await load(registry, only);
  const top = new Program("dramake")
    .description("make for AI short dramas: drama.yaml in, a finished vertical video out, every generation step cached")
    .usage("<command> [options] [project]")
    .version(version, "-V, --version", "print dramake's version")
    .helpOption("-h, --help", GLOBAL_FLAGS.help.description)
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ outputError: (text, write) => write(reword(text, prefix)) })
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .addHelpText(
      "after",
      "\nThe project is the nearest drama.yaml in the current directory or above it (like git), unless a project\ndirectory or drama.yaml is named, or -C DIR is given.\nExit codes: 0 ok, 1 a step failed (or status --exit-code found stale steps), 2 bad project or usage.\nRun 'dramake help <command>' for a command's options.",
    );
  // --help is commander's own (it prints the help); the others are plain options here.
  for (const [name, f] of Object.entries(GLOBAL_FLAGS)) if (name !== "help") top.addOption(option(name, f));
  top.helpCommand("help [command]", "show a command's help");
  for (const c of commands) {
    const sub = top.command(c.name).description(c.details ? `${c.summary}\n\n${c.details}` : c.summary).summary(c.summary);
    for (const a of c.args) sub.argument(a.required ? `<${a.name}>` : `[${a.name}]`, a.description);
    for (const [name, f] of Object.entries(c.flags)) sub.addOption(option(name, f));
    sub.action(() => undefined);
  }
  return top;
}

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as dramake says it. */
function reword(text: string, prefix: string): string {
  return `${prefix}: ${text.replace(/^error: /, "").replace(/\n\(Did you mean (.*)\?\)/, "; did you mean $1?").trimEnd()}\n`;
}

export interface Explained {
  readonly code: number;
}

/**
 * Let commander parse argv (the whole command line) to print help or say
 * what is wrong with it. `fallback` is the fast parser's complaint, printed
 * when commander accepts what parseArgs did not.
 */
export async function explain(registry: Registry, version: string, argv: readonly string[], fallback: string | undefined, usage: string | undefined): Promise<number> {
  const name = argv.find((a) => !a.startsWith("-"));
  const known = name !== undefined && name in registry;
  const top = await program(registry, version, known ? `dramake ${name}` : "dramake", namedCommand(registry, argv));
  try {
    await top.parseAsync([...argv], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help" || error.code === "commander.version") return EXIT_OK;
    if (error.code === "commander.unknownCommand") process.stderr.write(`allowed: ${Object.keys(registry).join(", ")}\n`);
    else if (usage) process.stderr.write(`usage: ${usage}\n`);
    return EXIT_USAGE;
  }
  if (fallback !== undefined) process.stderr.write(`${known ? `dramake ${name}` : "dramake"}: ${fallback}\n${usage ? `usage: ${usage}\n` : ""}`);
  return fallback === undefined ? EXIT_OK : EXIT_USAGE;
}

export async function helpText(registry: Registry, version: string, name?: string): Promise<string> {
  const top = await program(registry, version, "dramake", name);
  const sub = name === undefined ? undefined : top.commands.find((c) => c.name() === name);
  return (sub ?? top).helpInformation();
}
