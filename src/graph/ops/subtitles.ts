/**
 * `scene/<id>/subtitles`: ASS (burned into the cut) and SRT (joined into the
 * episode's .srt) from the lines and the dialogue's timings.
 */
import type { StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import { writeSubtitles, type SubtitleLine } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { inputTimings } from "./dialogue.js";
import { inputLines } from "../steps/lines.js";

const displayName = (ep: EpisodeView, castId: string) => ep.cast[castId]?.name ?? castId;

/** `linesFrom`: for a scene without written lines, the step whose lines are spoken (drafts, or their polish). */
/** A narrated scene's caption is its beat, shown without a speaker's name: it is nobody's line. */
export function subtitlesStep(ep: EpisodeView, scene: ResolvedScene, linesFrom: string = ep.ids.lines(scene.id), narration?: string): StepSpec {
  const dialogue = ep.ids.dialogue(scene.id);
  const linesId = linesFrom;
  const written: SubtitleLine[] | undefined = narration !== undefined ? [{ speaker: "", text: narration }] : scene.lines?.map((l) => ({ speaker: displayName(ep, l.speaker), text: l.text }));
  const size = { width: ep.format.width, height: ep.format.height };
  return {
    id: ep.ids.subtitles(scene.id),
    kind: "local",
    op: "subtitles",
    version: 1,
    params: {
      language: ep.language,
      size: asJson(size),
      // Written lines are parameters; generated ones arrive as an input, with the names to show.
      lines: written ? asJson(written) : null,
      names: written ? null : Object.fromEntries(scene.cast.map((id) => [id, displayName(ep, id)])),
    },
    inputs: written ? [dialogue] : [dialogue, linesId],
    files: [],
    pool: "local",
    async run(ctx) {
      const lines = written ?? (await inputLines(ctx, linesId)).map((l) => ({ speaker: displayName(ep, l.speaker), text: l.text }));
      const subs = writeSubtitles(lines, await inputTimings(ctx, dialogue), { language: ep.language, size });
      await ctx.output("ass", { bytes: subs.ass });
      await ctx.output("srt", { bytes: subs.srt });
    },
  };
}
