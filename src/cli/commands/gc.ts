import type { Command } from "../command.js";
import { EXIT_FAILED, EXIT_OK } from "../command.js";
import { parseFlags, projectTarget, sizeFlag, usageError } from "../options.js";

const usage = "dramake gc [dir|drama.yaml] [--max-size 500M] [--no-wait]";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const command: Command = {
  summary: "remove cache entries drama.lock does not reference (or, with --max-size, the least recently used beyond the cap)",
  usage,
  async run(argv) {
    const parsed = parseFlags(argv, { "max-size": { type: "string" }, "no-wait": { type: "boolean" } }, 1);
    if (!parsed.ok) return usageError("gc", parsed.error.message, usage);
    const maxSize = sizeFlag(parsed.value.values["max-size"], "--max-size");
    if (!maxSize.ok) return usageError("gc", maxSize.error.message, usage);
    const where = projectTarget(parsed.value.positionals[0]);
    if (!where.ok) return usageError("gc", where.error.message, usage);
    const engine = await import("../../engine/index.js");
    const r = await engine.gc(where.value.root, {
      maxSize: maxSize.value,
      noWait: parsed.value.values["no-wait"] === true,
      onWait: (h) => process.stderr.write(`waiting for another dramake command (process ${h.pid}) to finish with this project\n`),
    });
    if (!r.ok) {
      process.stderr.write(`dramake gc: ${engine.describeLockFailure(r.error)}\n`);
      return EXIT_FAILED;
    }
    const g = r.value;
    process.stdout.write(`removed ${g.removedActions} action record(s) and ${g.removedObjects} object(s), freed ${mb(g.freedBytes)}; cache now ${mb(g.keptBytes)}\n`);
    if (g.referencedOverCap) process.stderr.write(`note: what drama.lock references alone exceeds --max-size; those entries are never evicted\n`);
    return EXIT_OK;
  },
};
export default command;
