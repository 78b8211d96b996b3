/**
 * From a build to a StoryboardModel: the graph's layout says what the scenes
 * are and which steps are theirs, the engine's events say where each step
 * stands, and src/graph reads back the lines a text model wrote for beat-only
 * scenes. `BuildTracker` listens to a build the way a reporter does;
 * `storyboardModel` is pure, so what the page shows for a given build is
 * testable without running one.
 */
import { join } from "node:path";
import type { ShotDialogue } from "../../graph/shot-dialogue.js";
import type { BuildSummary, EngineEvent } from "../../engine/events.js";
import { mediaSeconds } from "../../media/seconds.js";
import { shotsTiming } from "../../graph/plan/timing.js";
import { builtLines, builtSaid, type GeneratedLines } from "../../graph/built.js";
import type { SaidOtherwise } from "../../graph/plan/native-timing.js";
import type { DramaLayout, EpisodeLayout, SceneLayout } from "../../graph/layout.js";
import type { StepTakes } from "../../engine/takes.js";
import { buildPath } from "../../graph/ids.js";
import type { SceneFailure, SceneState, StoryboardCastMember, StoryboardEpisode, StoryboardIndex, StoryboardLine, StoryboardModel, StoryboardScene, StoryboardShot } from "./model.js";
import { storyboardTakes } from "./takes.js";
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
  readonly drama: DramaLayout;
  /** The episode the page is about; the first (a single-episode project's only one) by default. */
  readonly episode?: EpisodeLayout;
  readonly steps: ReadonlyMap<string, StepRecord>;
  readonly failedOrder?: readonly string[];
  readonly summary?: BuildSummary;
  /** Lines the text model wrote (drafts, or the polish when there is one), by scene key. */
  readonly generated?: ReadonlyMap<string, GeneratedLines>;
  /** Native lines the video model said otherwise (issue 29), by scene key. */
  readonly said?: ReadonlyMap<string, readonly SaidOtherwise[]>;
  /**
   * Measured lengths in seconds, by scene key (its cut) and by the final's
   * step id. A cut runs longer than the scene's `seconds` when its dialogue
   * does, so the page shows what was built rather than what was asked.
   */
  readonly durations?: ReadonlyMap<string, number>;
  /** Each generation step's takes as drama.lock's build sees them (engine/takes.ts), by step id. */
  readonly takes?: ReadonlyMap<string, StepTakes>;
}

const done = (r: StepRecord | undefined): boolean => r?.state === "ran" || r?.state === "cached";

