/**
 * What the build-family commands share: load the project's graph (lazily, the
 * graph code pulls in YAML, zod and providers) and identify this dramake build
 * for the no-op snapshot.
 */
import type { BuildGraph, LoadFailure } from "../graph/load.js";
import { printDiagnostics } from "./diagnostics.js";

export { codeStamp } from "../code-stamp.js";

export interface GraphLoading {
  readonly offline: boolean;
  /** false for commands that only look (plan, status, explain, graph): they run without API keys. */
  readonly spends: boolean;
  /** --json: problems go to stdout as JSON lines too (see diagnostics.ts). */
  readonly json: boolean;
  /**
   * A queued build (a coordinator): it spends, but through workers, which
   * hold the keys; its own environment needs none, so an unset key is
   * neither an error nor worth a warning here.
   */
  readonly keysOnWorkers?: boolean;
}

export async function loadGraph(target: string, options: GraphLoading): Promise<BuildGraph | undefined> {
  const [{ loadBuildGraph }, { colorFor }] = await Promise.all([import("../graph/load.js"), import("../report/terminal.js")]);
  const loaded = await loadBuildGraph(target, { offline: options.offline, color: colorFor(process.stderr), keysOptional: !options.spends || options.keysOnWorkers === true });
  if (loaded.ok) {
    // Warnings do not stop anything, but a key written into drama.yaml or a key still to be set is worth a line.
    const warnings = (loaded.value.project?.warnings ?? []).filter((w) => !(options.keysOnWorkers && w.code === "unset-env"));
    await printDiagnostics(warnings, options);
    return loaded.value;
  }
  await printLoadFailure(target, loaded.error, options);
  return undefined;
}

/** Why the graph did not load: the formatted text on stderr, and with --json each problem as a JSON line on stdout. */
export async function printLoadFailure(target: string, failure: LoadFailure, options: GraphLoading): Promise<void> {
  if (!options.json) {
    process.stderr.write(`${failure.message.trimEnd()}\n`);
    return;
  }
  // The graph loader hands back printed text; a script wants the problems themselves. Only this
  // failure path loads the project a second time, for its diagnostics.
  const { loadProject } = await import("../project/index.js");
  const project = await loadProject(target, { offline: options.offline, keysOptional: !options.spends });
  if (!project.ok) {
    await printDiagnostics(project.error, options);
  } else {
    process.stderr.write(`${failure.message.trimEnd()}\n`);
    process.stdout.write(`${JSON.stringify({ event: "error", message: failure.message.replace(/^error: /, "").trim() })}\n`);
  }
}

/**
 * Every `--target` must name a step or a prefix of one: an unknown one is a
 * usage error (exit 2) with the nearest name. Returns the exit code, or
 * undefined when all are known.
 */
export async function checkTargets(command: string, graph: BuildGraph, targets: readonly string[]): Promise<number | undefined> {
  if (targets.length === 0) return undefined;
  const { describeUnknownTarget, unknownTarget } = await import("../graph/targets.js");
  const unknown = unknownTarget(graph.steps, targets);
  if (unknown === undefined) return undefined;
  process.stderr.write(`dramake ${command}: ${describeUnknownTarget(unknown)}\n`);
  return 2;
}
