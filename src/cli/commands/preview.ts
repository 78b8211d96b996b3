/**
 * `dramake preview [project] [--port N] [--watch]`: serves <project>/build on
 * 127.0.0.1. With --watch, every new build/storyboard.html reloads open pages
 * (`dramake watch --serve` reuses the same server and calls notifyReload itself).
 * The page's take buttons edit drama.yaml and build (take-desk.ts).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { OFFLINE_FLAG, PROJECT_ARG } from "../flags.js";
import { numberFlag, portFlag, projectTarget, usageError } from "../options.js";
import { shownPath } from "../paths.js";
import { DEFAULT_PREVIEW_PORT, describePreviewError, startPreviewServer, type PreviewServer } from "../../report/preview/index.js";
import { STORYBOARD_FILE } from "../../report/storyboard/index.js";

const command = defineCommand({
  name: "preview",
  summary: "serve the storyboard page on 127.0.0.1, reloading it after every build with --watch",
  args: [PROJECT_ARG],
  flags: {
    port: { short: "p", value: "N", description: `the port (default ${DEFAULT_PREVIEW_PORT}; 0 picks a free one)` },
    watch: { short: "w", description: "reload open pages whenever a build writes a new storyboard" },
    ...OFFLINE_FLAG,
    budget: { value: "USD", description: "refuse a take the page asks for whose build exceeds USD (overrides budget: in drama.yaml)" },
  },
  async run(input): Promise<number> {
    const fail = (message: string): number => {
      process.stderr.write(`dramake preview: ${message}\n`);
      return EXIT_USAGE;
    };
    const port = portFlag(input.flags.port);
    if (!port.ok) return usageError(command, port.error.message);
    const budget = numberFlag(input.flags.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const buildDir = join(where.value.root, "build");
    const storyboard = join(buildDir, STORYBOARD_FILE);
    if ((await stat(storyboard).catch(() => undefined)) === undefined) {
      return fail(`no build/${STORYBOARD_FILE} in ${shownPath(where.value.root)}; run dramake build first`);
    }

    // "use this take" and "new take" build here: nothing else would (see take-desk.ts). Under --watch the
    // storyboard watcher reloads the page after that build, as after any other.
    const { takeDesk } = await import("../take-desk.js");
    let server: PreviewServer | undefined;
    const takes = takeDesk({
      target: where.value.target,
      root: where.value.root,
      offline: input.flags.offline,
      ...(budget.value !== undefined ? { budget: budget.value } : {}),
      build: true,
      built: () => {
        if (!input.flags.watch) server?.notifyReload();
      },
    });
    const started = await startPreviewServer({ buildDir, port: port.value ?? DEFAULT_PREVIEW_PORT, host: "127.0.0.1", takes });
    if (!started.ok) return fail(describePreviewError(started.error));
    server = started.value;

    let stopWatching = async (): Promise<void> => {};
    if (input.flags.watch) {
      const { watchStoryboard } = await import("../../report/preview/watch-storyboard.js");
      stopWatching = await watchStoryboard(buildDir, () => server?.notifyReload());
    }
    process.stdout.write(
      `storyboard: ${server.url}\n${input.flags.watch ? `reloading on every new build/${STORYBOARD_FILE}\n` : ""}press Ctrl-C to stop\n`,
    );

    await new Promise<void>((stop) => {
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    await stopWatching();
    await server.close();
    return EXIT_OK;
  },
});
export default command;
