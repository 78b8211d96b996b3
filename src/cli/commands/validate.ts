import { JSON_FLAG, PROJECT_ARG } from "../flags.js";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { projectTarget, usageError } from "../options.js";
import { printDiagnostics } from "../diagnostics.js";
import { shownPath } from "../paths.js";
import { ok } from "../../result.js";

const command = defineCommand({
  name: "validate",
  summary: "check the project file only: shape, cross references, referenced files; every problem with its position",
  details:
    'With --json, stdout has one line per problem, {"event":"error"|"warning","file","line","col","length","code","message","allowed"?},\nthen {"event":"validated","ok","errors","warnings"} (see the README).',
  args: [PROJECT_ARG],
  flags: { ...JSON_FLAG },
  async run(input): Promise<number> {
    // A named path goes straight to the loader: a missing or unreadable one is a diagnostic like any other.
    const where = input.args[0] === undefined ? projectTarget(undefined) : ok({ target: input.args[0] });
    if (!where.ok) return usageError(command, where.error.message);
    const json = input.flags.json;
    // The loader (zod's schema) is loaded when validating, not for help, which lists every command.
    const result = await (await import("../../project/load.js")).loadProject(where.value.target);
    // A take: naming a step its scene does not have is an error of the file, as `build` reports it.
    const takes = result.ok ? await (await import("../../graph/load.js")).takeProblems(result.value) : [];
    const diagnostics = result.ok ? [...takes, ...result.value.warnings] : result.error;
    await printDiagnostics(diagnostics, { json });
    const errors = diagnostics.filter((d) => d.severity === "error").length;
    const valid = result.ok && errors === 0;
    if (json) process.stdout.write(`${JSON.stringify({ event: "validated", ok: valid, errors, warnings: diagnostics.length - errors })}\n`);
    if (!result.ok || !valid) return EXIT_USAGE;
    const project = result.value;
    const castCount = Object.keys(project.cast).length;
    const scenes = project.scenes.length;
    const episodes = project.series ? `${project.episodes.length} episode${project.episodes.length === 1 ? "" : "s"}, ` : "";
    if (!json && !input.quiet) process.stdout.write(`${shownPath(project.file)}: ok — ${episodes}${scenes} scene${scenes === 1 ? "" : "s"}, ${castCount} cast\n`);
    return EXIT_OK;
  },
});
export default command;
