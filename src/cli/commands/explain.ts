import type { Command } from "../command.js";
import { EXIT_OK, EXIT_USAGE } from "../command.js";
import { parseFlags, projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";

const usage = "dramake explain <step> [dir|drama.yaml] [--json] [--offline]";

const command: Command = {
  summary: "why a step would run: which input or parameter changed",
  usage,
  async run(argv) {
    const parsed = parseFlags(argv, { json: { type: "boolean" }, offline: { type: "boolean" } }, 2);
    if (!parsed.ok) return usageError("explain", parsed.error.message, usage);
    const [stepId, dir] = parsed.value.positionals;
    if (stepId === undefined) return usageError("explain", "which step? e.g. dramake explain scene/the-call/clip", usage);
    const where = projectTarget(dir);
    if (!where.ok) return usageError("explain", where.error.message, usage);
    const v = parsed.value.values;
    const { colorFor, formatExplain } = await import("../../report/terminal.js");
    const graph = await loadGraph(where.value.target, v.offline === true, colorFor(process.stderr), false);
    if (!graph) return EXIT_USAGE;
    const engine = await import("../../engine/index.js");
    const plan = await engine.computePlan(graph);
    if (!plan.ok) {
      process.stderr.write(`dramake explain: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    const ids = plan.value.steps.map((s) => s.id);
    const chosen = plan.value.steps.filter((s) => engine.matchSteps([s.id], stepId).length > 0);
    if (chosen.length === 0) {
      const near = ids.filter((id) => id.includes(stepId.split("/").pop() ?? stepId)).slice(0, 8);
      return usageError("explain", `no step '${stepId}'${near.length ? `; did you mean: ${near.join(", ")}` : ""}`, usage);
    }
    for (const s of chosen) {
      if (v.json === true) {
        process.stdout.write(`${JSON.stringify({ id: s.id, action: s.action, key: s.key ?? null, reason: engine.describeReasons(s.reasons), reasons: s.reasons, estimate: s.estimate, saved: s.savedCost })}\n`);
      } else {
        process.stdout.write(formatExplain(s, { color: colorFor(process.stdout) }));
      }
    }
    return EXIT_OK;
  },
};
export default command;
