import { existsSync } from "node:fs";
import { mkdir, writeFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { shownPath } from "../paths.js";
import { PROJECT_FILE } from "../../project/load.js";
import { starterProject, titleFromDirName } from "../../project/starter.js";
import { ensureGitignore, gitignoreFailure, gitignoreNote, trackedDotEnvWarning } from "../gitignore.js";

/** This package's root, the first folder up from this module with a package.json (bundled, the module sits elsewhere in dist/). */
function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json")) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
const PACKAGE_ROOT = packageRoot();
const PACKAGE_SCHEMA = path.join(PACKAGE_ROOT, "schemas", "drama.schema.json");

/**
 * The schema for the editor's `$schema` comment, always relative to the
 * project (an absolute path names one machine's layout and leaks it into git;
 * dramake has no published schema URL yet). Inside this repo (examples) or
 * with dramake in the project's node_modules the path is short and holds for
 * everyone with the same checkout or install; otherwise it points at this
 * install.
 */
function schemaPathFor(dir: string): string {
  return path.relative(dir, PACKAGE_SCHEMA).split(path.sep).join("/");
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

const command = defineCommand({
  name: "init",
  summary: "start a project: a drama.yaml that builds offline, and a .gitignore for build/ and .dramake/; never overwrites",
  args: [{ name: "dir", description: "where to start it (default: the current directory; created if missing)" }],
  flags: {},
  async run(input): Promise<number> {
    const targets = input.args;
    const dir = path.resolve(targets[0] ?? ".");
    const shown = targets[0] ?? ".";
    const projectFile = path.join(dir, PROJECT_FILE);
    if (await exists(projectFile)) {
      process.stderr.write(`dramake init: ${path.join(shown, PROJECT_FILE)} already exists; not overwriting it\n`);
      return EXIT_USAGE;
    }
    try {
      await mkdir(dir, { recursive: true });
      const text = starterProject({ title: titleFromDirName(path.basename(dir)), schemaPath: schemaPathFor(dir) });
      // 'wx': fail rather than overwrite, even if the file appeared since the check.
      await writeFile(projectFile, text, { flag: "wx" });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === "EEXIST" ? "already exists; not overwriting it" : `cannot be written (${code ?? "error"})`;
      process.stderr.write(`dramake init: ${path.join(shown, PROJECT_FILE)} ${why}\n`);
      return EXIT_USAGE;
    }
    // An existing .gitignore is kept and only gains the lines it lacks.
    const ignored = await ensureGitignore(dir);
    const failure = gitignoreFailure(command.name, ignored);
    if (failure) process.stderr.write(`${failure}\n`);
    const tracked = await trackedDotEnvWarning(dir);
    if (tracked) process.stderr.write(`${tracked}\n`);
    const shownDir = shownPath(dir);
    if (!input.quiet) process.stdout.write(`wrote ${path.join(shownDir, PROJECT_FILE)}${gitignoreNote(ignored)}\nnext: dramake build${shownDir === "." ? "" : ` ${shownDir}`}\n`);
    return EXIT_OK;
  },
});
export default command;
