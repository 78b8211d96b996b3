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
