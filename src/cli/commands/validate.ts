import { PROJECT_ARG } from "../flags.js";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { projectTarget, usageError } from "../options.js";
import { ok } from "../../result.js";
import { displayPath, formatDiagnostics } from "../../project/diagnostic.js";
import { loadProject, readSources } from "../../project/load.js";

function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";
}

const command = defineCommand({
  name: "validate",
  summary: "check the project file only: shape, cross references, referenced files; every problem with its position",
  args: [PROJECT_ARG],
  flags: {},
  async run(input): Promise<number> {
    // A named path goes straight to the loader: a missing or unreadable one is a diagnostic like any other.
    const where = input.args[0] === undefined ? projectTarget(undefined) : ok({ target: input.args[0] });
    if (!where.ok) return usageError(command, where.error.message);
    const result = await loadProject(where.value.target);
    if (!result.ok) {
      process.stderr.write(formatDiagnostics(result.error, await readSources(result.error), { color: useColor() }));
      return EXIT_USAGE;
    }
    const project = result.value;
    if (project.warnings.length) {
      process.stderr.write(formatDiagnostics(project.warnings, await readSources(project.warnings), { color: useColor() }));
    }
    const castCount = Object.keys(project.cast).length;
    const scenes = project.scenes.length;
    process.stdout.write(`${displayPath(project.file, process.cwd())}: ok — ${scenes} scene${scenes === 1 ? "" : "s"}, ${castCount} cast\n`);
    return EXIT_OK;
  },
});
export default command;
