#!/usr/bin/env node
/**
 * Entry point. Commands are loaded lazily, one module each, so a no-op
 * `dramake build` never pays for importing what it does not use.
 */
import type { Command } from "./command.js";
import { EXIT_USAGE } from "./command.js";

const commands: Record<string, () => Promise<{ default: Command }>> = {
  build: () => import("./commands/build.js"),
  plan: () => import("./commands/plan.js"),
  status: () => import("./commands/status.js"),
  explain: () => import("./commands/explain.js"),
  watch: () => import("./commands/watch.js"),
  preview: () => import("./commands/preview.js"),
  graph: () => import("./commands/graph.js"),
  validate: () => import("./commands/validate.js"),
  init: () => import("./commands/init.js"),
  clean: () => import("./commands/clean.js"),
  gc: () => import("./commands/gc.js"),
};

const HELP = `dramake: make for AI short dramas

usage: dramake <command> [project dir or drama.yaml, default .] [options]

commands:
  build      build everything out of date
  plan       what build would run, why, and the cost; runs nothing
  status     stale steps against drama.lock
  explain    why a step would run
  watch      build, then rebuild on every save
  preview    serve the storyboard page
  graph      the step graph as Mermaid or DOT
  validate   check the project file only
  init       a starter project that builds offline
  clean      remove build outputs
  gc         remove cache entries no lockfile references

run 'dramake <command> --help' for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(HELP);
    return name === undefined ? EXIT_USAGE : 0;
  }
  if (name === "--version" || name === "-v") {
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`dramake: unknown command '${name}'\nallowed: ${Object.keys(commands).join(", ")}\n`);
    return EXIT_USAGE;
  }
  const command = (await load()).default;
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`${command.summary}\n\nusage: ${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

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
