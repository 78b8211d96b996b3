/**
 * One episode as its steps see it: what it inherits from the project (cast,
 * format, language) with its own overrides (style, music, theme), its scenes,
 * and where its steps and files live. Steps read an EpisodeView, never the
 * project, so a series and a single-episode project share every step.
 */
import type { Project, ResolvedFormat, ResolvedScene } from "../project/project.js";
import type { CastMember, Music } from "../project/schema.js";
import { episodeBuildPaths, episodeStepIds, stepId, type EpisodeBuildPaths, type EpisodeStepIds } from "./ids.js";

export interface EpisodeView {
  /** The episode id; undefined for a single-episode project (no prefix on its step ids). */
  readonly id?: string;
  /** 1-based position in the series. */
  readonly number: number;
  readonly title: string;
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
}

/** A format-1 project is one episode without an id: ids, paths and outputs exactly as before series existed. */
export function singleEpisode(project: Project): EpisodeView {
  return {
    number: 1,
    title: project.title,
    theme: project.theme,
    language: project.language,
    style: project.style,
    format: project.format,
    cast: project.cast,
    ...(project.music ? { music: project.music } : {}),
    ...(project.budget !== undefined ? { budget: project.budget } : {}),
    scenes: project.scenes,
    ids: episodeStepIds(),
    paths: episodeBuildPaths(),
    musicStep: stepId.music(),
    output: { video: `${project.slug}.mp4`, srt: `${project.slug}.srt` },
  };
}

/** What every episode shares, as portraits read it: the project's own cast, style, language and format. */
export function seriesView(project: Project): Pick<EpisodeView, "cast" | "style" | "language" | "format"> {
  return { cast: project.cast, style: project.style, language: project.language, format: project.format };
}

/** The project's episodes as their steps see them. */
export function episodeViews(project: Project): EpisodeView[] {
  return [singleEpisode(project)];
}
