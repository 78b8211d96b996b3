#!/usr/bin/env node
/**
 * Entry point.
 *
 * Adding a command: write src/cli/commands/<name>.ts exporting
 * `defineCommand({ name, summary, args, flags, run })` (see command.ts) and
 * add one line to `commands` in registry.ts. Its help, `dramake help <name>`, the
 * "did you mean" for it and its flags, and the completion scripts all come
 * from that one definition.
 *
 * Adding a flag: add it to the command's `flags` (with a description: help
 * and completion read it), or to a shared group in flags.ts (GRAPH_FLAGS for
 * every command that reads the step graph, BUILD_FLAGS for build and watch)
 * to add it to every command that spreads the group. `run` receives it typed
 * in `input.flags`.
 *
 * Commands load lazily, one module each, and argv is parsed by node:util
 * (parse.ts) from the same tables, so a no-op `dramake build` never pays for
 * what it does not use. commander (help.ts) is loaded only to print help or
 * to say what is wrong with a command line, with its "did you mean".
 */
import nodeModule from "node:module";
import { EXIT_USAGE, usageLine } from "./command.js";
import { parseCommandArgv, parseLeading } from "./parse.js";
import { commands } from "./registry.js";

async function version(): Promise<string> {
  const { readFileSync } = await import("node:fs");
  return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
}

/** Help, or why the command line is wrong, from commander. */
async function explain(argv: readonly string[], fallback?: string, usage?: string): Promise<number> {
  const help = await import("./help.js");
  return help.explain(commands, await version(), argv, fallback, usage);
}

async function main(argv: readonly string[]): Promise<number> {
  const lead = parseLeading(argv);
  if (!lead.ok) return explain(argv, lead.error.message);
  const { at } = lead.value;
  const name = argv[at];
  if (lead.value.version && name === undefined) {
    process.stdout.write(`${await version()}\n`);
    return 0;
  }
  if (name === undefined) {
    if (lead.value.help) return explain(["--help"]);
    // Bare `dramake`: the overview, on stderr (it is a usage error), exit 2.
    const { helpText } = await import("./help.js");
    process.stderr.write(await helpText(commands, await version()));
    return EXIT_USAGE;
  }
  if (name === "help") return explain(argv.slice(at));
  const load = commands[name];
  if (!load) return explain(argv.slice(at), `unknown command '${name}'`);
  const command = (await load()).default;
  const parsed = parseCommandArgv(command, argv.slice(at + 1));
  if (!parsed.ok) return explain(argv.slice(at), parsed.error.message, usageLine(command));
  const p = parsed.value;
  if (p.help || lead.value.help) return explain([name, "--help"]);
  const directory = p.directory ?? lead.value.directory;
  if (directory !== undefined) {
    try {
      process.chdir(directory);
    } catch {
      process.stderr.write(`dramake ${name}: -C ${directory}: no such directory\nusage: ${usageLine(command)}\n`);
      return EXIT_USAGE;
    }
  }
  // Every path is resolved from the working directory. One deleted under the shell (a removed
  // checkout or temp dir) makes process.cwd() throw deep inside a command: say so here instead.
  if (!workingDirectoryExists()) {
    process.stderr.write(`dramake ${name}: the current directory no longer exists (deleted or moved); cd into the project, or name it with -C DIR\nusage: ${usageLine(command)}\n`);
    return EXIT_USAGE;
  }
  return command.run({ flags: p.flags, args: p.args, quiet: p.quiet || lead.value.quiet, verbose: p.verbose || lead.value.verbose });
}

function workingDirectoryExists(): boolean {
  try {
    process.cwd();
    return true;
  } catch {
    return false;
  }
}

// A closed stdout (`dramake plan --json | head -1`) means nobody reads any more: end quietly, as
// a Unix tool killed by SIGPIPE would, but with exit code 0 and no stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

// Node 22.1+ keeps V8's compiled code of the modules loaded from here on (the engine, the graph,
// zod, yaml: dist/bundle/) in its cache folder, so a cold build or a plan stops recompiling
// them on every run (about 20 ms a command on Node 22 here). Node 20 has no such cache.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug in dramake, not bad input: say so plainly, with the stack for a report.
    process.stderr.write(`dramake: internal error (please report it)\n${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 70;
  },
);
