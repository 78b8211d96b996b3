/** Paths as the user sees them: relative to where the command ran (git style: `../build/x.mp4`). */
import { isAbsolute, relative, resolve, sep } from "node:path";

export function shownPath(file: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, resolve(cwd, file));
  if (rel === "") return ".";
  // Another drive on Windows: no relative path exists.
  return isAbsolute(rel) ? file : rel.split(sep).join("/");
}

/** A project-relative path (`build/x.mp4`, as the engine reports it) as the user sees it. */
export function shownProjectPath(root: string, projectRelative: string, cwd: string = process.cwd()): string {
  return shownPath(resolve(root, projectRelative), cwd);
}
