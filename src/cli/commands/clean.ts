import { join } from "node:path";
import { defineCommand, EXIT_FAILED, EXIT_OK } from "../command.js";
import { NO_WAIT_FLAG, PROJECT_ARG } from "../flags.js";
import { projectTarget, usageError } from "../options.js";
import { shownPath } from "../paths.js";

const command = defineCommand({
  name: "clean",
  summary: "remove build outputs (the cache keeps them; the next build restores them for free)",
  args: [PROJECT_ARG],
  flags: {
    all: { short: "a", description: "also remove .dramake/ (the cache): the next build generates, and pays for, everything again" },
    ...NO_WAIT_FLAG,
  },
  async run(input): Promise<number> {
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const root = where.value.root;
    const engine = await import("../../engine/index.js");
    const r = await engine.clean(root, {
      all: input.flags.all,
      noWait: input.flags["no-wait"],
      onWait: (h) => process.stderr.write(`waiting for another dramake command (process ${h.pid}) to finish with this project\n`),
    });
    if (!r.ok) {
      process.stderr.write(`dramake clean: ${engine.describeLockFailure(r.error)}\n`);
      return EXIT_FAILED;
    }
    const removed = [...(r.value.removed ? ["build"] : []), ...(r.value.removedCache ? [".dramake"] : [])].map((d) => `${shownPath(join(root, d))}/`);
    if (!input.quiet) process.stdout.write(removed.length > 0 ? `removed ${removed.join(" and ")}\n` : "nothing to clean\n");
    return EXIT_OK;
  },
});
export default command;
