/**
 * `scene/<id>/cut`: clip + dialogue + burned subtitles, one encoding setting
 * for every cut so `final` joins them without re-encoding.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Project, ResolvedScene } from "../../project/project.js";
import { cutScene } from "../../media/index.js";
import { asJson } from "../json.js";
import { buildPath, stepId } from "../ids.js";
import { media, mediaRun } from "./media-run.js";

export function cutStep(project: Project, scene: ResolvedScene): StepSpec {
  const clip = stepId.clip(scene.id);
  const dialogue = stepId.dialogue(scene.id);
  const subtitles = stepId.subtitles(scene.id);
  const size = { width: project.format.width, height: project.format.height };
  return {
    id: stepId.cut(scene.id),
    kind: "ffmpeg",
    version: 1,
    params: { seconds: scene.seconds, size: asJson(size), fps: project.format.fps },
    inputs: [clip, dialogue, subtitles],
    files: [],
    pool: "ffmpeg",
    materialize: { video: buildPath.cut(scene.id) },
    async run(ctx) {
      const out = join(ctx.tmpDir, "cut.mp4");
      media(
        await cutScene(
          {
            clip: ctx.inputs[clip]!["video"]!.path,
            dialogue: ctx.inputs[dialogue]!["audio"]!.path,
            ass: await readFile(ctx.inputs[subtitles]!["ass"]!.path, "utf8"),
            seconds: scene.seconds,
            size,
            fps: project.format.fps,
          },
          out,
          mediaRun(ctx),
        ),
      );
      await ctx.output("video", { file: out });
    },
  };
}
