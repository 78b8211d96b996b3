import { PROJECT_ARG } from "../flags.js";
import { defineCommand, EXIT_OK } from "../command.js";
import { numberFlag, projectTarget, usageError } from "../options.js";
import { addedText, printProblem, summary } from "../describe-draft.js";
import { usd } from "../../engine/money.js";

const command = defineCommand({
  name: "write",
  summary: "the text model writes the missing cast and scenes from the theme, editing drama.yaml in place (offline: an outline of beats)",
  details:
    "Sized by --scenes and/or --minutes (about 150 spoken words a minute). Priced first and refused over budget.\n" +
    "Everything already in drama.yaml stays as written, comments included; scenes already there are replaced only with --force.",
  args: [PROJECT_ARG],
  flags: {
    scenes: { value: "N", description: "write N scenes (default 4; with --minutes alone, scenes of 8 to 12 s: 2 minutes is 10 scenes)" },
    minutes: { value: "M", description: "about M minutes long in all" },
    episodes: { value: "N", description: "on a series (episodes:): add episodes until there are N, one premise each (offline: an outline)" },
    force: { description: "replace the scenes already in drama.yaml" },
    "dry-run": { description: "print the YAML it would add; write nothing (a text provider is still asked, and paid)" },
    budget: { value: "USD", description: "refuse if the estimate exceeds USD (overrides budget: in drama.yaml)" },
  },
  async run(input): Promise<number> {
    const v = input.flags;
    const scenes = numberFlag(v.scenes, "--scenes", { integer: true, min: 1 });
    if (!scenes.ok) return usageError(command, scenes.error.message);
    const minutes = numberFlag(v.minutes, "--minutes");
    if (!minutes.ok) return usageError(command, minutes.error.message);
    const episodes = numberFlag(v.episodes, "--episodes", { integer: true, min: 1 });
    if (!episodes.ok) return usageError(command, episodes.error.message);
    const budget = numberFlag(v.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);

    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once("SIGINT", onSigint);
    try {
      // Loaded here, not at the top: help lists this command, and the writer pulls in the providers (the openai SDK).
      const { writeDrama } = await import("../../write/write.js");
      const r = await writeDrama(where.value.target, { episodes: episodes.value, scenes: scenes.value, minutes: minutes.value, budget: budget.value, force: v.force, dryRun: v["dry-run"], signal: controller.signal });
      if (!r.ok) return printProblem(command.name, r.error);
      const o = r.value;
      if (o.written === false || input.verbose) process.stdout.write(addedText(o.before, o.after));
      if (!input.quiet) {
        for (const note of o.notes) process.stderr.write(`note: ${note}\n`);
        const how = o.outline ? "an offline outline (beats only; a build narrates them)" : `${o.model}, ${usd(o.cost)} (estimated ${usd(o.estimate)})`;
        process.stderr.write(`${summary({ done: "wrote", would: "write" }, o)}: ${how}\n`);
      }
      return EXIT_OK;
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
});
export default command;
