/**
 * `dramake write --episodes N` on a series: one premise per episode, appended
 * after the episodes already there until there are N. Offline the premises
 * are the theme's outline (hook, turn, climax, resolution) spread over the N
 * episodes, the same outline `write` gives a single episode's scenes, so
 * episode k of N gets the same premise however many were written before it;
 * with a text provider the model writes them (write.ts prices and asks).
 * Each new episode also gets one beat-only scene (its premise) because an
 * episode needs a scene to validate and build; `write` fills it in later.
 *
 * Ids are the episode's 2-digit position ("04"), as in examples/night-market
 * (its video is then build/<series>/04-episode-4.mp4); one already taken gets
 * "-2" added.
 */
import type { Project } from "../project/project.js";
import type { PremisesDraft } from "../providers/types.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import { normalizeDraft, type SceneEntry } from "./normalize.js";
import { actOf, narratedSeconds, outlineDraft } from "./outline.js";
import { DEFAULT_SCENE_SECONDS } from "./size.js";

export type EpisodeEntry = { id: string; title: string; premise: string; scenes: SceneEntry[] };

export const MAX_EPISODES = 100;

const titleFor = (n: number, language: string) => (/^(zh|cmn|yue)/i.test(language) ? `第${n}集` : `Episode ${n}`);

function freeId(n: number, taken: Set<string>): string {
  const base = String(n).padStart(2, "0");
  let id = base;
  for (let k = 2; taken.has(id); k++) id = `${base}-${k}`;
  taken.add(id);
  return id;
}

/** A new episode's title and premise, from the outline or a model. */
export interface Premise {
  readonly title: string;
  readonly premise: string;
}

/** The offline premises of episodes have+1..total: the theme's outline over `total` episodes, the part not yet written. */
export function outlinePremises(project: Project, total: number): Premise[] {
  const have = project.episodes.length;
  const outline = outlineDraft({ theme: project.theme, language: project.language, scenes: total, secondsPerScene: DEFAULT_SCENE_SECONDS, cast: [] });
  return outline.scenes.slice(have).map((scene, i) => ({ title: titleFor(have + i + 1, project.language), premise: scene.beat }));
}

/**
 * The entries appended after the project's episodes: ids by position, each with
 * one beat-only scene (its premise), its id the episode's act in the series.
 */
export function episodeEntries(project: Project, total: number, premises: readonly Premise[]): Result<EpisodeEntry[], string> {
  const have = project.episodes.length;
  const cast = Object.keys(project.cast);
  // As the outline's scenes: a setting from the theme (never empty), as long as the premise takes to narrate (no dead air).
  const places = outlineDraft({ theme: project.theme, language: project.language, scenes: total, secondsPerScene: DEFAULT_SCENE_SECONDS, cast: [] }).scenes;
  const drafts = premises.map((p, i) => ({ id: actOf(have + i, total), setting: places[have + i]?.setting ?? "", cast, action: "", camera: "static", seconds: narratedSeconds(p.premise, 60), beat: p.premise, lines: [] }));
  // One normalize call for all new scenes: their ids stay unique across the series (hook, turn, turn-2, ...).
  const normalized = normalizeDraft(
    { cast: [], scenes: drafts },
    {
      existingCast: Object.fromEntries(Object.entries(project.cast).map(([k, c]) => [k, { name: c.name }])),
      takenSceneIds: project.scenes.map((s) => s.id),
      language: project.language,
      scenes: drafts.length,
      secondsPerScene: DEFAULT_SCENE_SECONDS,
      seconds: "draft",
    },
  );
  if (!normalized.ok) return err(normalized.error);
  const taken = new Set(project.episodes.map((e) => e.id).filter((id): id is string => id !== undefined));
  return ok(normalized.value.scenes.map((scene, i) => ({ id: freeId(have + i + 1, taken), title: premises[i]!.title, premise: premises[i]!.premise, scenes: [scene] })));
}

/** Why a model's premises do not fit (sent back for the one repair turn), or undefined. */
export function premisesMisfit(draft: PremisesDraft, wanted: number): string | undefined {
  if (draft.episodes.length !== wanted) return `${draft.episodes.length} episodes, ${wanted} were asked for`;
  const blank = draft.episodes.findIndex((e) => !e.title.trim() || !e.premise.trim());
  return blank >= 0 ? `episode ${blank + 1} has an empty title or premise` : undefined;
}

export const EPISODES_OUTLINE_COMMENT =
  "outline: episodes written offline by `dramake write --episodes` from the theme (hook, turn, climax, resolution).\n" +
  "One premise and one beat-only scene each; write their scenes, or set use.text to a text provider.";
