/**
 * `soundtrack`: the episode's sound, mixed from the scenes' dialogue and the
 * music while the cuts encode (nothing in it waits for a picture): each
 * dialogue padded to its cut's length (plan/timing.ts, the rule the cut itself
 * follows), the music fitted to the episode and ducked under the dialogue,
 * loudness set by one gain from the blocks measured where the dialogue and
 * the fitted music were made. Also where each cut starts, for `final`.
 * One per episode (`episode/<ep>/soundtrack` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import { fitMusic, joinProfiles, loudnessFromJson, mediaSeconds, mixSoundtrack } from "../../media/index.js";
import { CUT_TAIL, cutSeconds, placeCuts } from "../plan/timing.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { MUSIC_OUTPUT } from "../steps/music.js";

/** The soundtrack step's outputs: the sound, and each cut's length and start as it placed them (CutLengths JSON). */
export const SOUNDTRACK_OUTPUT = { audio: "audio", lengths: "lengths" } as const;

export function soundtrackStep(ep: EpisodeView): StepSpec {
  const dialogues = ep.scenes.map((s) => ep.ids.dialogue(s.id));
  const music = ep.musicStep;
  return {
    id: ep.ids.soundtrack(),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "soundtrack",
    version: 1,
    // What the cuts' lengths follow from besides the dialogue: each scene's nominal seconds, the fps, the tail.
    params: { loudness: -16, fps: ep.format.fps, tail: CUT_TAIL, seconds: ep.scenes.map((s) => s.seconds) },
    inputs: [...dialogues, music],
    files: [],
    // Audio only, one thread: in the ffmpeg pool it would hold a slot a cut's x264 pass keeps busy
    // (the cuts are what the build waits for), so it runs beside them.
    pool: "local",
    async run(ctx) {
      const fps = ep.format.fps;
      const scenes = await Promise.all(
        dialogues.map(async (id, i) => {
          const file = ctx.inputs[id]!["audio"]!.path;
          const spoken = media(await mediaSeconds(file, ctx.signal));
          const profile = loudnessFromJson(await readFile(ctx.inputs[id]!["loudness"]!.path, "utf8"));
          if (!profile) throw new Error(`${id}: its loudness record is unreadable`);
          return { dialogue: file, seconds: cutSeconds(ep.scenes[i]!.seconds, spoken, fps), profile };
        }),
      );
      const placement = placeCuts(scenes.map((s) => s.seconds));
      const seconds = placement.seconds;
      const fitted = join(ctx.tmpDir, "music.wav");
      const musicLoudness = media(await fitMusic(ctx.inputs[music]![MUSIC_OUTPUT]!.path, seconds, fitted, { signal: ctx.signal }));
      const measured = { dialogue: joinProfiles(scenes), music: joinProfiles([{ profile: musicLoudness, seconds }]) };
      const out = join(ctx.tmpDir, "soundtrack.m4a");
      media(await mixSoundtrack({ scenes, music: fitted, loudness: -16, measured }, out, mediaRun(ctx)));
      await ctx.output(SOUNDTRACK_OUTPUT.audio, { file: out });
      await ctx.output(SOUNDTRACK_OUTPUT.lengths, { bytes: JSON.stringify(placement) });
    },
  };
}