export function storyboardModel(facts: BuildFacts): StoryboardModel {
  const { drama, steps } = facts;
  const episode = facts.episode ?? drama.episodes[0]!;
  const failedOrder = facts.failedOrder ?? [...steps].filter(([, r]) => r.state === "failed").map(([id]) => id);
  const scenes = episode.scenes.map((place): StoryboardScene => {
    const { scene } = place;
    const own = place.steps.filter((id) => steps.has(id));
    // A failed portrait blocks the keyframe of every scene its person is in: show that reason there too.
    const involved = new Set([...own, ...place.cast.map((c) => drama.portraits.get(c)!)]);
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
    // A multi-shot scene is planned as long as its shots joined, transitions overlapping them (the
    // length its cut starts from, plan/timing.ts): the file's `seconds` is not what it asks for.
    const planned = place.formatOne ? scene.seconds : Math.round(shotsTiming(place.shots, episode.view.format.fps).seconds * 10) / 10;
    return {
      id: scene.id,
      index: place.index,
      ...(scene.setting ? { setting: scene.setting } : {}),
      ...(scene.action ? { action: scene.action } : {}),
      ...(scene.beat ? { beat: scene.beat } : {}),
      seconds: facts.durations?.get(place.stepPrefix) ?? planned,
      ...(facts.durations?.has(place.stepPrefix) ? { measured: true } : {}),
      ...(overrun(facts.durations?.get(place.stepPrefix), planned) ? { plannedSeconds: planned } : {}),
      ...(place.narrated ? { outline: OUTLINE_MARK } : {}),
      ...(dialogueMark(place.shots[0]?.dialogue) !== undefined ? { dialogue: dialogueMark(place.shots[0]?.dialogue)! } : {}),
      state,
      ...(failure ? { failure } : {}),
      ...(done(steps.get(place.keyframe.step)) ? { keyframe: place.keyframe.file } : {}),
      // The cut when there is one: the scene as the drama plays it (picture, voices, subtitles, its real
      // length, which the card states); the silent clip until then, when it is a file (an offline clip
      // is a move the cut renders: the keyframe stands in for it).
      ...(done(steps.get(place.cut.step)) ? { clip: place.cut.file } : place.clip && done(steps.get(place.clip.step)) ? { clip: place.clip.file } : {}),
      lines: withSaid(sceneLines(episode, place, facts.generated?.get(place.stepPrefix)), facts.said?.get(place.stepPrefix)),
      cost: Math.round(cost * 1e6) / 1e6,
      // A multi-shot scene's takes are its shots' (a format-1 scene's one shot is the scene itself).
      ...(place.formatOne ? sceneTakes(place, episode.view.ids.clip(scene.id), facts.takes) : { shots: sceneShots(facts, episode, place, failedOrder) }),
    };
  });
  const count = (state: StepState) => [...steps.values()].filter((r) => r.state === state).length;
  const s = facts.summary;
  const final = episode.final;
  return {
    title: episode.view.title,
    slug: drama.slug,
    language: episode.view.language,
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
    ...(done(steps.get(final.step))
      ? {
          final: {
            href: final.file,
            ...(facts.durations?.has(final.step) ? { durationSeconds: facts.durations.get(final.step)! } : {}),
            ...(episode.cover && done(steps.get(episode.cover.step)) ? { cover: episode.cover.file } : {}),
          },
        }
      : {}),
    scenes,
    cast: castSheet(drama, episode, steps, facts.takes),
  };
}

/** The keyframe's and the clip's takes. An offline clip is a move over the keyframe: its takes show the keyframe. */
function sceneTakes(place: SceneLayout, clipStep: string, takes: ReadonlyMap<string, StepTakes> | undefined): Pick<StoryboardScene, "keyframeTakes" | "clipTakes"> {
  if (!takes) return {};
  // Output names and files as the keyframe and clip steps write them (graph/ops/keyframe.ts, clip.ts).
  const keyframe = storyboardTakes({ step: place.keyframe.step, media: "image", output: "image", ext: "png", href: place.keyframe.file, takeable: true }, takes.get(place.keyframe.step));
  const clip = storyboardTakes(
    place.clip
      ? { step: clipStep, media: "video", output: "video", ext: "mp4", href: place.clip.file, takeable: true }
      : { step: clipStep, media: "move", output: "still", ext: "png", href: place.keyframe.file, takeable: true },
    takes.get(clipStep),
  );
  return { ...(keyframe ? { keyframeTakes: keyframe } : {}), ...(clip ? { clipTakes: clip } : {}) };
}

/** A step's state among others, by the scene's precedence: failed, running, waiting, built, cached. */
function stateOf(ids: readonly string[], steps: ReadonlyMap<string, StepRecord>, failed: boolean): SceneState {
  const records = ids.map((id) => steps.get(id));
  if (failed) return "failed";
  if (records.some((r) => r?.state === "running")) return "running";
  if (records.length === 0 || records.some((r) => !done(r))) return "waiting";
  return records.some((r) => r?.state === "ran") ? "built" : "cached";
}

/**
 * A multi-shot scene's shots for its strip: each shot's frame (its keyframe,
 * its cut once built), size, planned and built length, the lines it shows,
 * its own steps' cost and its keyframe's and clip's takes.
 */
