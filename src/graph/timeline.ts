/**
 * What a built episode is made of, read back for export (report/export): the
 * plan says every step of the episode is current (an export of a stale build
 * would hand an editor what the project no longer says), drama.lock names
 * the objects each step made, and the step modules' output formats are read
 * here, so reports never parse a step's output themselves. Nothing is
 * measured: the cuts' lengths are the ones the soundtrack placed them at (the
 * cut length rule), the lines' times the dialogue step's own timings.
 */
import { readFile, stat } from "node:fs/promises";
import { computePlan, type EngineGraph } from "../engine/index.js";
import { layout as engineLayout, objectPath } from "../engine/layout.js";
import { readLockfile } from "../engine/lockfile.js";
import { parseSrt, type Cue, type CutLengths, type LineTiming } from "../media/index.js";
import { loudnessFromJson, type LoudnessProfile } from "../media/loudness.js";
import { err, ok, type Result } from "../result.js";
import { builtLines } from "./built.js";
import type { DramaLayout, EpisodeLayout, SceneLayout } from "./layout.js";
import { shotsTiming, type ScenePlacement } from "./plan/timing.js";
import type { Transition } from "../project/schema.js";
import { MUSIC_OUTPUT } from "./ops/music.js";
import { SOUNDTRACK_OUTPUT } from "./ops/soundtrack.js";
import { NARRATOR, VOICE_OUTPUT } from "./ops/voice.js";
import { CARD_OUTPUT } from "./ops/card.js";
import { cardPlans, type CardKind, type CardPlan } from "./finishing.js";

export interface BuiltLine {
  /** Cast id, or NARRATOR. */
  readonly speaker: string;
  /** Seconds into the scene's dialogue (and its cut). */
  readonly start: number;
  readonly end: number;
}

export interface BuiltScene {
  readonly id: string;
  /** 1-based, in the episode. */
  readonly index: number;
  /** The cut's object in the cache, and its length as the soundtrack placed it (whole frames). */
  readonly cut: string;
  readonly seconds: number;
  /** Where the cut starts in the episode (an overlap with the previous one starts it earlier). */
  readonly start: number;
  /** Into this scene as done: its kind and overlap with the previous cut, seconds (`cut`, 0 for the first). */
  readonly transition: { readonly kind: Transition; readonly seconds: number };
  /**
   * The scene's shots in its cut (issue 27): where each starts (seconds into
   * the cut), its planned length, and the transition into it as done. A
   * format-1 scene has one, the whole cut.
   */
  readonly shots: readonly { readonly id: string; readonly start: number; readonly seconds: number; readonly transition: { readonly kind: Transition; readonly seconds: number } }[];
  /** The chosen take of the scene's clip. */
  readonly take: number;
  /** The dialogue track's object and length, its loudness, and who speaks when. */
  readonly dialogue: { readonly file: string; readonly seconds: number; readonly loudness: LoudnessProfile };
  readonly lines: readonly BuiltLine[];
  /** The scene's subtitle cues, seconds into the scene. */
  readonly cues: readonly Cue[];
}

/** A card (issue 32) as the final joined it: a silent cut of its own before or after the scenes. */
export interface BuiltCard {
  readonly kind: CardKind;
  /** Its step (`card/title`, `episode/<id>/card/end`...). */
  readonly step: string;
  /** The card's clip object, its length and start as the soundtrack placed them. */
  readonly file: string;
  readonly seconds: number;
  readonly start: number;
  readonly take: number;
}

export interface BuiltEpisode {
  readonly scenes: readonly BuiltScene[];
  /**
   * The cards before and after the scenes, in playing order (absent or empty
   * without `cards:`); the scenes start after the leading ones.
   */
  readonly cards?: { readonly before: readonly BuiltCard[]; readonly after: readonly BuiltCard[] };
  /** The music step's object (before it is fitted to the episode). */
  readonly music: string;
  /** The episode's whole length: the cuts' together. */
  readonly seconds: number;
  /** The final's subtitles object. */
  readonly srt: string;
}

/** A scene's shots in its cut, by the timing module's one answer (a format-1 scene: one shot, the whole cut). */
function shotsIn(place: SceneLayout, cutSeconds: number, fps: number): BuiltScene["shots"] {
  if (place.formatOne) return [{ id: place.shots[0]?.id ?? "1", start: 0, seconds: cutSeconds, transition: { kind: "cut", seconds: 0 } }];
  const t = shotsTiming(place.shots, fps);
  return place.shots.map((s, i) => ({ id: s.id, start: t.offsets[i]!, seconds: s.seconds, transition: { kind: t.transitions[i]!, seconds: t.overlaps[i]! } }));
}

export interface NotBuilt {
  readonly kind: "not-built";
  readonly message: string;
}

class Missing extends Error {}

