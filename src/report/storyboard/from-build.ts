/**
 * From a build to a StoryboardModel: the project says what the scenes are, the
 * engine's events say where each step stands, and the store holds the lines a
 * text model wrote for beat-only scenes. `BuildTracker` listens to a build the
 * way a reporter does; `storyboardModel` is pure, so what the page shows for a
 * given build is testable without running one.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BuildSummary, EngineEvent } from "../../engine/events.js";
import { layout, objectPath } from "../../engine/layout.js";
import { readLockfile } from "../../engine/lockfile.js";
import { probe } from "../../media/probe.js";
import { buildPath, stepId } from "../../graph/ids.js";
import { sceneCast } from "../../graph/scene-cast.js";
import { lineCount } from "../../graph/steps/lines.js";
import type { Project, ResolvedScene } from "../../project/project.js";
import { placeholderText } from "../../providers/offline/lines.js";
import type { Line } from "../../providers/types.js";
import type { SceneFailure, SceneState, StoryboardLine, StoryboardModel, StoryboardScene } from "./model.js";

export type StepState = "running" | "ran" | "cached" | "failed" | "skipped";

export interface StepRecord {
  readonly state: StepState;
  /** USD: spent when it ran or failed, the reused result's worth when cached. */
  readonly cost: number;
  /** Why it failed, or why it was skipped. */
  readonly message?: string;
}

/** Collects one build's step states from its events. Feed it every event, like a reporter. */
export class BuildTracker {
  readonly steps = new Map<string, StepRecord>();
  /** Step ids in the order they failed: the first is the most useful one to show. */
  readonly failedOrder: string[] = [];
  summary: BuildSummary | undefined;

  event(e: EngineEvent): void {
    switch (e.type) {
      case "started":
        this.steps.set(e.id, { state: "running", cost: 0 });
        return;
      case "cached":
        this.steps.set(e.id, { state: "cached", cost: e.saved });
        return;
      case "finished":
        this.steps.set(e.id, { state: "ran", cost: e.cost });
        return;
      case "failed":
        this.steps.set(e.id, { state: "failed", cost: e.cost, message: e.message });
        this.failedOrder.push(e.id);
        return;
      case "skipped":
        this.steps.set(e.id, { state: "skipped", cost: 0, message: e.why });
        return;
      case "summary":
        this.summary = e.summary;
        return;
      case "progress":
      case "notice":
        return;
    }
  }
}

export interface BuildFacts {
  readonly project: Project;
  readonly steps: ReadonlyMap<string, StepRecord>;
  readonly failedOrder?: readonly string[];
  readonly summary?: BuildSummary;
  /** Lines the text model wrote (drafts, or the polish when there is one), by scene id. */
  readonly generated?: ReadonlyMap<string, readonly Line[]>;
  /**
   * Measured lengths in seconds: scene id -> its cut, and `final`. A cut runs
   * longer than the scene's `seconds` when its dialogue does, so the page shows
   * what was built rather than what was asked.
   */
  readonly durations?: ReadonlyMap<string, number>;
}

/** The key of the final video's length in `BuildFacts.durations` (scene ids cannot clash: they never equal a step id). */
const FINAL = stepId.final();

const done = (r: StepRecord | undefined): boolean => r?.state === "ran" || r?.state === "cached";

/** Scene ids are paths inside step ids: everything under `scene/<id>/` is that scene's. */
function sceneStepIds(steps: ReadonlyMap<string, StepRecord>, scene: string): string[] {
  const prefix = `scene/${scene}/`;
  return [...steps.keys()].filter((id) => id.startsWith(prefix));
}

