/**
 * Takes (DESIGN §3, issue 13): which generation of a step the project file
 * chooses, and where in the project's files that choice is written. A scene
 * chooses per step (`take: { keyframe: 2, voice/1: 3 }`), a cast member for
 * its portrait and the music for itself (`take: 2`). Take 1 is the default and
 * keys as a step without takes (engine/key.ts), so a project that never
 * retakes has exactly the keys it always had.
 *
 * A series writes its episodes inline or in files of their own, and its cast
 * in the project file, an included file or an episode: a take is written in
 * the file (and at the path) where the thing it chooses for is written.
 */
import { readFileSync } from "node:fs";
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import type { StepSpec } from "../engine/step.js";
import type { Diagnostic } from "../project/diagnostic.js";
import type { Project, ResolvedEpisode, ResolvedScene } from "../project/project.js";
import { diagnosticAt, parseSource } from "../project/source.js";
import { editYamlFile, type FileEdit, type YamlPath } from "../project/edit.js";
import { episodeStepIds } from "./ids.js";
import { err, type Result } from "../result.js";

/** The take a scene chooses for one of its steps (`keyframe`, `clip`, `lines`, `polish`, `voice/<n>`). */
export function sceneTake(scene: ResolvedScene, step: string): number {
  return scene.take?.[step] ?? 1;
}

/**
 * The take a scene chooses for one of a shot's steps (`keyframe`, `clip`):
 * `take: { shot/<id>/clip: 3 }` at scene level, else `take: { clip: 3 }` under the shot.
 */
export function shotTake(scene: ResolvedScene, shotId: string, step: string): number {
  return scene.take?.[`shot/${shotId}/${step}`] ?? scene.shots?.find((s) => s.id === shotId)?.take?.[step] ?? 1;
}

/** Steps that make a generation and so have takes: every other step is a pure function of its inputs. */
export function hasTakes(step: StepSpec): boolean {
  return step.take !== undefined;
}

/** Where a take is written: a file of the project (absolute) and the path of `take` inside it. */
export interface TakePlace {
  readonly file: string;
  readonly path: YamlPath;
}

/** Parsed project files, read once per question: they are small, and a question is rare (retake, a click). */
class Files {
  readonly #docs = new Map<string, Document.Parsed | undefined>();
  doc(file: string): Document.Parsed | undefined {
    if (!this.#docs.has(file)) {
      let doc: Document.Parsed | undefined;
      try {
        doc = parseDocument(readFileSync(file, "utf8"), { merge: true });
      } catch {
        doc = undefined;
      }
      this.#docs.set(file, doc);
    }
    return this.#docs.get(file);
  }
}

/**
 * Where an episode is written in its file: `episodes.<k>` when inline (in the
 * project file or an included one), the file's root when it is an episode file.
 */
function episodeAt(files: Files, ep: ResolvedEpisode): YamlPath {
  const list = files.doc(ep.file)?.get("episodes", true);
  if (isSeq(list)) {
    const k = list.items.findIndex((item) => isMap(item) && String(item.get("id")) === ep.id);
    if (k >= 0) return ["episodes", k];
  }
  return [];
}

/** The file and path of cast member `castId`'s definition: the project file's or an included file's, else an episode's own. */
function castAt(files: Files, project: Project, castId: string): TakePlace | undefined {
  if (project.cast[castId]) {
    // An episode file's root is its episode: a `cast:` there is the episode's own, found below.
    const episodeFiles = new Set(project.episodes.filter((ep) => ep.file !== project.file && episodeAt(files, ep).length === 0).map((ep) => ep.file));
    const file = project.projectFiles.find((f) => !episodeFiles.has(f) && files.doc(f)?.hasIn(["cast", castId]));
    return file === undefined ? undefined : { file, path: ["cast", castId] };
  }
  const ep = project.episodes.find((e) => e.cast[castId]);
  return ep && { file: ep.file, path: [...episodeAt(files, ep), "cast", castId] };
}

const SCENE_STEP = /^(?:episode\/([^/]+)\/)?scene\/([^/]+)\/(.+)$/;
const EPISODE_MUSIC = /^episode\/([^/]+)\/music$/;

/** Where a step's take is written, or undefined for a step the project's files cannot choose a take of. */
export function takePlace(project: Project, id: string): TakePlace | undefined {
  return placeIn(new Files(), project, id);
}

