/**
 * One build as `build` and `watch` both run it: the engine, its events to the
 * caller's reporter, and build/storyboard.html written at the end. Imported by
 * the build command on every run, so only node:fs and types at the top: the
 * engine and the page renderer load when a build really happens, never on the
 * no-op fast path.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { BuildFailure, BuildOptions, BuildReport } from "../engine/build.js";
import type { EngineEvent } from "../engine/events.js";
import type { BuildGraph } from "../graph/load.js";
import type { BuildTracker } from "../report/storyboard/from-build.js";
import type { Result } from "../result.js";

export interface BuildRun {
  readonly result: Result<BuildReport, BuildFailure>;
  /** The storyboard written (absolute path), or undefined when none was (no build happened, or it could not be written). */
  readonly storyboard: string | undefined;
}

/** The no-op fast path may skip the graph only when the page a build writes is already there (e.g. not after `clean`). */
export function hasStoryboard(root: string): boolean {
  return existsSync(join(root, "build", "storyboard.html"));
}

export async function runBuild(graph: BuildGraph, options: BuildOptions): Promise<BuildRun> {
  const [engine, { BuildTracker }] = await Promise.all([import("../engine/index.js"), import("../report/storyboard/from-build.js")]);
  const tracker = new BuildTracker();
  // The summary says the build is over: a script that reads it may open any output at once, so it is
  // passed on only when the storyboard is written too.
  let summary: EngineEvent | undefined;
  const result = await engine.build(graph, {
    ...options,
    onEvent: (e) => {
      tracker.event(e);
      if (e.type === "summary") summary = e;
      else options.onEvent(e);
    },
  });
  // A refused build (over budget, bad graph, locked) ran nothing: the last page still tells the truth.
  const storyboard = result.ok && graph.layout !== undefined ? await writeBoard(graph, tracker) : undefined;
  if (summary) options.onEvent(summary);
  return { result, storyboard };
}

async function writeBoard(graph: BuildGraph, tracker: BuildTracker): Promise<string | undefined> {
  const [{ storyboardPages }, { writeStoryboardPages }] = await Promise.all([
    import("../report/storyboard/from-build.js"),
    import("../report/storyboard/write.js"),
  ]);
  const { pages, index } = await storyboardPages({ root: graph.root, layout: graph.layout! }, tracker);
  // Once per scene per build: the page shows planned against actual length, the terminal says where to fix it.
  const { overrunWarnings } = await import("../report/overruns.js");
  for (const page of pages) {
    for (const warning of await overrunWarnings(page.model, graph.project, page.episode)) process.stderr.write(`${warning}\n`);
  }
  // Captions that go by faster than they can be read (issue 32), at the line that is too fast.
  const { readingSpeedWarnings } = await import("../report/reading-speed.js");
  for (const warning of await readingSpeedWarnings(graph.root, graph.layout!, graph.project)) process.stderr.write(`${warning}\n`);
  const written = await writeStoryboardPages(join(graph.root, "build"), pages, index);
  if (written.ok) return written.value;
  // The video is what the user asked for; a page that could not be written is worth a line, not a failed build.
  process.stderr.write(`dramake: could not write ${written.error.path}: ${written.error.message}\n`);
  return undefined;
}
