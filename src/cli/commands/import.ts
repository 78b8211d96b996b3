import path from "node:path";
import { PROJECT_ARG } from "../flags.js";
import { ensureGitignore, gitignoreFailure, gitignoreNote, trackedDotEnvWarning } from "../gitignore.js";
import { defineCommand, EXIT_OK } from "../command.js";
import { addedText, printProblem, summary } from "../describe-draft.js";

const command = defineCommand({
  name: "import",
  summary: "a Fountain screenplay (or NAME: line text) into scenes and cast in drama.yaml; says what it could not map",
  details:
    "Scene headings become settings, action becomes action, character cues and dialogue become lines, speakers the cast.\n" +
    "Scenes are added after those already there (--force replaces them); a directory without drama.yaml gets a new one.",
  args: [{ name: "file", description: "the screenplay: .fountain, or text with NAME: line dialogue", required: true }, { ...PROJECT_ARG, description: "the project directory or its drama.yaml (default: the current directory)" }],
  flags: {
    force: { description: "replace the scenes already in drama.yaml" },
    "dry-run": { description: "print the YAML it would add; write nothing" },
  },
  async run(input): Promise<number> {
    const [file, target] = input.args as [string, string | undefined];
    // Loaded here, not at the top: help lists this command, and the importer pulls in the providers (the openai SDK).
    const { importScreenplay } = await import("../../write/import.js");
    const r = await importScreenplay(file, target ?? ".", { force: input.flags.force, dryRun: input.flags["dry-run"] });
    if (!r.ok) return printProblem(command.name, r.error);
    const o = r.value;
    // A new project gets init's .gitignore: `git add -A` must not commit build/, .dramake/ or a .env with a key.
    const dir = path.dirname(o.file);
    const ignored = o.created && o.written ? await ensureGitignore(dir) : undefined;
    const failure = ignored && gitignoreFailure(command.name, ignored);
    if (failure) process.stderr.write(`${failure}\n`);
    const tracked = o.written ? await trackedDotEnvWarning(dir) : undefined;
    if (tracked) process.stderr.write(`${tracked}\n`);
    if (!o.written || input.verbose) process.stdout.write(addedText(o.before, o.after));
    if (!input.quiet) {
      for (const u of o.unmapped) process.stderr.write(`${file}:${u.line}: not mapped: ${u.what}\n`);
      for (const note of o.notes) process.stderr.write(`note: ${note}\n`);
      process.stderr.write(`${summary({ done: o.created ? "created with" : "imported", would: "import" }, o)}\n`);
      if (ignored?.kind === "created" || ignored?.kind === "added") process.stderr.write(`wrote${gitignoreNote(ignored).replace(/^ and/, "")}\n`);
    }
    return EXIT_OK;
  },
});
export default command;
