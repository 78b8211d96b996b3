/**
 * `dramake preview [dir] [--port N] [--watch]`: serves <project>/build on
 * 127.0.0.1. With --watch, every new build/storyboard.html reloads open pages
 * (`dramake watch --serve` reuses the same server and calls notifyReload itself).
 */
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Command } from "../command.js";
import { EXIT_OK, EXIT_USAGE } from "../command.js";
import { err, ok, type Result } from "../../result.js";
import { DEFAULT_PREVIEW_PORT, describePreviewError, startPreviewServer } from "../../report/preview/index.js";
import { STORYBOARD_FILE } from "../../report/storyboard/index.js";

const USAGE = "dramake preview [dir or drama.yaml] [--port N] [--watch]";

interface PreviewArgs {
  readonly target: string;
  readonly port: number;
  readonly watch: boolean;
}

export function parsePreviewArgs(argv: readonly string[]): Result<PreviewArgs, string> {
  let target: string | undefined;
  let port = DEFAULT_PREVIEW_PORT;
  let watch = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--watch" || arg === "-w") watch = true;
    else if (arg === "--port" || arg === "-p" || arg.startsWith("--port=")) {
      const value = arg.startsWith("--port=") ? arg.slice("--port=".length) : argv[++i];
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65535) {
        return err(`--port needs a port number from 0 (any free port) to 65535, got ${value === undefined ? "nothing" : `'${value}'`}`);
      }
      port = Number(value);
    } else if (arg.startsWith("-")) return err(`unknown option '${arg}'\nallowed: --port N, --watch`);
    else if (target === undefined) target = arg;
    else return err(`one project at a time, got '${target}' and '${arg}'`);
  }
  return ok({ target: target ?? ".", port, watch });
}

/** A project dir, or its drama.yaml, to the project root. */
async function projectRoot(target: string): Promise<Result<string, string>> {
  const path = resolve(target);
  const info = await stat(path).catch(() => undefined);
  if (info === undefined) return err(`no such file or directory: ${target}`);
  return ok(info.isDirectory() ? path : dirname(path));
}

const command: Command = {
  summary: "serve the storyboard page on 127.0.0.1, reloading it after every build with --watch",
  usage: USAGE,
  async run(argv) {
    const fail = (message: string): number => {
      process.stderr.write(`dramake preview: ${message}\n`);
      return EXIT_USAGE;
    };
    const args = parsePreviewArgs(argv);
    if (!args.ok) return fail(`${args.error}\nusage: ${USAGE}`);
    const root = await projectRoot(args.value.target);
    if (!root.ok) return fail(root.error);
    const buildDir = join(root.value, "build");
    const storyboard = join(buildDir, STORYBOARD_FILE);
    if ((await stat(storyboard).catch(() => undefined)) === undefined) {
      return fail(`no build/${STORYBOARD_FILE} in ${root.value}; run dramake build first`);
    }

    const started = await startPreviewServer({ buildDir, port: args.value.port, host: "127.0.0.1" });
    if (!started.ok) return fail(describePreviewError(started.error));
    const server = started.value;

    let stopWatching = async (): Promise<void> => {};
    if (args.value.watch) {
      const { watchStoryboard } = await import("../../report/preview/watch-storyboard.js");
      stopWatching = await watchStoryboard(buildDir, () => server.notifyReload());
    }
    process.stdout.write(
      `storyboard: ${server.url}\n${args.value.watch ? `reloading on every new build/${STORYBOARD_FILE}\n` : ""}press Ctrl-C to stop\n`,
    );

    await new Promise<void>((stop) => {
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await stopWatching();
    await server.close();
    return EXIT_OK;
  },
};
export default command;