export async function builtEpisode(graph: EngineGraph & { readonly root: string }, drama: DramaLayout, episode: EpisodeLayout): Promise<Result<BuiltEpisode, NotBuilt>> {
  const l = engineLayout(graph.root);
  const lock = await readLockfile(l.lockfile);
  const notBuilt = (why: string): Result<BuiltEpisode, NotBuilt> =>
    err({ kind: "not-built", message: `${episode.final.step} is not built (${why}): run 'dramake build${drama.series ? ` -t ${episode.view.ids.prefix.slice(0, -1)}` : ""}' first` });
  const plan = await computePlan(graph, { targets: [episode.final.step] });
  if (!plan.ok) return notBuilt(`it cannot be planned: ${plan.error.kind}`);
  const stale = plan.value.steps.filter((s) => s.action === "run" || s.key === undefined || lock.get(s.id)?.key !== s.key).map((s) => s.id);
  if (stale.length > 0) return notBuilt(`${stale.length} step${stale.length === 1 ? "" : "s"} out of date, e.g. ${stale.slice(0, 3).join(", ")}`);
  // Current, but an object may have been collected since (gc): each is checked before it is named.
  const object = async (step: string, output: string): Promise<{ path: string; size: number } | undefined> => {
    const ref = lock.get(step)?.outputs[output];
    if (!ref) return undefined;
    const path = objectPath(l, ref.digest);
    return (await stat(path).catch(() => undefined)) ? { path, size: ref.size } : undefined;
  };
  const need = async (step: string, output: string): Promise<string> => {
    const found = await object(step, output);
    if (!found) throw new Missing(`${step}'s ${output} is not in the cache`);
    return found.path;
  };
  const text = async (step: string, output: string) => readFile(await need(step, output), "utf8");
  const ids = episode.view.ids;
  try {
    const placed = JSON.parse(await text(ids.soundtrack(), SOUNDTRACK_OUTPUT.lengths)) as CutLengths & Partial<ScenePlacement>;
    const fps = episode.view.format.fps;
    const generated = await builtLines(graph.root, drama, () => true);
    // The soundtrack placed the cards as cuts of their own around the scenes (finishing.ts): the scenes' places follow the leading ones.
    const plans = cardPlans(episode.view);
    const lead = plans.before.length;
    const card = async (c: CardPlan, at: number): Promise<BuiltCard> => {
      const step = ids.card(c.kind);
      return { kind: c.kind, step, file: await need(step, CARD_OUTPUT.video), seconds: placed.durations[at]!, start: placed.offsets[at]!, take: lock.get(step)?.take ?? 1 };
    };
    const before: BuiltCard[] = [];
    for (const [k, c] of plans.before.entries()) before.push(await card(c, k));
    const after: BuiltCard[] = [];
    for (const [k, c] of plans.after.entries()) after.push(await card(c, lead + episode.scenes.length + k));
    const scenes: BuiltScene[] = [];
    for (const [n, place] of episode.scenes.entries()) {
      const i = lead + n;
      const { scene } = place;
      // Who speaks each voice slot that spoke (an empty slot is past the lines written: left out of the dialogue).
      const prefix = ids.voice(scene.id, 0).slice(0, -1);
      const voices = place.steps.filter((id) => id.startsWith(prefix)).map((id) => Number(id.slice(prefix.length))).sort((a, b) => a - b);
      const speakers: string[] = [];
      // A native scene has no voice steps (issue 29): its clip speaks its written lines, in order.
      if (place.shots[0]?.dialogue?.voiced === "native") speakers.push(...(scene.lines ?? []).map((l) => l.speaker));
      for (const n of voices) {
        const out = await object(ids.voice(scene.id, n), VOICE_OUTPUT);
        if (!out || out.size === 0) continue;
        speakers.push(place.narrated ? NARRATOR : (scene.lines?.[n - 1]?.speaker ?? generated.get(place.stepPrefix)?.lines[n - 1]?.speaker ?? NARRATOR));
      }
      const timings = JSON.parse(await text(ids.dialogue(scene.id), "timings")) as { timings: LineTiming[]; seconds: number };
      const loudness = loudnessFromJson(await text(ids.dialogue(scene.id), "loudness"));
      if (!loudness) throw new Missing(`${ids.dialogue(scene.id)}'s loudness record is unreadable`);
      scenes.push({
        id: scene.id,
        index: place.index,
        cut: await need(place.cut.step, "video"),
        seconds: placed.durations[i]!,
        start: placed.offsets[i]!,
        transition: { kind: placed.transitions?.[i] ?? "cut", seconds: placed.overlaps?.[i] ?? 0 },
        shots: shotsIn(place, placed.durations[i]!, fps),
        take: lock.get(ids.clip(scene.id))?.take ?? 1,
        dialogue: { file: await need(ids.dialogue(scene.id), "audio"), seconds: timings.seconds, loudness },
        lines: timings.timings.map((t, k) => ({ speaker: speakers[k] ?? NARRATOR, start: t.start, end: t.end })),
        cues: parseSrt(await text(ids.subtitles(scene.id), "srt")),
      });
    }
    return ok({ scenes, ...(before.length + after.length > 0 ? { cards: { before, after } } : {}), music: await need(episode.view.musicStep, MUSIC_OUTPUT), seconds: placed.seconds, srt: await need(episode.final.step, "srt") });
  } catch (e) {
    if (e instanceof Missing) return notBuilt(e.message);
    throw e;
  }
}
