import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { GRAPH_FLAGS, JSON_FLAG, PROJECT_ARG, REMOTE_CACHE_FLAGS } from "../flags.js";
import { remoteCacheFrom } from "../remote-cache.js";
import { projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";

const command = defineCommand({
  name: "explain",
  summary: "why a step would run: which input or parameter changed",
  args: [
    { name: "step", required: true, description: "the step id, or a glob such as scene/*/clip (see 'dramake plan -a')" },
    PROJECT_ARG,
  ],
  flags: { ...GRAPH_FLAGS, ...JSON_FLAG, ...REMOTE_CACHE_FLAGS },
  async run(input): Promise<number> {
    const [stepId, dir] = input.args as [string, string | undefined];
    const where = projectTarget(dir);
    if (!where.ok) return usageError(command, where.error.message);
    const v = input.flags;
    const remoteCache = remoteCacheFrom({ url: v["remote-cache"], mode: v["remote-cache-mode"] });
    if (!remoteCache.ok) return usageError(command, remoteCache.error.message);
    const { colorFor, formatExplain } = await import("../../report/terminal.js");
    const graph = await loadGraph(where.value.target, { offline: v.offline, spends: false, json: v.json });
    if (!graph) return EXIT_USAGE;
    const engine = await import("../../engine/index.js");
    const plan = await engine.computePlan(graph, {
      remoteCache: remoteCache.value,
      onNotice: (message) => process.stderr.write(`dramake explain: ${message}\n`),
    });
    if (!plan.ok) {
      process.stderr.write(`dramake explain: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    const ids = plan.value.steps.map((s) => s.id);
    const chosen = plan.value.steps.filter((s) => engine.matchSteps([s.id], stepId).length > 0);
    if (chosen.length === 0) {
      const near = ids.filter((id) => id.includes(stepId.split("/").pop() ?? stepId)).slice(0, 8);
      return usageError(command, `no step '${stepId}'${near.length ? `; did you mean: ${near.join(", ")}` : ""}`);
    }
    for (const s of chosen) {
      if (v.json) {
        process.stdout.write(`${JSON.stringify({ id: s.id, action: s.action, ...(s.source ? { source: s.source } : {}), key: s.key ?? null, reason: engine.describeReasons(s.reasons), reasons: s.reasons, estimate: s.estimate, saved: s.savedCost })}\n`);
      } else {
        process.stdout.write(formatExplain(s, { color: colorFor(process.stdout) }));
      }
    }
    // A multi-shot scene named whole (`explain scene/the-call`): its shots, and which of them would run.
    if (graph.layout && !v.json) {
      const { plannedScenes, scenesNamed } = await import("../../report/plan-shots.js");
      const { formatSceneShots } = await import("../../report/terminal.js");
      for (const scene of scenesNamed(plannedScenes(graph.layout, plan.value), stepId)) process.stdout.write(formatSceneShots(scene, { color: colorFor(process.stdout) }));
    }
    return EXIT_OK;
  },
});
export default command;
