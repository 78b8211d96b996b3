/**
 * One episode as its steps see it: what it inherits from the project (cast,
 * format, language) with its own overrides (style, music, theme), its scenes,
 * and where its steps and files live. Steps read an EpisodeView, never the
 * project, so a series and a single-episode project share every step.
 */
import { relative, sep } from "node:path";
import type { Project, ResolvedFormat, ResolvedScene } from "../project/project.js";
import type { CastMember, Music } from "../project/schema.js";
import type { CardsConfig, CoverConfig, DeliverConfig, SubtitlesConfig } from "../project/finishing.js";
import { episodeBuildPaths, episodeStepIds, stepId, type EpisodeBuildPaths, type EpisodeStepIds } from "./ids.js";

export interface EpisodeView {
  /** The episode id; undefined for a single-episode project (no prefix on its step ids). */
  readonly id?: string;
  /** 1-based position in the series. */
  readonly number: number;
  /** The title the text model hears: the project's, or in a series "<series>: <episode>". */
  readonly title: string;
  /** The episode's own title (a single-episode project's: its title). */
  readonly episodeTitle: string;
  readonly theme: string;
  readonly language: string;
  readonly style: string;
  readonly format: ResolvedFormat;
  /** The series' cast plus this episode's additions. */
  readonly cast: Readonly<Record<string, CastMember>>;
  readonly music?: Music;
  readonly budget?: number;
  readonly scenes: readonly ResolvedScene[];
  readonly ids: EpisodeStepIds;
  readonly paths: EpisodeBuildPaths;
  /** The music step this episode's final mixes in: its own when it sets `music:`, else the series' `music`. */
  readonly musicStep: string;
  /** Build-relative outputs of the episode's final. */
  readonly output: { readonly video: string; readonly srt: string };
  /** The finishing keys it is made with (issue 32): the series' subtitles and deliveries, its own (or the series') cards and cover. */
  readonly finishing: {
    readonly subtitles?: SubtitlesConfig;
    readonly cards?: CardsConfig;
    readonly cover?: CoverConfig;
    readonly deliver?: DeliverConfig;
  };
  /** The series' title (a single-episode project: undefined), for cards and covers. */
  readonly seriesTitle?: string;
}

/** Episode numbers in file names, zero-padded so a folder lists them in order. */
function numbered(n: number, of: number): string {
  return String(n).padStart(Math.max(2, String(of).length), "0");
}

/**
 * The project's episodes as their steps see them. A format-1 project is one
 * episode without an id: ids, paths and outputs exactly as before series
 * existed. A series' episode writes `build/<series-slug>/<nn>-<episode-slug>.mp4`.
 */
export function episodeViews(project: Project): EpisodeView[] {
  return project.episodes.map((ep): EpisodeView => {
    const output = project.series ? `${project.slug}/${numbered(ep.number, project.episodes.length)}-${ep.slug}` : project.slug;
    const music = ep.music ?? project.music;
    return {
      ...(ep.id !== undefined ? { id: ep.id } : {}),
      number: ep.number,
      // The writer of a series' lines hears which show and which episode this is.
      title: project.series ? `${project.title}: ${ep.title}` : ep.title,
      episodeTitle: ep.title,
      theme: ep.premise ? `${ep.theme}${ep.theme ? "\n" : ""}This episode: ${ep.premise}` : ep.theme,
      language: project.language,
      style: ep.style,
      format: project.format,
      cast: { ...project.cast, ...ep.cast },
      ...(music ? { music } : {}),
      ...(ep.budget !== undefined ? { budget: ep.budget } : {}),
      scenes: ep.scenes,
      ids: episodeStepIds(ep.id),
      paths: episodeBuildPaths(ep.id),
      musicStep: ep.music ? episodeStepIds(ep.id).music() : stepId.music(),
      output: { video: `${output}.mp4`, srt: `${output}.srt` },
      finishing: {
        ...(project.subtitles ? { subtitles: project.subtitles } : {}),
        ...(ep.cards ? { cards: ep.cards } : {}),
        ...(ep.cover ? { cover: ep.cover } : {}),
        ...(project.deliver ? { deliver: project.deliver } : {}),
      },
      ...(project.series ? { seriesTitle: project.title } : {}),
    };
  });
}

/** What every episode shares, as portraits read it: the project's own cast, style, language and format. */
export function seriesView(project: Project): Pick<EpisodeView, "cast" | "style" | "language" | "format"> {
  // Cast added by an episode is portrayed once too, in the series' style.
  const cast = Object.assign({}, project.cast, ...project.episodes.map((ep) => ep.cast)) as EpisodeView["cast"];
  return { cast, style: project.style, language: project.language, format: project.format };
}

/**
 * `watch`: when every saved file is an episode's own file, the targets that
 * rebuild just those episodes (`episode/<id>`); otherwise none (the whole
 * project), since the project file or an included cast file may touch every
 * episode. `changed` is project-relative with forward slashes.
 */
export function savedEpisodeTargets(project: Project, changed: readonly string[]): string[] {
  if (!project.series || changed.length === 0) return [];
  const byFile = new Map<string, string>();
  for (const ep of project.episodes) {
    if (ep.file !== project.file && ep.id !== undefined) byFile.set(relative(project.dir, ep.file).split(sep).join("/"), ep.id);
  }
  const ids = changed.map((f) => byFile.get(f));
  return ids.every((id) => id !== undefined) ? [...new Set(ids)].map((id) => episodeStepIds(id).prefix.slice(0, -1)) : [];
}
