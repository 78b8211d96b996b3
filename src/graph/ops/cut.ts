/**
 * `scene/<id>/cut`: clip + dialogue + burned subtitles, one encoding setting
 * for every cut so `final` joins them without re-encoding.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import { cameraMove, cutScene } from "../../media/index.js";
import { asJson } from "../json.js";
import { CLIP_OUTPUT, readMove } from "../steps/clip.js";
import { media, mediaRun } from "./media-run.js";

export function cutStep(ep: EpisodeView, scene: ResolvedScene): StepSpec {
  const clip = ep.ids.clip(scene.id);
  const dialogue = ep.ids.dialogue(scene.id);
  const subtitles = ep.ids.subtitles(scene.id);
  const size = { width: ep.format.width, height: ep.format.height };
  return {
    id: ep.ids.cut(scene.id),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "cut",
    // 3: a move that does not move is scaled once from the still; a retaken move renders its variation.
    // 4: no loudness output (the dialogue step measures it; the soundtrack mixes from the dialogue).
    // 5: a move is rendered from the still upscaled 1.5x, not 2x (pan.ts).
    // 6: the dialogue track is mono AAC (the episode's stereo mix is the soundtrack's).
    // 7: the hold after a move clones the move's last frame (tpad), not the one before it (loop).
    // 8: a move is rendered on yuv444p (whole-pixel crops), a zoom at the output size and a pan from a 1.25x source (pan.ts).
    version: 8,
    params: { seconds: scene.seconds, size: asJson(size), fps: ep.format.fps },
    inputs: [clip, dialogue, subtitles],
    files: [],
    pool: "ffmpeg",
    // The heaviest local work: x264 time grows with the scene's length, and a static shot's
    // repeated frames cost it about half (measured: 4 s static 0.68 s, 4 s pan 1.0 s). Longest first.
    weight: cameraMove(scene.camera).name === "static" ? scene.seconds / 2 : scene.seconds,
    materialize: { video: ep.paths.cut(scene.id) },
    async run(ctx) {
      const out = join(ctx.tmpDir, "cut.mp4");
      const made = ctx.inputs[clip]!;
      const video = made[CLIP_OUTPUT.video];
      const picture = video
        ? video.path
        : { still: made[CLIP_OUTPUT.still]!.path, ...readMove(await readFile(made[CLIP_OUTPUT.move]!.path, "utf8")) };
      media(
        await cutScene(
          {
            clip: picture,
            dialogue: ctx.inputs[dialogue]!["audio"]!.path,
            ass: await readFile(ctx.inputs[subtitles]!["ass"]!.path, "utf8"),
            seconds: scene.seconds,
            size,
            fps: ep.format.fps,
          },
          out,
          mediaRun(ctx),
        ),
      );
      await ctx.output("video", { file: out });
    },
  };
}
