/**
 * `scene/<id>/subtitles`: ASS (burned into the cut) and SRT (joined into the
 * episode's .srt) from the lines and the dialogue's timings.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import type { Project, ResolvedScene } from "../../project/project.js";
import { writeSubtitles, type LineTiming, type SubtitleLine } from "../../media/index.js";
import { asJson } from "../json.js";
import { stepId } from "../ids.js";
import { readGeneratedLines } from "./voice.js";

const displayName = (project: Project, castId: string) => project.cast[castId]?.name ?? castId;

/** `linesFrom`: for a scene without written lines, the step whose lines are spoken (drafts, or their polish). */
export function subtitlesStep(project: Project, scene: ResolvedScene, linesFrom: string = stepId.lines(scene.id)): StepSpec {
  const dialogue = stepId.dialogue(scene.id);
  const linesId = linesFrom;
  const written: SubtitleLine[] | undefined = scene.lines?.map((l) => ({ speaker: displayName(project, l.speaker), text: l.text }));
  const size = { width: project.format.width, height: project.format.height };
  return {
    id: stepId.subtitles(scene.id),
    kind: "local",
    version: 1,
    params: {
      language: project.language,
      size: asJson(size),
      // Written lines are parameters; generated ones arrive as an input, with the names to show.
      lines: written ? asJson(written) : null,
      names: written ? null : Object.fromEntries(scene.cast.map((id) => [id, displayName(project, id)])),
    },
    inputs: written ? [dialogue] : [dialogue, linesId],
    files: [],
    pool: "local",
    async run(ctx) {
      const lines =
        written ??
        (await readGeneratedLines(ctx.inputs[linesId]!["json"]!.path)).map((l) => ({ speaker: displayName(project, l.speaker), text: l.text }));
      const { timings } = JSON.parse(await readFile(ctx.inputs[dialogue]!["timings"]!.path, "utf8")) as { timings: LineTiming[] };
      const subs = writeSubtitles(lines, timings, { language: project.language, size });
      await ctx.output("ass", { bytes: subs.ass });
      await ctx.output("srt", { bytes: subs.srt });
    },
  };
}
