/**
 * The `.gitignore` a new project gets (`init`, and `import` into a directory
 * without drama.yaml): build/, .dramake/ and .env, so `git add -A` never
 * commits outputs, the cache or a key. An existing `.gitignore` is kept and
 * only gains the lines it lacks. And a warning when git already tracks a
 * `.env`: ignoring it then changes nothing.
 */
import { execFile } from "node:child_process";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { STARTER_GITIGNORE_LINES } from "../project/starter.js";
import { shownPath } from "./paths.js";

export type GitignoreWrite =
  | { readonly kind: "created" }
  | { readonly kind: "added"; readonly lines: readonly string[] }
  | { readonly kind: "unchanged" }
  | { readonly kind: "failed"; readonly code: string };

export async function ensureGitignore(dir: string): Promise<GitignoreWrite> {
  const gitignore = path.join(dir, ".gitignore");
  try {
    const current = await readFile(gitignore, "utf8").catch(() => undefined);
    if (current === undefined) {
      await writeFile(gitignore, `${STARTER_GITIGNORE_LINES.join("\n")}\n`, { flag: "wx" });
      return { kind: "created" };
    }
    const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
    const missing = STARTER_GITIGNORE_LINES.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, "")));
    if (missing.length === 0) return { kind: "unchanged" };
    await appendFile(gitignore, `${current.endsWith("\n") || current === "" ? "" : "\n"}${missing.join("\n")}\n`);
    return { kind: "added", lines: missing };
  } catch (e) {
    return { kind: "failed", code: (e as NodeJS.ErrnoException).code ?? "error" };
  }
}

/** What init and import print after the project file: " and .gitignore", " (added … to .gitignore)", or nothing. */
export function gitignoreNote(w: GitignoreWrite): string {
  if (w.kind === "created") return " and .gitignore";
  if (w.kind === "added") return ` (added ${w.lines.join(", ")} to .gitignore)`;
  return "";
}

export function gitignoreFailure(command: string, w: GitignoreWrite): string | undefined {
  return w.kind === "failed" ? `dramake ${command}: could not update .gitignore (${w.code}); add build/, .dramake/ and .env yourself` : undefined;
}

/**
 * A warning when git tracks the project's `.env` (then .gitignore does not
 * keep it out of the next commit); undefined when it does not, there is no
 * repository, or no git. Never reads the file.
 */
export function trackedDotEnvWarning(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["ls-files", "--error-unmatch", "--", ".env"], { cwd: dir, timeout: 5000, windowsHide: true }, (error) => {
      if (error) return resolve(undefined);
      const shown = path.join(shownPath(dir), ".env");
      resolve(`warning: ${shown} is tracked by git, so your keys in it go into every commit and push; stop tracking it (it stays on disk): git rm --cached ${shown}`);
    });
  });
}