export function storyboardModel(facts: BuildFacts): StoryboardModel {
  const { project, steps } = facts;
  const failedOrder = facts.failedOrder ?? [...steps].filter(([, r]) => r.state === "failed").map(([id]) => id);
  const scenes = project.scenes.map((scene, i): StoryboardScene => {
    const cast = sceneCast(project, scene);
    const own = sceneStepIds(steps, scene.id);
    // A failed portrait blocks the keyframe of every scene its person is in: show that reason there too.
    const involved = new Set([...own, ...cast.map(stepId.portrait)]);
    const failedId = failedOrder.find((id) => involved.has(id));
    const failure: SceneFailure | undefined = failedId === undefined ? undefined : { step: failedId, reason: steps.get(failedId)?.message ?? "failed" };
    const records = [...involved].map((id) => steps.get(id));
    const state: SceneState =
      failure !== undefined
        ? "failed"
        : records.some((r) => r?.state === "running")
          ? "running"
          : own.length === 0 || records.some((r) => !done(r))
            ? "waiting"
            : records.some((r) => r?.state === "ran")
              ? "built"
              : "cached";
    const cost = own.reduce((sum, id) => sum + (steps.get(id)?.cost ?? 0), 0);
    return {
      id: scene.id,
      index: i + 1,
      ...(scene.setting ? { setting: scene.setting } : {}),
      ...(scene.action ? { action: scene.action } : {}),
      ...(scene.beat ? { beat: scene.beat } : {}),
      seconds: facts.durations?.get(scene.id) ?? scene.seconds,
      state,
      ...(failure ? { failure } : {}),
      ...(done(steps.get(stepId.keyframe(scene.id))) ? { keyframe: buildPath.keyframe(scene.id) } : {}),
      // The cut when there is one: the scene as the drama plays it (picture, voices, subtitles, its real
      // length, which the card states); the silent clip until then.
      ...(done(steps.get(stepId.cut(scene.id)))
        ? { clip: buildPath.cut(scene.id) }
        : done(steps.get(stepId.clip(scene.id)))
          ? { clip: buildPath.clip(scene.id) }
          : {}),
      lines: sceneLines(project, scene, cast, facts.generated?.get(scene.id)),
      cost: Math.round(cost * 1e6) / 1e6,
    };
  });
  const count = (state: StepState) => [...steps.values()].filter((r) => r.state === state).length;
  const s = facts.summary;
  const output = s?.output?.replace(/^build\//, "");
  return {
    title: project.title,
    slug: project.slug,
    language: project.language,
    totals: {
      scenes: scenes.length,
      steps: s?.total ?? steps.size,
      ran: s?.ran ?? count("ran"),
      cached: s?.cached ?? count("cached"),
      failed: s?.failed ?? count("failed"),
      costSpent: s?.spent ?? 0,
      costEstimated: s?.estimated ?? 0,
      saved: s?.saved ?? 0,
    },
    ...(output !== undefined && done(steps.get(stepId.final()))
      ? { final: { href: output, ...(facts.durations?.has(FINAL) ? { durationSeconds: facts.durations.get(FINAL)! } : {}) } }
      : {}),
    scenes,
  };
}

function sceneLines(project: Project, scene: ResolvedScene, cast: readonly string[], generated: readonly Line[] | undefined): StoryboardLine[] {
  const name = (speaker: string) => project.cast[speaker]?.name ?? speaker;
  if (scene.lines) return scene.lines.map((l) => ({ speaker: name(l.speaker), text: l.text }));
  if (generated) {
    // The offline provider has no writer: its stand-in lines are shown as placeholders, not as dialogue.
    const stand = placeholderText(project.language);
    return generated.map((l) => ({ speaker: name(l.speaker), text: l.text, ...(l.text === stand ? { placeholder: true } : {}) }));
  }
  // Not written yet (still to run, or failed): as many lines as the graph will ask for, taking turns.
  const count = cast.length === 0 ? 0 : lineCount(scene, cast.length);
  return Array.from({ length: count }, (_, i) => ({ speaker: name(cast[i % cast.length]!), text: "lines not written yet", placeholder: true }));
}

/**
 * The lines of every beat-only scene whose lines (or polish) step ran or was
 * cached in this build, read from the object the lockfile names. The lockfile
 * keeps entries of steps that failed since, so only this build's finished
 * steps are trusted. Unreadable objects are left out: the scene then shows
 * placeholders rather than failing the page.
 */
export async function readGeneratedLines(project: Project, steps: ReadonlyMap<string, StepRecord>): Promise<Map<string, Line[]>> {
  const l = layout(project.dir);
  const lock = await readLockfile(l.lockfile);
  const found = new Map<string, Line[]>();
  await Promise.all(
    project.scenes
      .filter((scene) => scene.lines === undefined)
      .map(async (scene) => {
        // The polish is what is spoken when there is one; the drafts otherwise (or when the polish failed).
        const id = [stepId.polish(scene.id), stepId.lines(scene.id)].find((s) => done(steps.get(s)) && lock.has(s));
        const digest = id === undefined ? undefined : lock.get(id)?.outputs["json"]?.digest;
        if (digest === undefined) return;
        try {
          const parsed = JSON.parse(await readFile(objectPath(l, digest), "utf8")) as { lines?: unknown };
          if (Array.isArray(parsed.lines)) {
            found.set(scene.id, parsed.lines.filter((x): x is Line => typeof x?.speaker === "string" && typeof x?.text === "string"));
          }
        } catch {
          // Collected by gc or unreadable: placeholders instead.
        }
      }),
  );
  return found;
}

/**
 * Lengths of the cuts and the final video this build made or reused, by
 * ffprobe (one short process each, in parallel). A file that cannot be
 * probed is left out: its card falls back to the scene's `seconds`.
 */
export async function measureDurations(project: Project, steps: ReadonlyMap<string, StepRecord>, summary?: BuildSummary): Promise<Map<string, number>> {
  const buildDir = layout(project.dir).buildDir;
  const wanted: [key: string, file: string][] = project.scenes
    .filter((scene) => done(steps.get(stepId.cut(scene.id))))
    .map((scene) => [scene.id, join(buildDir, buildPath.cut(scene.id))]);
  const output = summary?.output;
  if (output !== undefined && done(steps.get(FINAL))) wanted.push([FINAL, join(project.dir, output)]);
  const found = new Map<string, number>();
  const signal = AbortSignal.timeout(10_000);
  await Promise.all(
    wanted.map(async ([key, file]) => {
      const info = await probe(file, signal);
      if (info.ok && info.value.duration > 0) found.set(key, Math.round(info.value.duration * 10) / 10);
    }),
  );
  return found;
}

/** The model for a build that has ended (or stopped): reads the generated lines and measures the videos, then `storyboardModel`. */
export async function storyboardFromBuild(project: Project, tracker: BuildTracker): Promise<StoryboardModel> {
  const [generated, durations] = await Promise.all([readGeneratedLines(project, tracker.steps), measureDurations(project, tracker.steps, tracker.summary)]);
  return storyboardModel({
    project,
    steps: tracker.steps,
    failedOrder: tracker.failedOrder,
    ...(tracker.summary ? { summary: tracker.summary } : {}),
    generated,
    durations,
  });
}