function sceneShots(facts: BuildFacts, episode: EpisodeLayout, place: SceneLayout, failedOrder: readonly string[]): StoryboardShot[] {
  const { steps } = facts;
  const lines = sceneLines(episode, place, facts.generated?.get(place.stepPrefix));
  const name = (id: string) => episode.view.cast[id]?.name ?? id;
  return place.shots.map((shot) => {
    const own = shot.steps.filter((id) => steps.has(id));
    const failed = failedOrder.some((id) => shot.steps.includes(id));
    const cost = own.reduce((sum, id) => sum + (steps.get(id)?.cost ?? 0), 0);
    // An offline shot's clip is a move its cut renders: no file, but still a step whose takes count.
    const clipStep = shot.clip?.step ?? shot.steps.find((id) => id.endsWith("/clip"));
    const keyframe = facts.takes ? storyboardTakes({ step: shot.keyframe.step, media: "image", output: "image", ext: "png", href: shot.keyframe.file, takeable: true }, facts.takes.get(shot.keyframe.step)) : undefined;
    const clip =
      facts.takes && clipStep
        ? storyboardTakes(
            shot.clip
              ? { step: clipStep, media: "video", output: "video", ext: "mp4", href: shot.clip.file, takeable: true }
              : { step: clipStep, media: "move", output: "still", ext: "png", href: shot.keyframe.file, takeable: true },
            facts.takes.get(clipStep),
          )
        : undefined;
    return {
      id: shot.id,
      index: shot.index,
      size: shot.size,
      on: shot.on.map(name),
      seconds: shot.seconds,
      ...(facts.durations?.has(shot.cut.step) ? { builtSeconds: facts.durations.get(shot.cut.step)! } : {}),
      transition: shot.transition,
      state: stateOf(own, steps, failed),
      ...(done(steps.get(shot.keyframe.step)) ? { keyframe: shot.keyframe.file } : {}),
      ...(!shot.cutIsMove && done(steps.get(shot.cut.step)) ? { clip: shot.cut.file } : shot.clip && done(steps.get(shot.clip.step)) ? { clip: shot.clip.file } : {}),
      lines: shot.voices.map((n) => lines[n - 1]).filter((l) => l !== undefined),
      cost: Math.round(cost * 1e6) / 1e6,
      ...(keyframe ? { keyframeTakes: keyframe } : {}),
      ...(clip ? { clipTakes: clip } : {}),
    };
  });
}

/** The episode's people who appear in its scenes, in the order the project lists them. */
function castSheet(drama: DramaLayout, episode: EpisodeLayout, steps: ReadonlyMap<string, StepRecord>, takes: ReadonlyMap<string, StepTakes> | undefined): StoryboardCastMember[] {
  const appearing = new Set(episode.scenes.flatMap((place) => place.cast));
  return Object.entries(episode.view.cast)
    .filter(([id]) => appearing.has(id) && drama.portraits.has(id))
    .map(([id, member]) => {
      const step = drama.portraits.get(id)!;
      const portrait = buildPath.portrait(id);
      const own = storyboardTakes({ step, media: "image", output: "image", ext: "png", href: portrait, takeable: member.reference === undefined }, takes?.get(step));
      return {
        id,
        name: member.name,
        look: member.look,
        ...(done(steps.get(step)) ? { portrait } : {}),
        ...(own ? { takes: own } : {}),
      };
    });
}

const NOT_WRITTEN = "lines not written yet";

/** How a scene's lines are heard, when not plain voice-over (issue 29). */
export function dialogueMark(d: ShotDialogue | undefined): string | undefined {
  if (!d || d.asked === "voice-over") return undefined;
  if (d.voiced !== d.asked) return `${d.asked} dialogue asked; voiced like voice-over: ${d.why ?? "offline"}`;
  return d.voiced === "native" ? "native dialogue: the video model speaks these lines; subtitles timed by a transcription" : "lip sync: the clip's mouths follow these voices";
}

export const OUTLINE_MARK = "outline — write the lines or use a text provider";

/** Cut lengths are whole frames and encoder-padded: only a difference past 0.15 s (lengths are measured to a tenth) is the lines not fitting. */
const TOLERANCE_SECONDS = 0.15;

function overrun(actual: number | undefined, planned: number): boolean {
  return actual !== undefined && Math.abs(actual - planned) > TOLERANCE_SECONDS;
}

