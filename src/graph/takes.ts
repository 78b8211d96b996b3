/**
 * Takes (DESIGN §3, issue 13): which generation of a step the project file
 * chooses, and where in the file that choice is written. A scene chooses per
 * step (`take: { keyframe: 2, voice/1: 3 }`), a cast member for its portrait
 * and the music for itself (`take: 2`). Take 1 is the default and keys as a
 * step without takes (engine/key.ts), so a project that never retakes has
 * exactly the keys it always had.
 */
import type { StepSpec } from "../engine/step.js";
import type { Project, ResolvedScene } from "../project/project.js";
import { editYamlFile, type FileEdit, type YamlPath } from "../project/edit.js";
import { err, type Result } from "../result.js";

/** The take a scene chooses for one of its steps (`keyframe`, `clip`, `lines`, `polish`, `voice/<n>`). */
export function sceneTake(scene: ResolvedScene, step: string): number {
  return scene.take?.[step] ?? 1;
}

/** Steps that make a generation and so have takes: every other step is a pure function of its inputs. */
export function hasTakes(step: StepSpec): boolean {
  return step.take !== undefined;
}

/** Where a step's take is written in drama.yaml, or undefined for a step the file cannot choose a take of. */
export function takePlace(project: Project, id: string): YamlPath | undefined {
  const parts = id.split("/");
  if (parts[0] === "cast" && parts.length === 3 && parts[2] === "portrait" && project.cast[parts[1]!]) return ["cast", parts[1]!, "take"];
  if (id === "music") return project.music && "mood" in project.music ? ["music", "take"] : undefined;
  if (parts[0] === "scene" && parts.length >= 3) {
    const index = project.scenes.findIndex((s) => s.id === parts[1]);
    return index < 0 ? undefined : ["scenes", index, "take", parts.slice(2).join("/")];
  }
  return undefined;
}

export interface TakeProblem {
  readonly path: YamlPath;
  readonly message: string;
  readonly allowed: string;
}

/** A `take:` naming a step a scene does not have (or one without takes): where, and what is allowed. */
export function unknownTakes(project: Project, steps: readonly StepSpec[]): TakeProblem[] {
  // A series' scenes live in episodes (and other files) with episode/<ep>/ step ids: not checked here yet.
  if (project.series) return [];
  const byId = new Map(steps.map((s) => [s.id, s]));
  const problems: TakeProblem[] = [];
  project.scenes.forEach((scene, i) => {
    for (const name of Object.keys(scene.take ?? {})) {
      const step = byId.get(`scene/${scene.id}/${name}`);
      if (step && hasTakes(step)) continue;
      const allowed = steps.filter((s) => s.id.startsWith(`scene/${scene.id}/`) && hasTakes(s)).map((s) => s.id.slice(`scene/${scene.id}/`.length));
      problems.push({ path: ["scenes", i, "take", name], message: `scene ${scene.id} has no step '${name}' with takes`, allowed: allowed.join(", ") });
    }
  });
  return problems;
}

/**
 * Writes `take: N` for a step into drama.yaml in place (project/edit.ts: the
 * rest of the file stays byte for byte). `retake` and the storyboard's "use
 * this take" both choose a take through here.
 */
export async function chooseTake(project: Project, id: string, take: number): Promise<Result<FileEdit, string>> {
  const place = takePlace(project, id);
  if (!place) return err(`${id}: drama.yaml has no place for a take of this step`);
  const edited = await editYamlFile(project.file, [{ kind: "set", path: place, value: take }]);
  return edited.ok ? edited : err(edited.error.message);
}
