/**
 * What `write` and `import` print: their problems (exit 2 for bad input, 1 for
 * a refusal or a failed model call) and the YAML they added.
 */
import { EXIT_FAILED, EXIT_USAGE } from "./command.js";
import { displayPath, formatDiagnostics } from "../project/diagnostic.js";
import { readSources } from "../project/load.js";
import { usd } from "../engine/money.js";
import type { ApplyProblem, DraftOutcome } from "../write/apply.js";

type Problem =
  | ApplyProblem
  | { readonly kind: "usage" | "nothing-to-write"; readonly message: string }
  | { readonly kind: "project"; readonly diagnostics: Parameters<typeof formatDiagnostics>[0] }
  | { readonly kind: "over-budget"; readonly estimate: number; readonly budget: number }
  | { readonly kind: "provider"; readonly message: string; readonly cost: number };

function useColor(): boolean {
  return Boolean(process.stderr.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== "dumb";
}

/** Prints the problem on stderr; returns the exit code. */
export async function printProblem(name: string, problem: Problem): Promise<number> {
  const say = (text: string) => process.stderr.write(`dramake ${name}: ${text}\n`);
  switch (problem.kind) {
    case "usage":
    case "nothing-to-write":
      say(problem.message);
      return EXIT_USAGE;
    case "project":
    case "result-invalid":
      process.stderr.write(formatDiagnostics(problem.diagnostics, await readSources(problem.diagnostics), { color: useColor() }));
      if (problem.kind === "result-invalid") say("the edited file would not load (a bug: please report it); nothing was written");
      return EXIT_USAGE;
    case "over-budget":
      say(`the estimate ${usd(problem.estimate)} exceeds the budget ${usd(problem.budget)}; nothing was asked and nothing written (raise budget: or pass --budget)`);
      return EXIT_FAILED;
    case "provider":
      say(`${problem.message}${problem.cost > 0 ? ` (spent ${usd(problem.cost)})` : ""}; nothing was written`);
      return EXIT_FAILED;
    case "edit":
      say(`${problem.problem.message}`);
      return problem.problem.code === "changed" || problem.problem.code === "io" ? EXIT_FAILED : EXIT_USAGE;
  }
}

/** The lines the edit added, in file order (what `--dry-run` shows, and what a write reports). */
export function addedText(before: string | undefined, after: string): string {
  if (before === undefined) return after;
  const old = before.split("\n");
  const out: string[] = [];
  let i = 0;
  for (const line of after.split("\n")) {
    if (i < old.length && line === old[i]) i++;
    else out.push(line);
  }
  return `${out.join("\n").replace(/^\n+|\n+$/g, "")}\n`;
}

/** "wrote 4 scenes and 2 cast to drama.yaml", or with --dry-run "would write ... in". */
export function summary(verbs: { readonly done: string; readonly would: string }, outcome: DraftOutcome): string {
  const cast = outcome.addedCast.length;
  const scenes = outcome.addedScenes.length;
  const episodes = outcome.addedEpisodes?.length ?? 0;
  const what = [episodes ? `${episodes} episode${episodes === 1 ? "" : "s"}` : "", scenes ? `${scenes} scene${scenes === 1 ? "" : "s"}` : "", cast ? `${cast} cast` : ""].filter(Boolean).join(" and ") || "nothing";
  return `${outcome.written ? verbs.done : `would ${verbs.would}`} ${what} ${outcome.written ? "to" : "in"} ${displayPath(outcome.file, process.cwd())}`;
}
