/**
 * `dramake retake <step> [dir]`: a new generation of one step. The new take
 * is one past every take of the step the cache has seen; it is chosen by
 * writing `take:` into drama.yaml in place, and then the project is built, so
 * what depends on the step is rebuilt too. Earlier takes stay in the cache
 * (gc keeps them): writing their number back restores one for nothing.
 *
 * The retake is priced before the file is touched for good: over budget,
 * drama.yaml is put back as it was and nothing is sent. A take that costs
 * money is asked about on a terminal first (`--yes` skips the question;
 * without a terminal and without --yes it is refused, exit 2).
 */
import { defineCommand, EXIT_FAILED, EXIT_USAGE } from "../command.js";
import { BUILD_FLAGS, NO_WAIT_FLAG, PROJECT_ARG } from "../flags.js";
import { numberFlag, projectTarget, usageError } from "../options.js";
import { shownPath } from "../paths.js";
import { printLoadFailure } from "../graph-loading.js";

const command = defineCommand({
  name: "retake",
  summary: "a new generation of one step; earlier takes are kept, take: in drama.yaml picks",
  details: "Steps with takes: cast/<id>/portrait, scene/<id>/keyframe, clip, lines, polish, voice/<n>, music, card/title|hook|end. The new take is written where its step's thing is written (drama.yaml, or in a series the episode's or the included file; only the take line changes), then the project is built. In a series, steps are episode/<ep>/scene/<id>/….",
  args: [{ name: "step", required: true, description: "the step to make again, e.g. scene/the-call/clip" }, PROJECT_ARG],
  flags: { ...BUILD_FLAGS, ...NO_WAIT_FLAG, yes: { short: "y", description: "make a take that costs money without asking (needed where there is no terminal to ask)" } },
  async run(input): Promise<number> {
    const [id, dir] = input.args as [string, string | undefined];
    const v = input.flags;
    const budget = numberFlag(v.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const where = projectTarget(dir);
    if (!where.ok) return usageError(command, where.error.message);
    const { newTake } = await import("../../graph/retake.js");
    const { colorFor } = await import("../../report/terminal.js");
    const options = { offline: v.offline, color: colorFor(process.stderr), budget: budget.value };
    // A take that costs money is asked about first (priced with the file put back), unless --yes.
    let made = await newTake(where.value.target, id, v.yes ? options : { ...options, confirmed: 0 });
    if (!made.ok && made.error.kind === "unconfirmed") {
      const { canAsk, confirm } = await import("../confirm.js");
      const { take, estimate } = made.error;
      const price = `$${estimate.toFixed(2)}`;
      if (!canAsk()) {
        const message = `take ${take} of ${id} would spend about ${price} (estimated) and there is no terminal to ask; pass --yes to spend it. Nothing was sent`;
        if (v.json) process.stdout.write(`${JSON.stringify({ event: "error", kind: "unconfirmed", take, estimate, message })}\n`);
        return usageError(command, message);
      }
      if (!(await confirm(`take ${take} of ${id}: the build it asks for is estimated at ${price}. Spend it?`))) {
        process.stderr.write(`dramake retake: not made; nothing was sent\n`);
        return EXIT_FAILED;
      }
      made = await newTake(where.value.target, id, { ...options, confirmed: estimate });
    }
    if (!made.ok) {
      const refusal = made.error;
      switch (refusal.kind) {
        case "invalid-project":
          await printLoadFailure(where.value.target, refusal, { offline: v.offline, spends: true, json: v.json });
          return EXIT_USAGE;
        case "unknown-step":
          return usageError(command, refusal.message);
        case "refused":
          if (v.json) process.stdout.write(`${JSON.stringify({ event: "error", ...refusal.failure, message: refusal.message })}\n`);
          process.stderr.write(`dramake retake: ${refusal.message}\n`);
          return EXIT_FAILED;
        default:
          process.stderr.write(`dramake retake: ${refusal.message}\n`);
          return EXIT_FAILED;
      }
    }
    const { take, file } = made.value;
    const line = `take ${take} of ${id} chosen in ${shownPath(file)}`;
    if (v.json) process.stdout.write(`${JSON.stringify({ event: "take", id, take })}\n`);
    else if (!input.quiet) process.stderr.write(`${line}\n`);
    const build = (await import("./build.js")).default;
    return build.run({ ...input, args: dir === undefined ? [] : [dir], flags: { ...v, force: [], target: [], "dry-run": false, queue: undefined, "retry-failed": false } });
  },
});
export default command;
