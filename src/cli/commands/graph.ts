import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { GRAPH_FLAGS, PROJECT_ARG, TARGET_FLAG } from "../flags.js";
import { projectTarget, usageError } from "../options.js";
import { checkTargets, loadGraph } from "../graph-loading.js";
import { renderGraph } from "../../report/graph-text.js";

const FORMATS = ["mermaid", "dot"] as const;

const command = defineCommand({
  name: "graph",
  summary: "print the step graph as Mermaid (default) or Graphviz DOT",
  args: [PROJECT_ARG],
  flags: {
    ...GRAPH_FLAGS,
    ...TARGET_FLAG,
    format: { value: "FORMAT", choices: FORMATS, description: "mermaid (default) or dot" },
  },
  async run(input): Promise<number> {
    const format = input.flags.format ?? "mermaid";
    if (format !== "mermaid" && format !== "dot") return usageError(command, `--format is mermaid or dot, got '${format}'`);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const graph = await loadGraph(where.value.target, { offline: input.flags.offline, spends: false, json: false });
    if (!graph) return EXIT_USAGE;
    const targets = input.flags.target;
    const unknown = await checkTargets("graph", graph, targets);
    if (unknown !== undefined) return unknown;
    // With --target, the subgraph that builds the targets.
    const { stepCone } = await import("../../engine/index.js");
    const cone = targets.length > 0 ? stepCone(graph.steps, targets) : undefined;
    process.stdout.write(renderGraph(cone ? graph.steps.filter((s) => cone.has(s.id)) : graph.steps, format));
    return EXIT_OK;
  },
});
export default command;
