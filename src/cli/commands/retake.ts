/**
 * `dramake retake <step> [dir]`: a new generation of one step. The new take
 * is one past every take of the step the cache has seen; it is chosen by
 * writing `take:` into drama.yaml in place, and then the project is built, so
 * what depends on the step is rebuilt too. Earlier takes stay in the cache
 * (gc keeps them): writing their number back restores one for nothing.
 *
 * The retake is priced before the file is touched for good: over budget,
 * drama.yaml is put back as it was and nothing is sent.
 */
import { readFile } from "node:fs/promises";
import { defineCommand, EXIT_FAILED, EXIT_USAGE } from "../command.js";
import { BUILD_FLAGS, NO_WAIT_FLAG, PROJECT_ARG } from "../flags.js";
import { numberFlag, projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";

const command = defineCommand({
  name: "retake",
  summary: "a new generation of one step; earlier takes are kept, take: in drama.yaml picks",
  details: "Steps with takes: cast/<id>/portrait, scene/<id>/keyframe, clip, lines, polish, voice/<n>, music. The new take is written into drama.yaml (only that line changes), then the project is built.",
  args: [{ name: "step", required: true, description: "the step to make again, e.g. scene/the-call/clip" }, PROJECT_ARG],
  flags: { ...BUILD_FLAGS, ...NO_WAIT_FLAG },
  async run(input): Promise<number> {
    const [id, dir] = input.args as [string, string | undefined];
    const v = input.flags;
    const budget = numberFlag(v.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const where = projectTarget(dir);
    if (!where.ok) return usageError(command, where.error.message);
    const loading = { offline: v.offline, spends: true, json: v.json };
    const graph = await loadGraph(where.value.target, loading);
    if (!graph?.project) return EXIT_USAGE;
    const [engine, takes] = await Promise.all([import("../../engine/index.js"), import("../../graph/takes.js")]);
    const step = graph.steps.find((s) => s.id === id);
    if (!step || !takes.hasTakes(step) || !takes.takePlace(graph.project, id)) {
      const allowed = graph.steps.filter((s) => takes.hasTakes(s) && takes.takePlace(graph.project!, s.id)).map((s) => s.id);
      return usageError(command, `${step ? `step '${id}' has no takes (it is not a generation)` : `no step '${id}'`}; steps with takes: ${allowed.join(", ")}`);
    }
    const take = engine.nextTake(await engine.listTakes(graph.root, id), step.take ?? 1);
    const before = await readFile(graph.project.file, "utf8");
    const chosen = await takes.chooseTake(graph.project, id, take);
    if (!chosen.ok) {
      process.stderr.write(`dramake retake: ${chosen.error}\n`);
      return EXIT_FAILED;
    }
    // Priced with the new take in place; over budget, the file goes back and nothing is spent.
    const edited = await loadGraph(where.value.target, loading);
    const plan = edited ? await engine.computePlan(edited) : undefined;
    const refused = edited && plan?.ok ? engine.overBudget(edited, plan.value, budget.value) : undefined;
    if (!edited || !plan?.ok || refused) {
      const { replaceFile } = await import("../../project/edit.js");
      await replaceFile(graph.project.file, chosen.value.after, before);
      if (refused) {
        const message = `take ${take} of ${id}: ${engine.describeFailure(refused)}; drama.yaml is unchanged`;
        if (v.json) process.stdout.write(`${JSON.stringify({ event: "error", ...refused, message })}\n`);
        process.stderr.write(`dramake retake: ${message}\n`);
      } else if (plan && !plan.ok) {
        process.stderr.write(`dramake retake: ${engine.describeFailure(plan.error)}\n`);
      }
      return EXIT_FAILED;
    }
    const line = `take ${take} of ${id} chosen in ${graph.project.file}`;
    if (v.json) process.stdout.write(`${JSON.stringify({ event: "take", id, take })}\n`);
    else if (!input.quiet) process.stderr.write(`${line}\n`);
    const build = (await import("./build.js")).default;
    return build.run({ ...input, args: dir === undefined ? [] : [dir], flags: { ...v, force: [], target: [], "dry-run": false } });
  },
});
export default command;
