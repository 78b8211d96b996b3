/**
 * `final`: the cuts joined in order and the soundtrack laid under them, both
 * by stream copy (nothing is encoded at the end of a build); plus the
 * episode's .srt with each scene's cues shifted by where the scene starts.
 * One per episode (`episode/<ep>/final` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import { concatCuts, concatSrt, type CutLengths } from "../../media/index.js";
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
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "final",
    // 3: the sound is the soundtrack step's, copied; the final encodes nothing.
    // 4: joined and muxed in one pass on the cuts' own clock (no intermediate file, no probe).
    version: 4,
    params: {},
    inputs: [...cuts, ...subtitles, soundtrack],
    files: [],
    pool: "ffmpeg",
    materialize: { video: ep.output.video, srt: ep.output.srt },
    async run(ctx) {
      const sound = ctx.inputs[soundtrack]!;
      const placed = JSON.parse(await readFile(sound[SOUNDTRACK_OUTPUT.lengths]!.path, "utf8")) as CutLengths;
      const cutFiles = cuts.map((id) => ctx.inputs[id]!["video"]!.path);
      const parts = await Promise.all(
        subtitles.map(async (id, i) => ({ srt: await readFile(ctx.inputs[id]!["srt"]!.path, "utf8"), offset: placed.offsets[i]! })),
      );
      // The cuts' lengths are the ones the soundtrack was mixed to (the cut length rule, cut.ts): the
      // demuxer gets each as its duration, so picture and sound end together without probing either.
      const out = join(ctx.tmpDir, "final.mp4");
      media(await concatCuts(cutFiles, out, mediaRun(ctx), { known: placed, soundtrack: sound[SOUNDTRACK_OUTPUT.audio]!.path }));
      await ctx.output("video", { file: out });
      await ctx.output("srt", { bytes: concatSrt(parts) });
    },
  };
}
