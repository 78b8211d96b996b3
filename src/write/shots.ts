/**
 * `dramake shots <scene|episode>` offline (issue 27): a shot list written
 * into the project file, by the planner's deterministic rules
 * (src/graph/plan/shots.ts, with `always`: a scene that fits one clip gets
 * its shots too), for the director to edit in git.
 *
 * What is written per scene: its lines move into the shots, in order; an
 * opening wide for its action (`seconds: 2`), then one close-up per speaker
 * turn (no `seconds`: the lines' estimate is snapped to the model at build
 * time). With the model's lengths known (`lengths`), a turn longer than its
 * longest clip is cut as the planner cuts it. The scene's `lines` and
 * `seconds` go (a scene with shots has neither). A scene with a beat and no
 * lines is left alone (there is nothing to cut yet), and a scene that already
 * has shots unless `force`.
 *
 * The edit replaces each scene's node in place (src/project/edit.ts): every
 * byte outside the scenes asked for stays as it was; inside one, its keys
 * keep their order and values (comments inside that scene are not kept).
 */
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, parseDocument, stringify, type Pair } from "yaml";
import { editYamlText, replaceFile, type YamlEdit, type YamlPath } from "../project/edit.js";
import { loadProject } from "../project/load.js";
import type { Project, ResolvedEpisode, ResolvedScene } from "../project/project.js";
import type { Diagnostic } from "../project/diagnostic.js";
import { err, ok, type Result } from "../result.js";
import { OPENING_SECONDS, planShots, type ClipLengths, type PlannedShot } from "../graph/plan/shots.js";
import { DIALOGUE_GAP } from "../graph/ops/dialogue.js";

export interface ShotsOptions {
  /** Scene ids (a one-episode project), episode ids or `episode/<id>` (a series: all its scenes), `episode/<id>/scene/<id>`. */
  readonly targets: readonly string[];
  readonly force?: boolean;
  readonly dryRun?: boolean;
  /** The video model's allowed lengths, to cut long turns (optional: without, a turn is one shot). */
  readonly lengths?: ClipLengths;
}

export type ShotsProblem =
  | { readonly kind: "invalid-project"; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "unknown-target"; readonly message: string }
  | { readonly kind: "edit"; readonly message: string };

export interface ShotsOutcome {
  /** Per edited file: its text before and after. */
  readonly files: readonly { readonly file: string; readonly before: string; readonly after: string }[];
  /** Scenes given shots, as `scene` or `episode/<ep>/scene/<id>`. */
  readonly scenes: readonly string[];
  /** Scenes left alone and why. */
  readonly skipped: readonly string[];
  readonly written: boolean;
}

/**
 * What the file gets for one planned shot: only what differs from the
 * defaults. `seconds` where there are no lines (the opening's 2 s, a long
 * turn's continuation) and on a close-up whose turn was cut (its clip is the
 * longest, not its lines' estimate).
 */
function shotEntry(shot: PlannedShot, next: PlannedShot | undefined): Record<string, unknown> {
  const entry: Record<string, unknown> = { size: shot.size };
  const speakers = [...new Set(shot.lines.map((l) => l.speaker))];
  const continuation = (s: PlannedShot | undefined) => s !== undefined && s.size === "medium" && s.lines.length === 0;
  if (shot.lines.length ? speakers.join() !== shot.on.join() : shot.size !== "wide") entry.on = [...shot.on];
  if (shot.action) entry.action = shot.action;
  if (shot.lines.length) entry.lines = shot.lines.map((l) => ({ [l.speaker]: l.text }));
  if (shot.size === "wide" && !shot.lines.length) entry.seconds = shot.estimate;
  else if (!shot.lines.length || continuation(next)) entry.seconds = shot.seconds;
  return entry;
}

/** The scene's shot list by the rules, or why it has none. */
export function shotList(scene: ResolvedScene, lengths?: ClipLengths): Result<Record<string, unknown>[], string> {
  if (!scene.lines?.length) return err("it has no written lines yet (a beat); write them first");
  const plan = planShots(scene, { lengths, gap: DIALOGUE_GAP, always: true });
  return ok(plan.shots.map((shot, i) => shotEntry(shot, plan.shots[i + 1])));
}

interface Place {
  readonly name: string;
  readonly episode: ResolvedEpisode;
  readonly scene: ResolvedScene;
  readonly index: number;
}

function places(project: Project, targets: readonly string[]): Result<Place[], string> {
  const out: Place[] = [];
  for (const target of targets) {
    const before = out.length;
    if (!project.series) {
      const ep = project.episodes[0]!;
      const index = ep.scenes.findIndex((s) => s.id === target || `scene/${s.id}` === target);
      if (index >= 0) out.push({ name: ep.scenes[index]!.id, episode: ep, scene: ep.scenes[index]!, index });
    } else {
      const m = /^(?:episode\/)?([^/]+)(?:\/scene\/([^/]+))?$/.exec(target);
      const ep = m && project.episodes.find((e) => e.id === m[1]);
      if (ep) {
        ep.scenes.forEach((scene, index) => {
          if (!m![2] || scene.id === m![2]) out.push({ name: `episode/${ep.id}/scene/${scene.id}`, episode: ep, scene, index });
        });
      }
    }
    if (out.length === before) {
      const known = project.series ? project.episodes.map((e) => `episode/${e.id}`) : project.scenes.map((s) => s.id);
      return err(`no ${project.series ? "episode or scene" : "scene"} '${target}' in the project; there are: ${known.join(", ")}`);
    }
  }
  return ok(out);
}

