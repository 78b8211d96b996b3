/**
 * One timeline model of a built episode, which every export writer (MLT,
 * OTIO, FCPXML, EDL, stems) reads, so they cannot disagree with each other.
 * Every time is a whole number of frames at the format's fps (a rational
 * time `frames/fps`): the cuts are whole frames by the cut length rule, so the
 * picture track adds up to the MP4 exactly. Audio is placed to the frame too
 * (an editor snaps to frames; a line's clip starts on the frame at or before
 * its first sample and ends on the one at or after its last, so nothing
 * spoken is trimmed; the gaps between lines are silence).
 *
 * A scene's shots are clips of its cut (the shots joined as the build joined
 * them), each carrying its scene, shot and take; transitions between scenes
 * and between shots are cross-fades laid out as editors do (see Transition).
 */

/** A file the export directory holds, and where its bytes come from. */
export interface ExportMedia {
  /** Export-relative path, '/'-separated (what the timelines reference). */
  readonly name: string;
  /** A cache object to link or copy... */
  readonly object?: string;
  /** ...or the music fitted to the episode's length from this object (what the soundtrack mixed). */
  readonly fitted?: { readonly music: string; readonly seconds: number };
}

export interface VideoClip {
  readonly name: string;
  /** The scene's id; a card's clip: `card/<kind>`. */
  readonly scene: string;
  /** A title, hook or end card's clip (issue 32): its kind. */
  readonly card?: "title" | "hook" | "end";
  /** The shot's id; today a scene is one shot, named for its scene. */
  readonly shot: string;
  /** The chosen take of the scene's clip (1 when never retaken). */
  readonly take: number;
  readonly media: string;
  /** Frames of the media file. */
  readonly available: number;
  readonly sourceIn: number;
  readonly duration: number;
  /** Where the clip starts on the timeline. */
  readonly recordIn: number;
}

export interface AudioClip {
  readonly name: string;
  readonly media: string;
  readonly available: number;
  readonly sourceIn: number;
  readonly duration: number;
  readonly recordIn: number;
}

export interface GainKey {
  readonly frame: number;
  readonly db: number;
}

export interface AudioTrack {
  readonly name: string;
  readonly kind: "dialogue" | "music";
  /** Cast id of a dialogue track's speaker (`~narrator` for the narrator). */
  readonly speaker?: string;
  readonly clips: readonly AudioClip[];
  /** The track's gain over time, timeline frames (music: its level, ducked under dialogue). */
  readonly gain?: readonly GainKey[];
}

/**
 * A cross-fade between the picture clips `from` and `from + 1`, as editors
 * lay one out (OTIO's in_offset/out_offset): the clips butt at their cut,
 * the transition runs `inOffset` frames before it and `outOffset` after, the
 * outgoing clip playing on past its out point into its media (its handle),
 * the incoming one starting that much before its in point. dramake's
 * xfade of two cuts overlapping by d frames is exactly that with
 * inOffset + outOffset = d.
 */
export interface Transition {
  readonly from: number;
  readonly inOffset: number;
  readonly outOffset: number;
  /** What every editor has: a dissolve (the project's wipes and dips are exported as one; `effect` names them). */
  readonly kind: "dissolve";
  /** The project's transition (`dissolve`, `fade-black`, `wipe-left`…), for a reader who wants the original. */
  readonly effect?: string;
}

export interface SubtitleCue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export interface Timeline {
  readonly name: string;
  /** The file stem of this episode's timelines (the MP4's own name). */
  readonly stem: string;
  readonly fps: number;
  readonly width: number;
  readonly height: number;
  /** The whole timeline, frames: the MP4's length. */
  readonly frames: number;
  readonly video: readonly VideoClip[];
  readonly transitions: readonly Transition[];
  readonly audio: readonly AudioTrack[];
  readonly cues: readonly SubtitleCue[];
  /** The episode's subtitles as SRT (export-relative), beside the timelines. */
  readonly srt: string;
  readonly media: readonly ExportMedia[];
}

