import type { Command } from "../command.js";
import { EXIT_OK, EXIT_USAGE } from "../command.js";
import { parseFlags, projectTarget, stringList, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";

const usage = "dramake plan [dir|drama.yaml] [--json] [--offline] [--force STEP]... [--all]";

const command: Command = {
  summary: "what build would run, why, and the cost; runs nothing",
  usage,
  async run(argv) {
    const parsed = parseFlags(argv, { json: { type: "boolean" }, offline: { type: "boolean" }, force: { type: "string", multiple: true }, all: { type: "boolean", short: "a" } }, 1);
    if (!parsed.ok) return usageError("plan", parsed.error.message, usage);
    const v = parsed.value.values;
    const where = projectTarget(parsed.value.positionals[0]);
    if (!where.ok) return usageError("plan", where.error.message, usage);
    const { colorFor, formatPlan } = await import("../../report/terminal.js");
    const graph = await loadGraph(where.value.target, v.offline === true, colorFor(process.stderr), false);
    if (!graph) return EXIT_USAGE;
    const engine = await import("../../engine/index.js");
    const plan = await engine.computePlan(graph, { force: stringList(v.force) });
    if (!plan.ok) {
      process.stderr.write(`dramake plan: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    if (v.json === true) (await import("../../report/json.js")).writePlanJson(plan.value, process.stdout);
    else process.stdout.write(formatPlan(plan.value, { color: colorFor(process.stdout), verbose: v.all === true }));
    return EXIT_OK;
  },
};
export default command;
