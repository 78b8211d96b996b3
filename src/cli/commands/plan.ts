import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { FORCE_FLAG, GRAPH_FLAGS, JSON_FLAG, PROJECT_ARG, REMOTE_CACHE_FLAGS, TARGET_FLAG } from "../flags.js";
import { remoteCacheFrom } from "../remote-cache.js";
import { projectTarget, usageError } from "../options.js";
import { checkTargets, loadGraph } from "../graph-loading.js";

const command = defineCommand({
  name: "plan",
  summary: "what build would run, why, and the cost; runs nothing (also: build --dry-run, -n)",
  args: [PROJECT_ARG],
  flags: {
    ...GRAPH_FLAGS,
    ...JSON_FLAG,
    ...FORCE_FLAG,
    ...REMOTE_CACHE_FLAGS,
    ...TARGET_FLAG,
    all: { short: "a", description: "list cached steps too, not only those that would run" },
  },
  async run(input): Promise<number> {
    const v = input.flags;
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const remoteCache = remoteCacheFrom({ url: v["remote-cache"], mode: v["remote-cache-mode"] });
    if (!remoteCache.ok) return usageError(command, remoteCache.error.message);
    const { colorFor, formatPlan } = await import("../../report/terminal.js");
    const graph = await loadGraph(where.value.target, { offline: v.offline, spends: false, json: v.json });
    if (!graph) return EXIT_USAGE;
    const unknown = await checkTargets("plan", graph, v.target);
    if (unknown !== undefined) return unknown;
    const engine = await import("../../engine/index.js");
    const plan = await engine.computePlan(graph, {
      force: v.force,
      targets: v.target,
      remoteCache: remoteCache.value,
      onNotice: (message) => process.stderr.write(`dramake plan: ${message}\n`),
    });
    if (!plan.ok) {
      process.stderr.write(`dramake plan: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    // Shots (issue 27): a scene left one clip because the video model's lengths are unknown, a shot past the longest clip.
    const notices = (graph.layout?.episodes ?? []).flatMap((ep) => ep.scenes.flatMap((s) => s.notices ?? []));
    for (const notice of notices) process.stderr.write(`dramake plan: note: ${notice}\n`);
    if (v.json) (await import("../../report/json.js")).writePlanJson(plan.value, process.stdout);
    else process.stdout.write(formatPlan(plan.value, { color: colorFor(process.stdout), verbose: v.all || input.verbose }));
    return EXIT_OK;
  },
});
export default command;