/** Scenes whose cut runs past their planned length (their spoken lines are longer), in drama order; `shots`: a multi-shot scene's. */
export function overruns(model: StoryboardModel): { readonly id: string; readonly index: number; readonly planned: number; readonly actual: number; readonly shots?: true }[] {
  return model.scenes.flatMap((s) =>
    s.plannedSeconds !== undefined && s.seconds > s.plannedSeconds ? [{ id: s.id, index: s.index, planned: s.plannedSeconds, actual: s.seconds, ...(s.shots ? { shots: true as const } : {}) }] : [],
  );
}

/** A native scene's lines with what the model said where it said otherwise. */
function withSaid(lines: StoryboardLine[], said: readonly SaidOtherwise[] | undefined): StoryboardLine[] {
  if (!said) return lines;
  return lines.map((l, i) => {
    const d = said.find((s) => s.index === i);
    return d ? { ...l, said: d.said } : l;
  });
}

function sceneLines(episode: EpisodeLayout, place: SceneLayout, generated: GeneratedLines | undefined): StoryboardLine[] {
  // The narrator reads the beat, which the card already shows: no lines of anyone's.
  if (place.narrated) return [];
  const name = (speaker: string) => episode.view.cast[speaker]?.name ?? speaker;
  const { scene, cast } = place;
  if (scene.lines) return scene.lines.map((l) => ({ speaker: name(l.speaker), text: l.text }));
  if (generated) {
    // The offline provider has no writer: its stand-in lines are shown as placeholders, not as dialogue.
    return generated.lines.map((l) => ({ speaker: name(l.speaker), text: l.text, ...(generated.standIn ? { placeholder: true } : {}) }));
  }
  // Not written yet (still to run, or failed): as many lines as the graph will ask for, taking turns.
  const count = cast.length === 0 ? 0 : (place.generated?.count ?? 0);
  return Array.from({ length: count }, (_, i) => ({ speaker: name(cast[i % cast.length]!), text: NOT_WRITTEN, placeholder: true }));
}

/**
 * Lengths of the cuts and the final video this build made or reused, from
 * their MP4 headers (ffprobe for a file that has none it can read). A file
 * that cannot be measured is left out: its card falls back to the scene's `seconds`.
 */
export async function measureDurations(root: string, episode: EpisodeLayout, steps: ReadonlyMap<string, StepRecord>): Promise<Map<string, number>> {
  const buildDir = join(root, "build");
  const wanted: [key: string, file: string][] = episode.scenes
    .filter((place) => done(steps.get(place.cut.step)))
    .map((place) => [place.stepPrefix, join(buildDir, place.cut.file)]);
  // A multi-shot scene's shots: each shot's cut, by its step id.
  for (const place of episode.scenes) {
    if (place.formatOne) continue;
    for (const shot of place.shots) if (!shot.cutIsMove && done(steps.get(shot.cut.step))) wanted.push([shot.cut.step, join(buildDir, shot.cut.file)]);
  }
  if (done(steps.get(episode.final.step))) wanted.push([episode.final.step, join(buildDir, episode.final.file)]);
  const found = new Map<string, number>();
  const signal = AbortSignal.timeout(10_000);
  await Promise.all(
    wanted.map(async ([key, file]) => {
      const seconds = await mediaSeconds(file, signal);
      if (seconds.ok && seconds.value > 0) found.set(key, Math.round(seconds.value * 10) / 10);
    }),
  );
  return found;
}

/** A series' episode as a row of its index: state by the scenes' precedence (and its final), its own steps' cost. */
export function episodeRow(episode: EpisodeLayout, model: StoryboardModel, steps: ReadonlyMap<string, StepRecord>, page: string): StoryboardEpisode {
  const states = model.scenes.map((s) => s.state);
  const final = steps.get(episode.final.step);
  const state: SceneState = states.includes("failed") || final?.state === "failed"
    ? "failed"
    : states.includes("running") || final?.state === "running"
      ? "running"
      : states.includes("waiting") || !done(final)
        ? "waiting"
        : states.includes("built") || final?.state === "ran"
          ? "built"
          : "cached";
  const cost = episode.own.reduce((sum, id) => sum + (steps.get(id)?.cost ?? 0), 0);
  const poster = model.scenes.find((s) => s.keyframe !== undefined)?.keyframe;
  return {
    id: episode.view.id ?? String(episode.view.number),
    number: episode.view.number,
    title: episode.view.episodeTitle,
    page,
    ...(poster !== undefined ? { poster } : {}),
    seconds: model.final?.durationSeconds ?? model.scenes.reduce((sum, s) => sum + s.seconds, 0),
    state,
    cost: Math.round(cost * 1e6) / 1e6,
    ...(model.final ? { video: model.final.href } : {}),
  };
}

