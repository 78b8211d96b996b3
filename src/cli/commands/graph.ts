import type { Command } from "../command.js";
import { EXIT_OK, EXIT_USAGE } from "../command.js";
import { parseFlags, projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";
import { renderGraph } from "../../report/graph-text.js";

const usage = "dramake graph [dir|drama.yaml] [--format mermaid|dot] [--offline]";

const command: Command = {
  summary: "print the step graph as Mermaid (default) or Graphviz DOT",
  usage,
  async run(argv) {
    const parsed = parseFlags(argv, { format: { type: "string" }, offline: { type: "boolean" } }, 1);
    if (!parsed.ok) return usageError("graph", parsed.error.message, usage);
    const format = parsed.value.values.format ?? "mermaid";
    if (format !== "mermaid" && format !== "dot") return usageError("graph", `--format is mermaid or dot, got '${String(format)}'`, usage);
    const where = projectTarget(parsed.value.positionals[0]);
    if (!where.ok) return usageError("graph", where.error.message, usage);
    const graph = await loadGraph(where.value.target, parsed.value.values.offline === true, false, false);
    if (!graph) return EXIT_USAGE;
    process.stdout.write(renderGraph(graph.steps, format));
    return EXIT_OK;
  },
};
export default command;
