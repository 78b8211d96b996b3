/**
 * The one timing rule of an episode (issue 26, DESIGN §6 graph/plan): how long
 * each cut is and where it starts. The cut (media/cut.ts renders it, so the
 * rule's arithmetic lives there: media may not import graph), the soundtrack
 * (pads each dialogue to its cut) and later the editor export all read it
 * from here, so a cut and the sound under it never disagree. Pure, no I/O.
 */
import { CUT_TAIL, cutLength, type CutLengths } from "../../media/index.js";
import { joinTiming, type JoinTiming } from "../../media/transition.js";
import type { Transition } from "../../project/schema.js";

export { CUT_TAIL, cutLength };

/** A cut's length in seconds: its scene's nominal seconds, or its spoken dialogue plus the tail when longer, in whole frames. */
export function cutSeconds(sceneSeconds: number, spokenSeconds: number | undefined, fps: number): number {
  return cutLength(sceneSeconds, spokenSeconds, fps).seconds;
}

/** Cuts laid end to end: each one's length, where it starts, and the episode's length. */
export function placeCuts(durations: readonly number[]): CutLengths {
  const offsets: number[] = [];
  let at = 0;
  for (const d of durations) {
    offsets.push(at);
    at += d;
  }
  return { durations: [...durations], offsets, seconds: at };
}

/**
 * A multi-shot scene's shots joined (issue 27): where each starts, the
 * transition overlaps, and the joined length (the nominal length its cut's
 * length rule starts from). Shots carry no sound of their own (the scene's
 * dialogue runs across them), so no speech limits an overlap here.
 */
export function shotsTiming(shots: readonly { readonly seconds: number; readonly transition: Transition }[], fps: number): JoinTiming {
  return joinTiming(
    shots.map((s) => ({ seconds: s.seconds })),
    shots.map((s) => ({ transition: s.transition })),
    fps,
  );
}

/** Where the scenes' cuts start when transitions join them: CutLengths, plus each overlap and the transition done. */
export interface ScenePlacement extends CutLengths {
  /** The transition into each cut as done, seconds (0: a cut; the first's always 0). */
  readonly overlaps: readonly number[];
  readonly transitions: readonly Transition[];
}

/**
 * Cuts joined with the transitions into each (issue 27): an overlap never
 * covers a scene's speech (`speech`: each cut's spoken spans, seconds into
 * it), never more than half a cut, whole frames (media/transition.ts
 * joinTiming). The soundtrack places each dialogue at its cut's offset and
 * the final draws the overlaps from this one answer.
 */
export function placeScenes(
  cuts: readonly { readonly seconds: number; readonly speech?: readonly { readonly start: number; readonly end: number }[] }[],
  transitions: readonly Transition[],
  fps: number,
): ScenePlacement {
  const t = joinTiming(cuts, transitions.map((transition) => ({ transition })), fps);
  return { durations: cuts.map((c) => c.seconds), offsets: t.offsets, seconds: t.seconds, overlaps: t.overlaps, transitions: t.transitions };
}

/**
 * A multi-shot scene's lines on its shots (issue 27): the earliest each line
 * may start, seconds into the scene's cut. A line waits for its shot, and for
 * the transition into that shot to be done, so the speaker is on screen when
 * the line begins (the dialogue step adds its lead-in gap). The shots'
 * `lines` are the scene's lines in order, as plan/shots.ts deals them out.
 */
export function lineFloors(shots: readonly { readonly seconds: number; readonly transition: Transition; readonly lines: readonly unknown[] }[], fps: number): number[] {
  const t = shotsTiming(shots, fps);
  return shots.flatMap((s, i) => s.lines.map(() => t.offsets[i]! + t.overlaps[i]!));
}

/**
 * Lines laid one after another (any unit: the dialogue step passes samples,
 * so its arithmetic is exact): each starts `gap` after the previous line's
 * end and `gap` after its floor, whichever is later; the first `gap` in at
 * the least. Never two lines at once: a line longer than its shot runs on
 * over the next shot and pushes the next line, it is never cut. Without
 * floors (all 0) this is the format-1 layout: lead-in gap, then gap between.
 */
export function placeLines(lengths: readonly number[], floors: readonly number[], gap: number): { start: number; end: number }[] {
  let end = 0;
  return lengths.map((length, i) => {
    const start = Math.max(end, floors[i] ?? 0) + gap;
    end = start + length;
    return { start, end };
  });
}