/** Music under no dialogue, relative (final-mix.ts's musicGain default 0.35), in dB. */
export const MUSIC_LEVEL_DB = Math.round(20 * Math.log10(0.35) * 100) / 100;
/** About how far the soundtrack's sidechain compressor pulls the music down while anyone speaks (final-mix.ts). */
export const DUCK_DB = -12;
/** The compressor's attack and release, seconds (final-mix.ts). */
const DUCK_ATTACK = 0.02;
const DUCK_RELEASE = 0.45;

/**
 * The music's gain as keyframes: its level, pulled down by DUCK_DB over each
 * stretch of speech (merged when the release would not finish before the
 * next line), as the soundtrack's compressor does it. An approximation an
 * editor can adjust; the stems carry the ducking as mixed.
 */
export function duckingKeys(speech: readonly { start: number; end: number }[], fps: number, frames: number): GainKey[] {
  const attack = Math.max(1, Math.round(DUCK_ATTACK * fps));
  const release = Math.max(1, Math.round(DUCK_RELEASE * fps));
  const spans: { start: number; end: number }[] = [];
  for (const s of [...speech].sort((a, b) => a.start - b.start)) {
    const last = spans.at(-1);
    if (last && s.start <= last.end + release + attack) last.end = Math.max(last.end, s.end);
    else spans.push({ ...s });
  }
  const keys: GainKey[] = [{ frame: 0, db: MUSIC_LEVEL_DB }];
  const low = Math.round((MUSIC_LEVEL_DB + DUCK_DB) * 100) / 100;
  for (const s of spans) {
    const down = Math.max(0, s.start - attack);
    if (down > keys.at(-1)!.frame) keys.push({ frame: down, db: MUSIC_LEVEL_DB });
    keys.push({ frame: Math.max(s.start, keys.at(-1)!.frame), db: low });
    keys.push({ frame: s.end, db: low });
    if (s.end + release <= frames) keys.push({ frame: s.end + release, db: MUSIC_LEVEL_DB });
  }
  if (keys.at(-1)!.frame < frames) keys.push({ frame: frames, db: keys.at(-1)!.db });
  // One key per frame: a later key at the same frame wins.
  return keys.filter((k, i) => keys[i + 1]?.frame !== k.frame);
}

/** Problems with a timeline's arithmetic (writers trust it, tests check it): empty when it adds up. */
export function timelineProblems(t: Timeline): string[] {
  const problems: string[] = [];
  let at = 0;
  for (const c of t.video) {
    if (c.recordIn !== at) problems.push(`${c.name} starts at frame ${c.recordIn}, not ${at}`);
    if (c.sourceIn + c.duration > c.available) problems.push(`${c.name} runs past its media`);
    at = c.recordIn + c.duration;
  }
  if (at !== t.frames) problems.push(`the picture track is ${at} frames, the timeline ${t.frames}`);
  for (const tr of t.transitions) {
    const a = t.video[tr.from];
    const b = t.video[tr.from + 1];
    if (!a || !b) {
      problems.push(`a transition after clip ${tr.from + 1} has no clip on both sides`);
      continue;
    }
    if (tr.inOffset < 0 || tr.outOffset < 0 || tr.inOffset + tr.outOffset < 1) problems.push(`the transition ${a.name} -> ${b.name} is ${tr.inOffset}+${tr.outOffset} frames`);
    if (a.sourceIn + a.duration + tr.outOffset > a.available) problems.push(`${a.name} has no ${tr.outOffset}-frame handle after its out point for the transition into ${b.name}`);
    if (b.sourceIn - tr.inOffset < 0) problems.push(`${b.name} has no ${tr.inOffset}-frame handle before its in point for the transition from ${a.name}`);
    const before = t.transitions.find((x) => x.from === tr.from - 1);
    if (tr.inOffset + (before?.outOffset ?? 0) > a.duration) problems.push(`${a.name} is shorter than the transitions on its two sides`);
  }
  for (const track of t.audio) {
    let end = 0;
    for (const c of track.clips) {
      if (c.recordIn < end) problems.push(`${track.name}: ${c.name} overlaps the clip before it`);
      end = c.recordIn + c.duration;
    }
    if (end > t.frames) problems.push(`${track.name} runs past the timeline`);
  }
  return problems;
}