/** The page of an episode of a series, beside the index (build-relative). */
export function episodePage(episode: EpisodeLayout): string {
  return `storyboard-${episode.view.id ?? episode.view.number}.html`;
}

/** Every page a build writes: a single episode's storyboard, or a series' index and one page per episode. */
export interface StoryboardPages {
  readonly index?: StoryboardIndex;
  /** `episode`: the episode id of a series' page, so a warning can point into its file. */
  readonly pages: readonly { readonly file: string; readonly model: StoryboardModel; readonly episode?: string | undefined }[];
}

/**
 * The pages for a build that has ended. A targeted build knows only its
 * episodes' steps: it writes their pages and leaves the index (and every
 * other page) as the last whole build wrote it.
 */
export async function storyboardPages(source: StoryboardSource, tracker: BuildTracker, page = "storyboard.html"): Promise<StoryboardPages> {
  const drama = source.layout;
  const takes = await layoutTakes(source);
  if (!drama.series) return { pages: [{ file: page, model: await storyboardFromBuild(source, tracker, drama.episodes[0]!, takes) }] };
  const inBuild = drama.episodes.filter((ep) => tracker.steps.has(ep.final.step) || ep.own.some((id) => tracker.steps.has(id)));
  const whole = inBuild.length === drama.episodes.length;
  const index = { href: page, title: drama.title };
  const models = await Promise.all(
    inBuild.map(async (ep) => ({ ep, model: { ...(await storyboardFromBuild(source, tracker, ep, takes)), index } })),
  );
  const pages = models.map(({ ep, model }) => ({ file: episodePage(ep), model, episode: ep.view.id }));
  if (!whole) return { pages };
  const totals = { ...models[0]!.model.totals, scenes: models.reduce((n, m) => n + m.model.scenes.length, 0) };
  return {
    index: {
      title: drama.title,
      language: drama.language,
      totals,
      episodes: models.map(({ ep, model }) => episodeRow(ep, model, tracker.steps, episodePage(ep))),
    },
    pages,
  };
}

/** What a storyboard needs of a loaded graph: its directory and layout. */
export interface StoryboardSource {
  readonly root: string;
  readonly layout: DramaLayout;
}

/** The model for a build that has ended (or stopped): reads the generated lines and measures the videos, then `storyboardModel`. */
export async function storyboardFromBuild(
  source: StoryboardSource,
  tracker: BuildTracker,
  episode: EpisodeLayout = source.layout.episodes[0]!,
  takes?: ReadonlyMap<string, StepTakes>,
): Promise<StoryboardModel> {
  const finished = (id: string) => done(tracker.steps.get(id));
  const [generated, durations, said] = await Promise.all([
    builtLines(source.root, source.layout, finished),
    measureDurations(source.root, episode, tracker.steps),
    builtSaid(source.root, source.layout, finished),
  ]);
  return storyboardModel({
    drama: source.layout,
    episode,
    steps: tracker.steps,
    failedOrder: tracker.failedOrder,
    ...(tracker.summary ? { summary: tracker.summary } : {}),
    generated,
    durations,
    ...(said.size > 0 ? { said } : {}),
    ...(takes ? { takes } : {}),
  });
}

/** The takes of every keyframe, clip and portrait of the drama, in one pass over the action cache. */
async function layoutTakes(source: StoryboardSource): Promise<Map<string, StepTakes>> {
  const ids = new Set<string>(source.layout.portraits.values());
  for (const ep of source.layout.episodes) {
    for (const place of ep.scenes) {
      ids.add(place.keyframe.step);
      ids.add(ep.view.ids.clip(place.scene.id));
    }
  }
  const { chosenTakes } = await import("../../engine/takes.js");
  return chosenTakes(source.root, [...ids]);
}
