/**
 * Turns a project (dir or drama.yaml) into the engine's step graph: load and
 * validate the file, pick a backend per modality, lay out the steps.
 */
import { availableParallelism } from "node:os";
import { relative, sep } from "node:path";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import type { StepSpec } from "../engine/step.js";
import type { Project } from "../project/project.js";
import { loadProject, readSources } from "../project/load.js";
import { formatDiagnostics, type Diagnostic } from "../project/diagnostic.js";
import { backendPools, resolveBackends } from "./backends.js";
import { dramaSteps } from "./drama.js";
import { takeDiagnostics } from "./takes.js";
import { deliveryDiagnostics } from "./finishing-checks.js";
import type { DramaLayout } from "./layout.js";
import type { StepGroup } from "../engine/index.js";

/** A series' episodes as the engine's step groups: costed apart, each with its budget, named by episode id. */
function episodeGroups(layout: DramaLayout): StepGroup[] {
  return layout.episodes.map((ep) => ({
    name: ep.view.id!,
    steps: ep.own,
    output: ep.final.file,
    ...(ep.view.budget !== undefined ? { budget: ep.view.budget } : {}),
  }));
}

export interface BuildGraph {
  /** Project directory: the engine keeps `.dramake/`, `build/` and `drama.lock` here. */
  readonly root: string;
  /** The project file and every file it references: the no-op fast path stats them. */
  readonly configFiles: readonly string[];
  readonly steps: readonly StepSpec[];
  /** Environment variables the project file reads (never those of API keys). */
  readonly env: readonly string[];
  /** Concurrency per pool name. Pools not listed default to the number of cores. */
  readonly pools: Readonly<Record<string, number>>;
  /** Budget in USD from the project file, if any. */
  readonly budget?: number;
  /** The final output, build-relative (e.g. `new-year-surprise.mp4`). */
  readonly output?: string;
  /** The loaded project, for reports (storyboard) that speak of scenes. */
  readonly project?: Project;
  /** Where each scene's and episode's steps are: what reports read a build through. */
  readonly layout?: DramaLayout;
}

export interface LoadOptions {
  /** Force the offline provider for every modality. */
  readonly offline?: boolean;
  /** Commands that spend nothing may load without API keys (an unset key is then a warning). */
  readonly keysOptional?: boolean;
  /** Colour in diagnostics. */
  readonly color?: boolean;
}

/** A printable failure: already formatted diagnostics (file:line:col, frame, what is allowed). */
export interface LoadFailure {
  readonly message: string;
}

export async function loadBuildGraph(target: string, options: LoadOptions = {}): Promise<Result<BuildGraph, LoadFailure>> {
  const loaded = await loadProject(target, { offline: options.offline ?? false, keysOptional: options.keysOptional ?? false });
  if (!loaded.ok) {
    return err({ message: formatDiagnostics(loaded.error, await readSources(loaded.error), { color: options.color ?? false }) });
  }
  const project = loaded.value;
  const backends = await resolveBackends(project);
  if (!backends.ok) return err({ message: `error: ${backends.error}` });
  const cores = Math.max(1, availableParallelism());
  const drama = dramaSteps(project, backends.value);
  const takes = takeDiagnostics(project, drama.steps);
  if (takes.length > 0) return err({ message: formatDiagnostics(takes, await readSources(takes), { color: options.color ?? false }) });
  // An episode a platform would refuse is refused here, before anything is built or paid for.
  const tooLong = deliveryDiagnostics(project, drama.layout);
  if (tooLong.length > 0) return err({ message: formatDiagnostics(tooLong, await readSources(tooLong), { color: options.color ?? false }) });
  return ok({
    root: project.dir,
    // `.env` is read by the loader too: a changed value there, or a new `.env`, must not look like a no-op.
    configFiles: [
      ...project.projectFiles.map((f) => relative(project.dir, f).split(sep).join("/")),
      ".env",
      ...project.referencedFiles,
    ],
    env: project.envNames,
    steps: drama.steps,
    pools: { ...backendPools(project), ffmpeg: cores, local: cores },
    ...(project.budget !== undefined ? { budget: project.budget } : {}),
    // A series has one video per episode, reported per episode (groups); a single episode's is the build's output.
    ...(project.series ? { groups: episodeGroups(drama.layout) } : { output: drama.layout.episodes[0]!.final.file }),
    project,
    layout: drama.layout,
  });
}

/**
 * `validate`: the takes a project's files name that its steps do not have,
 * as `build` reports them. Laying out the steps says which takes exist (a
 * beat-only scene has lines, a polish model adds polish); a provider that
 * cannot be set up is left to `build` to report.
 */
export async function takeProblems(project: Project): Promise<Diagnostic[]> {
  const backends = await resolveBackends(project);
  return backends.ok ? takeDiagnostics(project, dramaSteps(project, backends.value).steps) : [];
}
