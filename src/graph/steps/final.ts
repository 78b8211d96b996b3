/**
 * `final`: the cuts joined in order by stream copy, the music fitted to the
 * episode and ducked under the dialogue, loudness normalized by a gain from
 * the cuts' and the music's measured loudness (one audio pass); plus the
 * episode's .srt with each scene's cues shifted by where the scene starts.
 * One per episode (`episode/<ep>/final` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import { concatCuts, concatSrt, cutLengths, finalMix, fitMusic, joinProfiles, loudnessFromJson, type LoudnessProfile } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { MUSIC_OUTPUT } from "./music.js";

export function finalStep(ep: EpisodeView): StepSpec {
  const cuts = ep.scenes.map((s) => ep.ids.cut(s.id));
  const subtitles = ep.scenes.map((s) => ep.ids.subtitles(s.id));
  const music = ep.musicStep;
  return {
    id: ep.ids.final(),
    kind: "ffmpeg",
    version: 2,
    params: { loudness: -16 },
    inputs: [...cuts, ...subtitles, music],
    files: [],
    pool: "ffmpeg",
    materialize: { video: ep.output.video, srt: ep.output.srt },
    async run(ctx) {
      const run = mediaRun(ctx);
      const cutFiles = cuts.map((id) => ctx.inputs[id]!["video"]!.path);
      const joined = join(ctx.tmpDir, "joined.mp4");
      const lengths = media(await cutLengths(cutFiles, ctx.signal));
      const { offsets, seconds } = lengths;
      const parts = await Promise.all(
        subtitles.map(async (id, i) => ({ srt: await readFile(ctx.inputs[id]!["srt"]!.path, "utf8"), offset: offsets[i]! })),
      );
      const fitted = join(ctx.tmpDir, "music.wav");
      // The join and the music's fitting are independent: side by side, on the build's last stretch.
      const [joining, fitting] = await Promise.all([
        concatCuts(cutFiles, joined, { signal: ctx.signal }, lengths),
        fitMusic(ctx.inputs[music]![MUSIC_OUTPUT]!.path, seconds, fitted, { signal: ctx.signal }),
      ]);
      media(joining);
      const musicLoudness = media(fitting);
      const cutLoudness = await Promise.all(
        cuts.map(async (id, i): Promise<{ profile: LoudnessProfile; seconds: number }> => {
          const profile = loudnessFromJson(await readFile(ctx.inputs[id]!["loudness"]!.path, "utf8"));
          if (!profile) throw new Error(`${id}: its loudness record is unreadable`);
          return { profile, seconds: (offsets[i + 1] ?? seconds) - offsets[i]! };
        }),
      );
      const measured = { dialogue: joinProfiles(cutLoudness), music: joinProfiles([{ profile: musicLoudness, seconds }]) };
      const out = join(ctx.tmpDir, "final.mp4");
      media(await finalMix({ video: joined, music: fitted, loudness: -16, measured }, out, run));
      await ctx.output("video", { file: out });
      await ctx.output("srt", { bytes: concatSrt(parts) });
    },
  };
}
