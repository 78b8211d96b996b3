import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { GRAPH_FLAGS, PROJECT_ARG } from "../flags.js";
import { projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";
import { usd } from "../../engine/money.js";

const command = defineCommand({
  name: "status",
  summary: "stale steps against drama.lock, git-status style",
  args: [PROJECT_ARG],
  flags: { ...GRAPH_FLAGS },
  async run(input): Promise<number> {
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const { colorFor } = await import("../../report/terminal.js");
    const graph = await loadGraph(where.value.target, input.flags.offline, colorFor(process.stderr), false);
    if (!graph) return EXIT_USAGE;
    const engine = await import("../../engine/index.js");
    const [plan, lock] = await Promise.all([engine.computePlan(graph), engine.readLockfile(engine.layout(graph.root).lockfile)]);
    if (!plan.ok) {
      process.stderr.write(`dramake status: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    const kleur = (await import("kleur")).default;
    kleur.enabled = colorFor(process.stdout);
    const rows: string[] = [];
    for (const s of plan.value.steps) {
      const entry = lock.get(s.id);
      if (!entry) rows.push(kleur.green(`\tnew:       ${s.id}`));
      else if (s.action === "run") rows.push(`${kleur.red(`\tmodified:  ${s.id}`)}  ${kleur.dim(engine.describeReasons(s.reasons))}`);
      else if (s.key !== entry.key) rows.push(`${kleur.yellow(`\tunlocked:  ${s.id}`)}  ${kleur.dim("cached, but drama.lock names another result")}`);
    }
    const ids = new Set(plan.value.steps.map((s) => s.id));
    for (const id of [...lock.keys()].sort()) if (!ids.has(id)) rows.push(kleur.red(`\tremoved:   ${id}`));
    if (rows.length === 0) {
      process.stdout.write(`nothing stale: drama.lock matches all ${plan.value.steps.length} steps\n`);
      return EXIT_OK;
    }
    process.stdout.write(
      `${rows.length} of ${plan.value.steps.length} steps differ from drama.lock:\n  (run 'dramake build' to bring them up to date, 'dramake explain <step>' for details)\n\n${rows.join("\n")}\n\n` +
        `estimated cost to rebuild ${usd(plan.value.estimate)}\n`,
    );
    return EXIT_OK;
  },
});
export default command;
