/**
 * `final`: the cuts joined in order by stream copy, the music fitted to the
 * episode and ducked under the dialogue, loudness normalized; plus the
 * episode's .srt with each scene's cues shifted by where the scene starts.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Project } from "../../project/project.js";
import { concatCuts, concatSrt, finalMix, fitMusic } from "../../media/index.js";
import { stepId } from "../ids.js";
import { media, mediaRun } from "./media-run.js";

export function finalStep(project: Project): StepSpec {
  const cuts = project.scenes.map((s) => stepId.cut(s.id));
  const subtitles = project.scenes.map((s) => stepId.subtitles(s.id));
  const music = stepId.music();
  return {
    id: stepId.final(),
    kind: "ffmpeg",
    version: 1,
    params: { loudness: -16 },
    inputs: [...cuts, ...subtitles, music],
    files: [],
    pool: "ffmpeg",
    materialize: { video: `${project.slug}.mp4`, srt: `${project.slug}.srt` },
    async run(ctx) {
      const run = mediaRun(ctx);
      const cutFiles = cuts.map((id) => ctx.inputs[id]!["video"]!.path);
      const joined = join(ctx.tmpDir, "joined.mp4");
      const { offsets, seconds } = media(await concatCuts(cutFiles, joined, { signal: ctx.signal }));
      const parts = await Promise.all(
        subtitles.map(async (id, i) => ({ srt: await readFile(ctx.inputs[id]!["srt"]!.path, "utf8"), offset: offsets[i]! })),
      );
      const fitted = join(ctx.tmpDir, "music.wav");
      media(await fitMusic(ctx.inputs[music]!["audio"]!.path, seconds, fitted, { signal: ctx.signal }));
      const out = join(ctx.tmpDir, "final.mp4");
      media(await finalMix({ video: joined, music: fitted, loudness: -16 }, out, run));
      await ctx.output("video", { file: out });
      await ctx.output("srt", { bytes: concatSrt(parts) });
    },
  };
}
