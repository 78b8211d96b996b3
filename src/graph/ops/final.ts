/**
 * The `final` op: the cuts joined in order and the soundtrack laid under
 * them, both by stream copy (nothing is encoded at the end of a build); plus
 * the episode's .srt with each scene's cues shifted by where the scene starts.
 * One per episode (`episode/<ep>/final` in a series).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { concatCuts, concatSrt, type CutLengths } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { SOUNDTRACK_OUTPUT } from "./soundtrack.js";
import { CUT_OUTPUT } from "./cut.js";
import { SUBTITLES_OUTPUT } from "./subtitles.js";

/** The final step's outputs. */
export const FINAL_OUTPUT = { video: "video", srt: "srt" } as const;

/**
 * Hashed: the cuts and subtitles in episode order, and the soundtrack. The order is the key's:
 * its inputs are a set, so two scenes swapped would otherwise restore the old film.
 */
export interface FinalParams {
  readonly cuts: readonly string[];
  readonly subtitles: readonly string[];
  readonly soundtrack: string;
}

export function finalStep(ep: EpisodeView): StepSpec {
  const params: FinalParams = { cuts: ep.scenes.map((s) => ep.ids.cut(s.id)), subtitles: ep.scenes.map((s) => ep.ids.subtitles(s.id)), soundtrack: ep.ids.soundtrack() };
  return {
    id: ep.ids.final(),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "final",
    // 3: the sound is the soundtrack step's, copied; the final encodes nothing.
    // 4: joined and muxed in one pass on the cuts' own clock (no intermediate file, no probe).
    // 5: the scenes' order joins the key (params): a swap of two scenes was served stale.
    version: 5,
    params: { ...params },
    inputs: [...params.cuts, ...params.subtitles, params.soundtrack],
    files: [],
    pool: "ffmpeg",
    materialize: { [FINAL_OUTPUT.video]: ep.output.video, [FINAL_OUTPUT.srt]: ep.output.srt },
  };
}

export const finalOp: Op = {
  name: "final",
  async run(params, io) {
    const a = params as unknown as FinalParams;
    const sound = io.inputs[a.soundtrack]!;
    const placed = JSON.parse(await readFile(sound[SOUNDTRACK_OUTPUT.lengths]!.path, "utf8")) as CutLengths;
    const cutFiles = a.cuts.map((id) => io.inputs[id]![CUT_OUTPUT.video]!.path);
    const parts = await Promise.all(a.subtitles.map(async (id, i) => ({ srt: await readFile(io.inputs[id]![SUBTITLES_OUTPUT.srt]!.path, "utf8"), offset: placed.offsets[i]! })));
    // The cuts' lengths are the ones the soundtrack was mixed to (the timing rule, plan/timing.ts): the
    // demuxer gets each as its duration, so picture and sound end together without probing either.
    const out = join(io.tmpDir, "final.mp4");
    media(await concatCuts(cutFiles, out, mediaRun(io), { known: placed, soundtrack: sound[SOUNDTRACK_OUTPUT.audio]!.path }));
    await io.output(FINAL_OUTPUT.video, { file: out });
    await io.output(FINAL_OUTPUT.srt, { bytes: concatSrt(parts) });
  },
};
