import { defineCommand, EXIT_FAILED, EXIT_OK } from "../command.js";
import { NO_WAIT_FLAG, PROJECT_ARG } from "../flags.js";
import { projectTarget, sizeFlag, usageError } from "../options.js";

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

const command = defineCommand({
  name: "gc",
  summary: "remove cache entries drama.lock does not reference (or, with --max-size, the least recently used beyond the cap)",
  args: [PROJECT_ARG],
  flags: {
    "max-size": { value: "SIZE", description: "also evict the least recently used entries until the cache fits SIZE (500M, 2G); what drama.lock references stays" },
    "dry-run": { short: "n", description: "say what would be removed and freed; remove nothing" },
    "drop-takes": { description: "also remove the takes drama.lock does not choose (kept by default, so going back to one costs nothing)" },
    ...NO_WAIT_FLAG,
  },
  async run(input): Promise<number> {
    const maxSize = sizeFlag(input.flags["max-size"], "--max-size");
    if (!maxSize.ok) return usageError(command, maxSize.error.message);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const engine = await import("../../engine/index.js");
    const r = await engine.gc(where.value.root, {
      maxSize: maxSize.value,
      dryRun: input.flags["dry-run"],
      dropTakes: input.flags["drop-takes"],
      noWait: input.flags["no-wait"],
      onWait: (h) => process.stderr.write(`waiting for another dramake command (process ${h.pid}) to finish with this project\n`),
    });
    if (!r.ok) {
      process.stderr.write(`dramake gc: ${engine.describeLockFailure(r.error)}\n`);
      return EXIT_FAILED;
    }
    const g = r.value;
    const [verb, freed, now] = input.flags["dry-run"] ? ["would remove", "freeing", "cache would be"] : ["removed", "freed", "cache now"];
    if (!input.quiet) process.stdout.write(`${verb} ${g.removedActions} action record(s) and ${g.removedObjects} object(s), ${freed} ${mb(g.freedBytes)}; ${now} ${mb(g.keptBytes)}\n`);
    if (g.referencedOverCap) process.stderr.write(`note: what drama.lock references alone exceeds --max-size; those entries are never evicted\n`);
    return EXIT_OK;
  },
});
export default command;
