/**
 * `final`: the cuts joined in order and the soundtrack laid under them, both
 * by stream copy (nothing is encoded at the end of a build); plus the
 * episode's .srt with each scene's cues shifted by where the scene starts.
 * One per episode (`episode/<ep>/final` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import { concatCuts, concatSrt, finalMux, type CutLengths } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { SOUNDTRACK_OUTPUT } from "./soundtrack.js";

export function finalStep(ep: EpisodeView): StepSpec {
  const cuts = ep.scenes.map((s) => ep.ids.cut(s.id));
  const subtitles = ep.scenes.map((s) => ep.ids.subtitles(s.id));
  const soundtrack = ep.ids.soundtrack();
  return {
    id: ep.ids.final(),
    kind: "ffmpeg",
    // 3: the sound is the soundtrack step's, copied; the final encodes nothing.
    version: 3,
    params: {},
    inputs: [...cuts, ...subtitles, soundtrack],
    files: [],
    pool: "ffmpeg",
    materialize: { video: ep.output.video, srt: ep.output.srt },
    async run(ctx) {
      const sound = ctx.inputs[soundtrack]!;
      const placed = JSON.parse(await readFile(sound[SOUNDTRACK_OUTPUT.lengths]!.path, "utf8")) as CutLengths;
      const cutFiles = cuts.map((id) => ctx.inputs[id]!["video"]!.path);
      const joined = join(ctx.tmpDir, "joined.mp4");
      const parts = await Promise.all(
        subtitles.map(async (id, i) => ({ srt: await readFile(ctx.inputs[id]!["srt"]!.path, "utf8"), offset: placed.offsets[i]! })),
      );
      media(await concatCuts(cutFiles, joined, { signal: ctx.signal }, placed));
      const out = join(ctx.tmpDir, "final.mp4");
      const made = media(await finalMux({ video: joined, audio: sound[SOUNDTRACK_OUTPUT.audio]!.path }, out, mediaRun(ctx)));
      // The cuts follow the same length rule the soundtrack placed them by; a difference is a bug, not a film.
      if (Math.abs(made.seconds - placed.seconds) > 0.5 / ep.format.fps) {
        throw new Error(`the joined cuts last ${made.seconds.toFixed(3)} s, the soundtrack ${placed.seconds.toFixed(3)} s`);
      }
      await ctx.output("video", { file: out });
      await ctx.output("srt", { bytes: concatSrt(parts) });
    },
  };
}
