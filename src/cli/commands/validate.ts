import type { Command } from "../command.js";
import { EXIT_OK, EXIT_USAGE } from "../command.js";
import { displayPath, formatDiagnostics } from "../../project/diagnostic.js";
import { loadProject, readSources } from "../../project/load.js";

function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";
}

const command: Command = {
  summary: "Check a project file: shape, cross references, referenced files. Prints every problem with its position.",
  usage: "dramake validate [project dir or drama.yaml, default .]",
  async run(argv) {
    const options = argv.filter((a) => a.startsWith("-") && a !== "-");
    const targets = argv.filter((a) => !a.startsWith("-") || a === "-");
    if (options.length || targets.length > 1) {
      const what = options.length ? `unknown option '${options[0]}'` : "more than one project given";
      process.stderr.write(`dramake validate: ${what}\nusage: ${command.usage}\n`);
      return EXIT_USAGE;
    }
    const result = await loadProject(targets[0] ?? ".");
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
};
export default command;
