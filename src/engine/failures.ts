/** One sentence per engine failure, for the CLI to print. */
import type { BuildFailure } from "./build.js";
import { describeGraphFailure } from "./graph.js";
import { describeLockFailure } from "./project-lock.js";
import { usd } from "./money.js";


export function describeFailure(f: BuildFailure): string {
  switch (f.kind) {
    case "duplicate-step":
    case "unknown-input":
    case "cycle":
      return describeGraphFailure(f);
    case "unknown-force":
      return `--force ${f.pattern}: no step has this id or lies under it`;
    case "unknown-target":
      return `--target ${f.pattern}: no step has this id or lies under it`;
    case "locked":
      return describeLockFailure(f);
    case "unpriced":
      return `${f.steps.length} step(s) to run have no known price (${f.steps.slice(0, 3).join(", ")}${f.steps.length > 3 ? ", …" : ""}), so the budget of ${usd(f.budget)} cannot be kept; nothing was run (${f.how}, or build without a budget)`;
    case "over-budget":
      return f.group === undefined
        ? `estimated cost ${usd(f.estimate)} for ${f.steps} step(s) exceeds the budget of ${usd(f.budget)}; nothing was run (raise --budget or the project's budget)`
        : `estimated cost ${usd(f.estimate)} for ${f.steps} step(s) of ${f.group} exceeds its budget of ${usd(f.budget)}; nothing was run (raise that budget in the project)`;
    case "bad-remote-cache":
      return f.message;
    case "bad-output-path":
      return `step '${f.id}' wants to write '${f.path}', which is outside build/`;
  }
}
