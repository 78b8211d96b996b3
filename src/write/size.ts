/**
 * How much to write: `--scenes N` and/or `--minutes M`, at about 150 spoken
 * words a minute (a common rule for screen dialogue).
 */
import type { Result } from "../result.js";
import { err, ok } from "../result.js";

export const WORDS_PER_MINUTE = 150;
/** A vertical-drama scene runs about 8 s when only a count or only a length is given. */
export const DEFAULT_SCENE_SECONDS = 8;
export const DEFAULT_SCENES = 4;
export const MAX_SCENES = 200;
/** The schema's longest scene. */
const MAX_SCENE_SECONDS = 60;

export interface Size {
  readonly scenes: number;
  readonly secondsPerScene: number;
  readonly wordsPerScene: number;
}

export function sizeFor(request: { readonly scenes?: number | undefined; readonly minutes?: number | undefined }): Result<Size, string> {
  const { scenes, minutes } = request;
  if (scenes !== undefined && !(Number.isInteger(scenes) && scenes >= 1 && scenes <= MAX_SCENES)) {
    return err(`--scenes ${scenes} is not allowed: a whole number from 1 to ${MAX_SCENES}`);
  }
  if (minutes !== undefined && !(Number.isFinite(minutes) && minutes > 0 && minutes <= 60)) {
    return err(`--minutes ${minutes} is not allowed: a number of minutes above 0, at most 60`);
  }
  const count = scenes ?? (minutes !== undefined ? Math.max(1, Math.round((minutes * 60) / DEFAULT_SCENE_SECONDS)) : DEFAULT_SCENES);
  const total = minutes !== undefined ? minutes * 60 : count * DEFAULT_SCENE_SECONDS;
  const seconds = Math.round((total / count) * 10) / 10;
  if (seconds > MAX_SCENE_SECONDS) return err(`${count} scenes cannot fill ${minutes} minutes: a scene is at most ${MAX_SCENE_SECONDS} s; ask for at least ${Math.ceil(total / MAX_SCENE_SECONDS)} scenes`);
  if (seconds < 1) return err(`${count} scenes in ${minutes} minutes leaves under a second a scene; ask for fewer scenes`);
  return ok({ scenes: count, secondsPerScene: seconds, wordsPerScene: Math.max(1, Math.round((WORDS_PER_MINUTE * seconds) / 60)) });
}
