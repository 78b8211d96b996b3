import { defineCommand, EXIT_FAILED, EXIT_OK } from "../command.js";
import { NO_WAIT_FLAG, PROJECT_ARG } from "../flags.js";
import { projectTarget, usageError } from "../options.js";

const command = defineCommand({
  name: "clean",
  summary: "remove build outputs (the cache keeps them; the next build restores them for free)",
  args: [PROJECT_ARG],
  flags: { ...NO_WAIT_FLAG },
  async run(input): Promise<number> {
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const engine = await import("../../engine/index.js");
    const r = await engine.clean(where.value.root, {
      noWait: input.flags["no-wait"],
      onWait: (h) => process.stderr.write(`waiting for another dramake command (process ${h.pid}) to finish with this project\n`),
    });
    if (!r.ok) {
      process.stderr.write(`dramake clean: ${engine.describeLockFailure(r.error)}\n`);
      return EXIT_FAILED;
    }
    if (!input.quiet) process.stdout.write(r.value.removed ? "removed build/\n" : "nothing to clean\n");
    return EXIT_OK;
  },
});
export default command;
