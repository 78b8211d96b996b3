import type { Command } from "../command.js";
import { EXIT_FAILED, EXIT_OK } from "../command.js";
import { parseFlags, projectTarget, usageError } from "../options.js";

const usage = "dramake clean [dir|drama.yaml] [--no-wait]";

const command: Command = {
  summary: "remove build outputs (the cache keeps them; the next build restores them for free)",
  usage,
  async run(argv) {
    const parsed = parseFlags(argv, { "no-wait": { type: "boolean" } }, 1);
    if (!parsed.ok) return usageError("clean", parsed.error.message, usage);
    const where = projectTarget(parsed.value.positionals[0]);
    if (!where.ok) return usageError("clean", where.error.message, usage);
    const engine = await import("../../engine/index.js");
    const r = await engine.clean(where.value.root, {
      noWait: parsed.value.values["no-wait"] === true,
      onWait: (h) => process.stderr.write(`waiting for another dramake command (process ${h.pid}) to finish with this project\n`),
    });
    if (!r.ok) {
      process.stderr.write(`dramake clean: ${engine.describeLockFailure(r.error)}\n`);
      return EXIT_FAILED;
    }
    process.stdout.write(r.value.removed ? "removed build/\n" : "nothing to clean\n");
    return EXIT_OK;
  },
};
export default command;
