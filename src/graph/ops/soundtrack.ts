/**
 * The `soundtrack` op: the episode's sound, mixed from the scenes' dialogue
 * and the music while the cuts encode (nothing in it waits for a picture):
 * each dialogue padded to its cut's length (plan/timing.ts, the rule the cut
 * itself follows, computed from the params' nominal seconds and fps and the
 * dialogue it is given), the music fitted to the episode and ducked under the
 * dialogue, loudness set by one gain from the blocks measured where the
 * dialogue and the fitted music were made. Also where each cut starts, for
 * `final`. One per episode (`episode/<ep>/soundtrack` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { fitMusic, joinProfiles, loudnessFromJson, mediaSeconds, mixSoundtrack } from "../../media/index.js";
import { CUT_TAIL, cutSeconds, placeCuts, placeScenes } from "../plan/timing.js";
import type { Transition } from "../../project/schema.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { MUSIC_OUTPUT } from "./music.js";
import { DIALOGUE_OUTPUT, inputTimings } from "./dialogue.js";

/** The soundtrack step's outputs: the sound, and each cut's length and start as it placed them (CutLengths JSON). */
export const SOUNDTRACK_OUTPUT = { audio: "audio", lengths: "lengths" } as const;

/**
 * Hashed: what the cuts' lengths follow from besides the dialogue (each scene's nominal seconds,
 * the fps, the tail), the loudness, and the scenes' dialogue steps in episode order with the
 * music step. The order is the key's: its inputs are a set, so two scenes of the same length
 * swapped would otherwise restore the old mix.
 */
export interface SoundtrackParams {
  readonly loudness: number;
  readonly fps: number;
  readonly tail: number;
  readonly seconds: readonly number[];
  readonly dialogues: readonly string[];
  readonly music: string;
  /** The transition into each scene (issue 27); absent when every scene is joined by a cut (keys as before). */
  readonly transitions?: readonly Transition[];
}

/** `nominal`: each scene's cut's length before dialogue holds it (a format-1 scene's `seconds`, a multi-shot scene's shots joined). */
export function soundtrackStep(ep: EpisodeView, nominal: readonly number[] = ep.scenes.map((s) => s.seconds)): StepSpec {
  // The first scene has nothing to come from.
  const transitions = ep.scenes.map((s, i): Transition => (i === 0 ? "cut" : (s.transition ?? "cut")));
  const params: SoundtrackParams = {
    loudness: -16,
    fps: ep.format.fps,
    tail: CUT_TAIL,
    seconds: [...nominal],
    dialogues: ep.scenes.map((s) => ep.ids.dialogue(s.id)),
    music: ep.musicStep,
    ...(transitions.some((t) => t !== "cut") ? { transitions } : {}),
  };
  return {
    id: ep.ids.soundtrack(),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "soundtrack",
    // 2: the scenes' order joins the key (params.dialogues): a swap of two same-length scenes was served stale.
    version: 2,
    params: { ...params },
    inputs: [...params.dialogues, params.music],
    files: [],
    // Audio only, one thread: in the ffmpeg pool it would hold a slot a cut's x264 pass keeps busy
    // (the cuts are what the build waits for), so it runs beside them.
    pool: "local",
  };
}

export const soundtrackOp: Op = {
  name: "soundtrack",
  async run(params, io) {
    const p = params as unknown as SoundtrackParams;
    const scenes = await Promise.all(
      p.dialogues.map(async (id, i) => {
        const file = io.inputs[id]![DIALOGUE_OUTPUT.audio]!.path;
        const spoken = media(await mediaSeconds(file, io.signal));
        const profile = loudnessFromJson(await readFile(io.inputs[id]![DIALOGUE_OUTPUT.loudness]!.path, "utf8"));
        if (!profile) throw new Error(`${id}: its loudness record is unreadable`);
        const speech = p.transitions ? (await inputTimings(io, id)).map((t) => ({ start: t.start, end: t.end })) : [];
        return { dialogue: file, seconds: cutSeconds(p.seconds[i]!, spoken, p.fps), profile, speech };
      }),
    );
    const placement = p.transitions ? placeScenes(scenes, p.transitions, p.fps) : placeCuts(scenes.map((s) => s.seconds));
    const seconds = placement.seconds;
    // Each dialogue is heard from its cut's start until the next cut's: an overlap only covers a cut's quiet tail.
    const heard = p.transitions
      ? scenes.map((s, i) => ({ ...s, seconds: i + 1 < scenes.length ? placement.offsets[i + 1]! - placement.offsets[i]! : seconds - placement.offsets[i]! }))
      : scenes;
    const fitted = join(io.tmpDir, "music.wav");
    const musicLoudness = media(await fitMusic(io.inputs[p.music]![MUSIC_OUTPUT]!.path, seconds, fitted, { signal: io.signal }));
    const measured = { dialogue: joinProfiles(heard), music: joinProfiles([{ profile: musicLoudness, seconds }]) };
    const out = join(io.tmpDir, "soundtrack.m4a");
    media(await mixSoundtrack({ scenes: heard.map(({ dialogue, seconds }) => ({ dialogue, seconds })), music: fitted, loudness: p.loudness, measured }, out, mediaRun(io)));
    await io.output(SOUNDTRACK_OUTPUT.audio, { file: out });
    await io.output(SOUNDTRACK_OUTPUT.lengths, { bytes: JSON.stringify(placement) });
  },
};
