/** Step ids are paths (DESIGN §2); one place spells them. */
export const stepId = {
  portrait: (castId: string) => `cast/${castId}/portrait`,
  lines: (sceneId: string) => `scene/${sceneId}/lines`,
  polish: (sceneId: string) => `scene/${sceneId}/polish`,
  keyframe: (sceneId: string) => `scene/${sceneId}/keyframe`,
  clip: (sceneId: string) => `scene/${sceneId}/clip`,
  voice: (sceneId: string, n: number) => `scene/${sceneId}/voice/${n}`,
  dialogue: (sceneId: string) => `scene/${sceneId}/dialogue`,
  subtitles: (sceneId: string) => `scene/${sceneId}/subtitles`,
  cut: (sceneId: string) => `scene/${sceneId}/cut`,
  music: () => "music",
  final: () => "final",
} as const;

/** Where materialized outputs land under build/, for the storyboard and the user. */
export const buildPath = {
  keyframe: (sceneId: string) => `scenes/${sceneId}/keyframe.png`,
  clip: (sceneId: string) => `scenes/${sceneId}/clip.mp4`,
  cut: (sceneId: string) => `scenes/${sceneId}/cut.mp4`,
  portrait: (castId: string) => `cast/${castId}.png`,
} as const;
