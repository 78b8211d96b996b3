/**
 * The `subtitles` op, `scene/<id>/subtitles`: ASS (burned into the cut) and
 * SRT (joined into the episode's .srt) from the lines and the dialogue's timings.
 */
import type { Json, StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import type { ResolvedScene } from "../../project/project.js";
import { writeSubtitles, type SubtitleLine } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { inputTimings } from "./dialogue.js";
import { inputLines } from "./lines.js";
import { subtitleSettings, type SubtitleSettings } from "../finishing.js";

const displayName = (ep: EpisodeView, castId: string) => ep.cast[castId]?.name ?? castId;

/** The subtitles step's outputs: `fast` lists the lines read faster than `cps` allows (JSON `[{ index, pace }]`). */
export const SUBTITLES_OUTPUT = { ass: "ass", srt: "srt", fast: "fast" } as const;

/** Hashed: everything the captions show besides the timings and generated lines (inputs). */
export interface SubtitlesParams {
  readonly language: string;
  readonly size: { readonly width: number; readonly height: number };
  /** Written lines (or a narration's beat); null when they are generated (an input). */
  readonly lines: readonly SubtitleLine[] | null;
  /** For generated lines: the name shown for each speaker id. */
  readonly names: Readonly<Record<string, string>> | null;
  /** `subtitles:` (reading speed, position, safe area, style, speaker labels): the same cues for the SRT and the ASS. */
  readonly settings: SubtitleSettings;
}

/** Not hashed: which inputs are the dialogue and the generated lines (their ids and outputs are in the key). */
export interface SubtitlesArgs {
  readonly dialogue: string;
  readonly lines?: string;
}

/** `linesFrom`: for a scene without written lines, the step whose lines are spoken (drafts, or their polish). */
/** A narrated scene's caption is its beat, shown without a speaker's name: it is nobody's line. */
export function subtitlesStep(ep: EpisodeView, scene: ResolvedScene, linesFrom: string = ep.ids.lines(scene.id), narration?: string): StepSpec {
  const dialogue = ep.ids.dialogue(scene.id);
  const written: SubtitleLine[] | undefined = narration !== undefined ? [{ speaker: "", text: narration }] : scene.lines?.map((l) => ({ speaker: displayName(ep, l.speaker), text: l.text }));
  const params: SubtitlesParams = {
    language: ep.language,
    size: { width: ep.format.width, height: ep.format.height },
    // Written lines are parameters; generated ones arrive as an input, with the names to show.
    lines: written ?? null,
    names: written ? null : Object.fromEntries(scene.cast.map((id) => [id, displayName(ep, id)])),
    settings: subtitleSettings(ep.finishing),
  };
  const args: SubtitlesArgs = written ? { dialogue } : { dialogue, lines: linesFrom };
  return {
    id: ep.ids.subtitles(scene.id),
    kind: "local",
    op: "subtitles",
    // 2: cues split by reading speed (never losing a character), placed in the safe area, styled (issue 32).
    version: 2,
    params: asJson(params),
    args: { ...args },
    inputs: written ? [dialogue] : [dialogue, linesFrom],
    files: [],
    pool: "local",
  };
}

export const subtitlesOp: Op = {
  name: "subtitles",
  async run(params: Json, io, args) {
    const p = params as unknown as SubtitlesParams;
    const a = args as unknown as SubtitlesArgs;
    // A speaker the names leave out shows as its id, as the builder's displayName does for an unknown cast id.
    const lines = p.lines ?? (await inputLines(io, a.lines!)).map((l) => ({ speaker: p.names?.[l.speaker] ?? l.speaker, text: l.text }));
    const s = p.settings;
    const subs = writeSubtitles(lines, await inputTimings(io, a.dialogue), {
      language: p.language,
      size: p.size,
      reading: s.reading,
      position: s.position,
      safeArea: s.safeArea,
      style: s.style,
      speakerLabels: s.speakerLabels,
    });
    await io.output(SUBTITLES_OUTPUT.ass, { bytes: subs.ass });
    await io.output(SUBTITLES_OUTPUT.srt, { bytes: subs.srt });
    // Not an error: a line may be spoken faster than it can be read; the build says where it is written.
    await io.output(SUBTITLES_OUTPUT.fast, { bytes: JSON.stringify(subs.fast.map((f) => ({ index: f.index, pace: Math.round(f.pace * 100) / 100 }))) });
  },
};
