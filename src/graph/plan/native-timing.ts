/**
 * When each line of a native-dialogue shot is heard (issue 29): the script's
 * lines aligned to what the video model said (align.ts), as the line timings
 * the subtitles and the lip-sync rules read (the same shape a TTS dialogue
 * has), plus the lines it said otherwise, for the warning and the storyboard.
 * Without a transcript (use.transcribe offline) every line is "unheard" and
 * the shot's sound is shared among them by their words: timed, never warned.
 * Pure: no I/O.
 */
import type { LineTiming } from "../../media/index.js";
import { alignLines, type ScriptLine, type SpokenWord } from "./align.js";

export interface SaidOtherwise {
  readonly index: number;
  /** What was heard for the line ("" when nothing). */
  readonly said: string;
}

export interface NativeTiming {
  readonly timings: LineTiming[];
  /** Lines said otherwise than written; empty without a transcript (nothing to compare). */
  readonly differing: SaidOtherwise[];
}

/** `seconds`: the length of the shot's sound; every timing lies inside 0..seconds. */
export function nativeTimings(lines: readonly ScriptLine[], words: readonly SpokenWord[] | undefined, seconds: number): NativeTiming {
  const aligned = alignLines(lines, words ?? [], seconds);
  return {
    timings: aligned.lines.map((l) => ({ index: l.index, start: l.start, end: l.end })),
    differing: words === undefined ? [] : aligned.differing.map((l) => ({ index: l.index, said: l.said })),
  };
}