function placeIn(files: Files, project: Project, id: string): TakePlace | undefined {
  const portrait = /^cast\/([^/]+)\/portrait$/.exec(id);
  if (portrait) {
    const at = castAt(files, project, portrait[1]!);
    return at && { file: at.file, path: [...at.path, "take"] };
  }
  if (id === "music") return project.music && "mood" in project.music ? { file: project.file, path: ["music", "take"] } : undefined;
  const music = EPISODE_MUSIC.exec(id);
  if (music) {
    const ep = project.episodes.find((e) => e.id === music[1]);
    return ep?.music && "mood" in ep.music ? { file: ep.file, path: [...episodeAt(files, ep), "music", "take"] } : undefined;
  }
  const scene = SCENE_STEP.exec(id);
  if (!scene) return undefined;
  const [, episodeId, sceneId, step] = scene;
  // A single-episode project's scene steps have no episode prefix, a series' always do.
  const ep = project.episodes.find((e) => e.id === episodeId);
  const index = ep ? ep.scenes.findIndex((s) => s.id === sceneId) : -1;
  if (!ep || index < 0) return undefined;
  return { file: ep.file, path: [...episodeAt(files, ep), "scenes", index, "take", step!] };
}

/** The steps of a graph whose take the project's files can choose: what `retake` and the storyboard offer. */
export function takeableSteps(project: Project, steps: readonly StepSpec[]): string[] {
  const files = new Files();
  return steps.filter((s) => hasTakes(s) && placeIn(files, project, s.id) !== undefined).map((s) => s.id);
}

export interface TakeProblem extends TakePlace {
  readonly message: string;
  readonly allowed: string;
}

/** Every `take:` naming a step its scene does not have (or one without takes): where, and what is allowed. */
export function unknownTakes(project: Project, steps: readonly StepSpec[]): TakeProblem[] {
  const files = new Files();
  const byId = new Map(steps.map((s) => [s.id, s]));
  const problems: TakeProblem[] = [];
  for (const ep of project.episodes) {
    const ids = episodeStepIds(ep.id);
    ep.scenes.forEach((scene, i) => {
      const prefix = ids.scene(scene.id);
      for (const name of Object.keys(scene.take ?? {})) {
        const step = byId.get(`${prefix}${name}`);
        if (step && hasTakes(step)) continue;
        const allowed = steps.filter((s) => s.id.startsWith(prefix) && hasTakes(s)).map((s) => s.id.slice(prefix.length));
        problems.push({
          file: ep.file,
          path: [...episodeAt(files, ep), "scenes", i, "take", name],
          message: `scene ${scene.id}${ep.id !== undefined ? ` of episode ${ep.id}` : ""} has no step '${name}' with takes`,
          allowed: allowed.join(", "),
        });
      }
    });
  }
  return problems;
}

/** unknownTakes as diagnostics at the `take:` key, in whichever file it is written: what `build` and `validate` print. */
export function takeDiagnostics(project: Project, steps: readonly StepSpec[]): Diagnostic[] {
  const sources = new Map<string, ReturnType<typeof parseSource>>();
  return unknownTakes(project, steps).map((t) => {
    let src = sources.get(t.file);
    if (!src) sources.set(t.file, (src = parseSource(t.file, readFileSync(t.file, "utf8"))));
    return diagnosticAt(src, t.path, "key", { message: t.message, code: "unknown-take", allowed: t.allowed });
  });
}

/**
 * Writes `take: N` for a step into the project file that says where its
 * thing is written, in place (project/edit.ts: the rest of the file stays
 * byte for byte). `retake` and the storyboard's "use this take" both choose
 * a take through here. The result names the file edited.
 */
export async function chooseTake(project: Project, id: string, take: number): Promise<Result<FileEdit & { readonly file: string }, string>> {
  const place = takePlace(project, id);
  if (!place) return err(`${id}: the project has no place for a take of this step`);
  // Only ever a file of this project: the loader read it, so it is inside the project directory.
  if (!project.projectFiles.includes(place.file)) return err(`${id}: ${place.file} is not a file of this project`);
  const edited = await editYamlFile(place.file, [{ kind: "set", path: place.path, value: take }]);
  return edited.ok ? { ok: true, value: { ...edited.value, file: place.file } } : err(edited.error.message);
}
