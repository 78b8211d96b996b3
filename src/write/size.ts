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
/**
 * A scene is one clip, and 12 s is the longest clip sora-2 and Seedance make in
 * one request: a longer drama from --minutes alone gets longer scenes up to
 * this, then more of them (2 minutes: 10 scenes of 12 s, not 15 of 8 s).
 */
export const LONGEST_SCENE_FROM_MINUTES = 12;
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
  // --minutes alone: the default four acts stretch from 8 s a scene up to the longest one clip makes, then scenes are added.
  const perScene = minutes === undefined ? DEFAULT_SCENE_SECONDS : Math.min(LONGEST_SCENE_FROM_MINUTES, Math.max(DEFAULT_SCENE_SECONDS, (minutes * 60) / DEFAULT_SCENES));
  const fromMinutes = (total: number) => {
    const n = Math.max(1, Math.round(total / perScene));
    return total / n > LONGEST_SCENE_FROM_MINUTES ? Math.ceil(total / LONGEST_SCENE_FROM_MINUTES) : n;
  };
  const count = scenes ?? (minutes !== undefined ? fromMinutes(minutes * 60) : DEFAULT_SCENES);
  const total = minutes !== undefined ? minutes * 60 : count * DEFAULT_SCENE_SECONDS;
  const seconds = Math.round((total / count) * 10) / 10;
  if (seconds > MAX_SCENE_SECONDS) return err(`${count} scenes cannot fill ${minutes} minutes: a scene is at most ${MAX_SCENE_SECONDS} s; ask for at least ${Math.ceil(total / MAX_SCENE_SECONDS)} scenes`);
  if (seconds < 1) return err(`${count} scenes in ${minutes} minutes leaves under a second a scene; ask for fewer scenes`);
  return ok({ scenes: count, secondsPerScene: seconds, wordsPerScene: Math.max(1, Math.round((WORDS_PER_MINUTE * seconds) / 60)) });
}
