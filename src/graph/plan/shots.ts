/**
 * Scene -> shots (issue 27). Pure: no I/O, no provider code; the caller
 * passes the video model's allowed clip lengths (from the capability table or
 * the provider's `capabilities:`), or undefined when nobody knows them.
 *
 * A shot's clip length comes from the project file alone: its `seconds`, else
 * its lines' estimated speaking time (media/speaking-time.ts, the same
 * estimate offline voices use), snapped UP to a length the model allows.
 * Never from generated audio, so a line edit re-buys a clip only when its
 * estimate crosses an allowed length.
 *
 * The rules, in order (the README has them too):
 *
 * 1. Written shots (`shots:`): one shot each, as written. Length: `seconds`,
 *    else the estimate of its lines, else DEFAULT_SHOT_SECONDS; snapped up.
 *    A length past the model's longest clip is a problem (data, for the
 *    caller to point at the shot), and the shot is planned at the longest.
 * 2. Unknown model (no lengths): a scene without shots is one shot with the
 *    format-1 ids and keys, at the scene's `seconds`, as before shots, with a
 *    notice for `plan`.
 * 3. A scene without shots whose length fits one clip is one shot with the
 *    format-1 ids and keys (`formatOne`), at the scene's `seconds` as today:
 *    no lockfile churn, no paid step rerun after upgrading. Its length is
 *    the larger of `seconds` and its lines' estimate; it fits when that is at
 *    most the model's longest clip.
 * 4. Otherwise it is split:
 *    a. an opening shot (wide, the scene's cast, its `action`) when the scene
 *       has an action, OPENING_SECONDS snapped up;
 *    b. one shot per speaker turn (consecutive lines of one speaker), a
 *       close-up on the speaker, its estimate snapped up. Turns are never
 *       merged: a shot's length then depends on its own lines only;
 *    c. a turn longer than the longest clip L is cut into k = ceil(E / L)
 *       shots: k - 1 of length L, the last its remainder snapped up; each
 *       line goes to the shot it starts in (its voice may run on over the
 *       next shot: dialogue is laid over the scene's joined picture);
 *    d. a scene without written lines (a beat) is cut by rule c from its
 *       `seconds`, the first shot wide with the action, the rest medium.
 *    Shots are named by position (1, 2, 3...) and joined with cuts. A split
 *    scene lasts as long as its shots; `dramake shots` writes them into the
 *    file for the director to change.
 *
 * Estimate of a run of lines: the dialogue's lead-in gap, each line's spoken
 * seconds, a gap between lines (the same layout the dialogue mix uses; the
 * gap is the caller's, from the timing module).
 */
import { spokenSeconds } from "../../media/speaking-time.js";
import type { ResolvedScene, ResolvedShot } from "../../project/project.js";
import type { Line, ShotSize, Transition } from "../../project/schema.js";

/** The allowed clip lengths of a video model, seconds (any order). */
export interface ClipLengths {
  readonly seconds: readonly number[];
}

export interface ShotPlanOptions {
  /** The model's allowed lengths; undefined: unknown model (rule 2). */
  readonly lengths: ClipLengths | undefined;
  /** Silence before the first line and between lines, seconds (the dialogue mix's gap). */
  readonly gap: number;
  /** Cut a scene without shots by rule 4 even when it fits one clip (`dramake shots` writing a shot list). */
  readonly always?: boolean;
}

export interface PlannedShot {
  /** Step ids end `shot/<id>/...`; unused for a format-1 scene. */
  readonly id: string;
  /** 1-based position in the scene. */
  readonly index: number;
  readonly size: ShotSize;
  readonly camera: string;
  readonly on: readonly string[];
  readonly action: string;
  readonly lines: readonly Line[];
  /** Index in the scene's lines of this shot's first line. */
  readonly firstLine: number;
  /**
   * The clip length to ask for: an allowed length (an unknown model: whole
   * seconds). A format-1 scene's one shot keeps the scene's `seconds` as
   * written, as its clip step always had (the provider maps it, as before).
   */
  readonly seconds: number;
  /** The length the file asks for before snapping: written seconds, the lines' estimate, or this part of a long turn's. */
  readonly estimate: number;
  /** Into this shot (cut for the first shot of a scene: the scene's own transition is the scene's). */
  readonly transition: Transition;
  readonly start?: "previous";
  readonly take?: Readonly<Record<string, number>>;
}

