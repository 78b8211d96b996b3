/**
 * Step ids are paths (DESIGN §2); one place spells them, and the build/ paths
 * of what a step materializes.
 *
 * A series prefixes every scene step with its episode (`episode/<ep>/scene/…`)
 * and gives each episode its own `final`. A single-episode project has no
 * prefix, so its ids, keys and lockfile stay exactly as format 1 made them.
 */
export function episodeStepIds(episode?: string) {
  const p = episode === undefined ? "" : `episode/${episode}/`;
  return {
    /** Everything under this prefix is the episode's (`""` for a single-episode project). */
    prefix: p,
    /** Everything under `<prefix>scene/<id>/` is that scene's. */
    scene: (sceneId: string) => `${p}scene/${sceneId}/`,
    lines: (sceneId: string) => `${p}scene/${sceneId}/lines`,
    polish: (sceneId: string) => `${p}scene/${sceneId}/polish`,
    keyframe: (sceneId: string) => `${p}scene/${sceneId}/keyframe`,
    clip: (sceneId: string) => `${p}scene/${sceneId}/clip`,
    voice: (sceneId: string, n: number) => `${p}scene/${sceneId}/voice/${n}`,
    dialogue: (sceneId: string) => `${p}scene/${sceneId}/dialogue`,
    subtitles: (sceneId: string) => `${p}scene/${sceneId}/subtitles`,
    cut: (sceneId: string) => `${p}scene/${sceneId}/cut`,
    /** A multi-shot scene's shot steps (issue 27): `scene/<id>/shot/<shot>/keyframe|clip|cut`. */
    shot: (sceneId: string, shotId: string) => ({
      keyframe: `${p}scene/${sceneId}/shot/${shotId}/keyframe`,
      clip: `${p}scene/${sceneId}/shot/${shotId}/clip`,
      cut: `${p}scene/${sceneId}/shot/${shotId}/cut`,
    }),
    /** An episode's own music (it set `music:`); the series' shared music is `music`. */
    music: () => `${p}music`,
    /** The episode's mixed sound, made while its cuts encode. */
    soundtrack: () => `${p}soundtrack`,
    final: () => `${p}final`,
  } as const;
}
export type EpisodeStepIds = ReturnType<typeof episodeStepIds>;

/** Ids of a single-episode project, and of the series-wide steps (portraits, shared music). */
export const stepId = {
  portrait: (castId: string) => `cast/${castId}/portrait`,
  ...episodeStepIds(),
} as const;

/**
 * Where materialized outputs land under build/. A series keeps each episode's
 * scenes apart (`episodes/<ep>/scenes/…`): scene ids need only be unique
 * within their episode.
 */
export function episodeBuildPaths(episode?: string) {
  const p = episode === undefined ? "" : `episodes/${episode}/`;
  return {
    keyframe: (sceneId: string) => `${p}scenes/${sceneId}/keyframe.png`,
    clip: (sceneId: string) => `${p}scenes/${sceneId}/clip.mp4`,
    cut: (sceneId: string) => `${p}scenes/${sceneId}/cut.mp4`,
    shot: (sceneId: string, shotId: string) => ({
      keyframe: `${p}scenes/${sceneId}/shots/${shotId}/keyframe.png`,
      clip: `${p}scenes/${sceneId}/shots/${shotId}/clip.mp4`,
      cut: `${p}scenes/${sceneId}/shots/${shotId}/cut.mp4`,
    }),
  } as const;
}
export type EpisodeBuildPaths = ReturnType<typeof episodeBuildPaths>;

export const buildPath = {
  portrait: (castId: string) => `cast/${castId}.png`,
  ...episodeBuildPaths(),
} as const;