/** Where an episode's scenes are in its file: `episodes.<k>.scenes` when inline, the file's `scenes` when it is an episode file. */
function scenesPath(text: string, episode: ResolvedEpisode): YamlPath {
  if (episode.id === undefined) return ["scenes"];
  const list = parseDocument(text).get("episodes", true);
  if (isSeq(list)) {
    const k = list.items.findIndex((item) => isMap(item) && String(item.get("id")) === episode.id);
    if (k >= 0) return ["episodes", k, "scenes"];
  }
  return ["scenes"];
}

/**
 * The scene at `path` with its `lines` (or, with --force, `shots`) pair replaced by `shots` and its
 * `seconds` line removed, as a text splice: its other keys, comments and
 * flow lists stay as written. Undefined when the scene is not written in the
 * plain block style this expects (the caller then replaces the whole node),
 * or when the result does not read back as `want`.
 */
function spliceScene(text: string, path: YamlPath, shots: readonly Record<string, unknown>[], want: unknown): string | undefined {
  const doc = parseDocument(text);
  const node = doc.getIn(path, true);
  if (!isMap(node) || node.flow) return undefined;
  const lineStart = (pos: number) => text.lastIndexOf("\n", pos - 1) + 1;
  const lineEnd = (pos: number) => {
    const nl = text.indexOf("\n", pos);
    return nl === -1 ? text.length : nl;
  };
  const splices: { at: number; remove: number; insert: string }[] = [];
  for (const pair of node.items as Pair[]) {
    if (!isScalar(pair.key) || !pair.key.range) return undefined;
    const key = String(pair.key.value);
    if (key !== "lines" && key !== "shots" && key !== "seconds") continue;
    const start = pair.key.range[0];
    const from = lineStart(start);
    if (text.slice(from, start).trim() !== "") return undefined;
    const valueEnd = (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ?? pair.key.range[1];
    const end = lineEnd(Math.max(valueEnd - 1, start));
    if (key === "seconds") {
      splices.push({ at: from, remove: Math.min(text.length, end + 1) - from, insert: "" });
    } else {
      const pad = " ".repeat(start - from);
      const block = stringify({ shots }, { indent: 2, lineWidth: 0 }).trimEnd().split("\n");
      splices.push({ at: start, remove: end - start, insert: block.map((l, i) => (i === 0 ? l : pad + l)).join("\n") });
    }
  }
  if (!splices.some((sp) => sp.insert)) return undefined;
  let out = text;
  for (const sp of splices.sort((a, b) => b.at - a.at)) out = out.slice(0, sp.at) + sp.insert + out.slice(sp.at + sp.remove);
  const reread = parseDocument(out);
  if (reread.errors.length) return undefined;
  return JSON.stringify(reread.getIn(path, true) && (reread.getIn(path, true) as { toJSON(): unknown }).toJSON()) === JSON.stringify(want) ? out : undefined;
}

export async function writeShots(target: string, options: ShotsOptions): Promise<Result<ShotsOutcome, ShotsProblem>> {
  const loaded = await loadProject(target);
  if (!loaded.ok) return err({ kind: "invalid-project", diagnostics: loaded.error });
  const project = loaded.value;
  const found = places(project, options.targets);
  if (!found.ok) return err({ kind: "unknown-target", message: found.error });
  const edits = new Map<string, YamlEdit[]>();
  const texts = new Map<string, string>();
  const scenes: string[] = [];
  const skipped: string[] = [];
  const originals = new Map<string, string>();
  const touched = new Set<string>();
  for (const place of found.value) {
    if (place.scene.shots && !options.force) {
      skipped.push(`${place.name}: it has shots already (--force writes them again from its lines)`);
      continue;
    }
    const list = shotList(place.scene, options.lengths);
    if (!list.ok) {
      skipped.push(`${place.name}: ${list.error}`);
      continue;
    }
    const file = place.episode.file;
    if (!texts.has(file)) {
      const read = await readFile(file, "utf8");
      texts.set(file, read);
      originals.set(file, read);
    }
    const text = texts.get(file)!;
    const path: YamlPath = [...scenesPath(text, place.episode), place.index];
    const node = parseDocument(text).getIn(path, true);
    if (!isMap(node)) return err({ kind: "edit", message: `${file}: the scene ${place.name} is not a map where it was read` });
    // Its keys in their order, with `shots` where its lines were.
    const raw = node.toJSON() as Record<string, unknown>;
    const scene: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (key === "lines" || key === "shots") scene.shots = list.value;
      else if (key !== "seconds") scene[key] = value;
    }
    // Splice in place where the scene is plain block YAML (its comments and flow lists stay); else the whole scene is set.
    const spliced = spliceScene(text, path, list.value, scene);
    if (spliced !== undefined) texts.set(file, spliced);
    else edits.set(file, [...(edits.get(file) ?? []), { kind: "set", path, value: scene }]);
    touched.add(file);
    scenes.push(place.name);
  }
  const files: { file: string; before: string; after: string }[] = [];
  for (const file of touched) {
    const after = editYamlText(texts.get(file)!, edits.get(file) ?? []);
    if (!after.ok) return err({ kind: "edit", message: `${file}: ${after.error.message}` });
    files.push({ file, before: originals.get(file)!, after: after.value });
  }
  if (!options.dryRun) {
    // Written, then the project loaded again: a result that does not validate is put back as it was.
    for (const f of files) {
      const written = await replaceFile(f.file, f.before, f.after);
      if (!written.ok) return err({ kind: "edit", message: written.error.message });
    }
    const reloaded = await loadProject(target);
    if (!reloaded.ok) {
      for (const f of files) await replaceFile(f.file, f.after, f.before);
      return err({ kind: "invalid-project", diagnostics: reloaded.error });
    }
  }
  return ok({ files, scenes, skipped, written: !options.dryRun && files.length > 0 });
}