export type ShotPlanSource = "written" | "whole" | "split";

export interface ShotProblem {
  readonly kind: "too-long";
  readonly shot: string;
  /** What the shot asks for, seconds. */
  readonly seconds: number;
  /** The model's longest clip. */
  readonly longest: number;
}

export interface ScenePlan {
  /** written: from `shots:`; whole: one shot (rules 2, 3); split: by rule 4. */
  readonly source: ShotPlanSource;
  /** True: one shot that keeps the format-1 step ids and keys (scene/<id>/keyframe, clip, cut). */
  readonly formatOne: boolean;
  readonly shots: readonly PlannedShot[];
  /** The scene's planned length: its shots' seconds added (before transitions overlap them). */
  readonly seconds: number;
  /** For `plan`: why a long scene was not split (unknown model). */
  readonly notice?: string;
  readonly problems: readonly ShotProblem[];
}

/** Seconds of an opening shot for the scene's action (rule 4a), before snapping. */
export const OPENING_SECONDS = 2;
/** A written shot with neither seconds nor lines (rule 1), before snapping. */
export const DEFAULT_SHOT_SECONDS = 3;

/** Allowed lengths, sorted, positive, without duplicates; undefined when none is usable. */
function allowed(lengths: ClipLengths | undefined): readonly number[] | undefined {
  if (!lengths) return undefined;
  const list = [...new Set(lengths.seconds.filter((s) => Number.isFinite(s) && s > 0))].sort((a, b) => a - b);
  return list.length ? list : undefined;
}

/** The smallest allowed length >= `seconds` (undefined past the longest); unknown model: whole seconds, at least 1. */
export function snapUp(seconds: number, lengths: readonly number[] | undefined): number | undefined {
  if (!lengths) return Math.max(1, Math.ceil(seconds - 1e-9));
  return lengths.find((s) => s >= seconds - 1e-9);
}

/** How long a run of lines takes as the dialogue mix lays it out: a lead-in gap, the lines, a gap between each. */
export function linesSeconds(lines: readonly Line[], gap: number): number {
  if (!lines.length) return 0;
  return gap + lines.reduce((n, l) => n + spokenSeconds(l.text), 0) + gap * (lines.length - 1);
}

/** Consecutive lines of one speaker, with the index of the first. */
function turns(lines: readonly Line[]): { speaker: string; lines: Line[]; first: number }[] {
  const out: { speaker: string; lines: Line[]; first: number }[] = [];
  lines.forEach((line, i) => {
    const last = out.at(-1);
    if (last && last.speaker === line.speaker) last.lines.push(line);
    else out.push({ speaker: line.speaker, lines: [line], first: i });
  });
  return out;
}

/**
 * Rule 4c: `seconds` cut into the fewest clips, all the longest length but
 * the last, which is its remainder snapped up. Each part with its unsnapped length.
 */
export function cutToLengths(seconds: number, lengths: readonly number[]): { seconds: number; estimate: number }[] {
  const longest = lengths.at(-1)!;
  const k = Math.max(1, Math.ceil(seconds / longest - 1e-9));
  const rest = seconds - (k - 1) * longest;
  return [...Array.from({ length: k - 1 }, () => ({ seconds: longest, estimate: longest })), { seconds: snapUp(rest, lengths)!, estimate: rest }];
}

function writtenShot(shot: ResolvedShot, first: boolean, lengths: readonly number[] | undefined, gap: number, problems: ShotProblem[]): PlannedShot {
  const estimate = shot.seconds ?? (shot.lines.length ? linesSeconds(shot.lines, gap) : DEFAULT_SHOT_SECONDS);
  const longest = lengths?.at(-1);
  let seconds = snapUp(estimate, lengths);
  if (seconds === undefined) {
    problems.push({ kind: "too-long", shot: shot.id, seconds: Math.round(estimate * 10) / 10, longest: longest! });
    seconds = longest!;
  }
  return {
    id: shot.id,
    index: shot.index,
    size: shot.size,
    camera: shot.camera,
    on: shot.on,
    action: shot.action,
    lines: shot.lines,
    firstLine: shot.firstLine,
    seconds,
    estimate,
    transition: first ? "cut" : shot.transition,
    ...(shot.start ? { start: shot.start } : {}),
    ...(shot.take ? { take: shot.take } : {}),
  };
}

/** The shots of one scene (see the rules above). */
export function planShots(scene: ResolvedScene, options: ShotPlanOptions): ScenePlan {
  const lengths = allowed(options.lengths);
  const problems: ShotProblem[] = [];
  if (scene.shots) {
    const shots = scene.shots.map((s, i) => writtenShot(s, i === 0, lengths, options.gap, problems));
    return { source: "written", formatOne: false, shots, seconds: sum(shots.map((s) => s.seconds)), problems };
  }
  const lines = scene.lines ?? [];
  const spoken = linesSeconds(lines, options.gap);
  const needed = Math.max(scene.seconds, spoken);
  const whole = (notice?: string): ScenePlan => ({
    source: "whole",
    formatOne: true,
    shots: [
      {
        id: "1",
        index: 1,
        size: "medium",
        camera: scene.camera,
        on: scene.cast,
        action: scene.action,
        lines,
        firstLine: 0,
        seconds: scene.seconds,
        estimate: needed,
        transition: "cut",
      },
    ],
    seconds: needed,
    ...(notice ? { notice } : {}),
    problems,
  });
  if (!lengths && !options.always) return whole(`scene ${scene.id}: the video model's clip lengths are unknown, so the scene is one clip; declare capabilities: { <model>: { seconds: [...] } } under the provider to cut long scenes into shots`);
  if (lengths && needed <= lengths.at(-1)! + 1e-9 && !options.always) return whole();
  // Unknown lengths (only with `always`): a piece is never cut, its length whole seconds.
  const cut = (seconds: number) => (lengths ? cutToLengths(seconds, lengths) : [{ seconds: snapUp(seconds, undefined)!, estimate: seconds }]);

  const shots: Omit<PlannedShot, "id" | "index">[] = [];
  const base = { camera: scene.camera, transition: "cut" as const };
  if (!lines.length) {
    cut(scene.seconds).forEach(({ seconds, estimate }, i) =>
      shots.push({ ...base, size: i === 0 ? "wide" : "medium", on: scene.cast, action: i === 0 ? scene.action : "", lines: [], firstLine: 0, seconds, estimate }),
    );
  } else {
    if (scene.action.trim()) {
      shots.push({ ...base, size: "wide", on: scene.cast, action: scene.action, lines: [], firstLine: 0, seconds: snapUp(OPENING_SECONDS, lengths)!, estimate: OPENING_SECONDS });
    }
    for (const turn of turns(lines)) {
      const estimate = linesSeconds(turn.lines, options.gap);
      const parts = cut(estimate);
      // Each line goes to the part it starts in.
      const starts: number[] = [];
      let t = options.gap;
      for (const line of turn.lines) {
        starts.push(t);
        t += spokenSeconds(line.text) + options.gap;
      }
      let from = 0;
      let at = 0;
      parts.forEach(({ seconds, estimate: part }, k) => {
        const end = at + seconds;
        const last = k === parts.length - 1;
        let to = from;
        while (to < turn.lines.length && (last || starts[to]! < end - 1e-9)) to++;
        shots.push({
          ...base,
          size: k === 0 ? "close-up" : "medium",
          on: [turn.speaker],
          action: "",
          lines: turn.lines.slice(from, to),
          firstLine: turn.first + from,
          seconds,
          estimate: part,
        });
        from = to;
        at = end;
      });
    }
  }
  const planned = shots.map((s, i): PlannedShot => ({ id: String(i + 1), index: i + 1, ...s }));
  return { source: "split", formatOne: false, shots: planned, seconds: sum(planned.map((s) => s.seconds)), problems };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
