/**
 * A clip's last frame as a PNG (issue 27, `start: previous`): the next shot's
 * clip starts from it, one action continuing across the cut. The clip is a
 * video, or a still and the camera move the offline animatic renders over it
 * (the move's last frame is rendered, nothing else).
 */
import type { Size } from "./size.js";
import type { Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { frameCount } from "./pan.js";
import { stillMovePicture, type StillMove } from "./cut.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

export interface LastFrameInput {
  /** A video file, or a still and its move. */
  readonly clip: string | StillMove;
  /** The clip's nominal length (a move's), seconds. */
  readonly seconds: number;
  readonly size: Size;
  readonly fps: number;
}

export async function lastFrame(input: LastFrameInput, out: string, run: MediaRun): Promise<Result<unknown, MediaFailure>> {
  const { clip } = input;
  const args =
    typeof clip === "string"
      ? // The last second decoded, each frame overwriting the one before: the file ends as the last frame.
        ["-sseof", "-1", "-i", clip, "-vf", `scale=${input.size.width}:${input.size.height}:force_original_aspect_ratio=increase,crop=${input.size.width}:${input.size.height},setsar=1`, "-update", "1"]
      : (() => {
          const frames = frameCount(input.seconds, input.fps);
          return ["-i", clip.still, "-filter_complex", `[0:v]${stillMovePicture(clip, input.seconds, frames, input.size, input.fps)},trim=start_frame=${frames - 1}[v]`, "-map", "[v]", "-frames:v", "1"];
        })();
  return writeAtomically(out, (tmp) => runFfmpeg([...args, "-f", "image2", "-c:v", "png", tmp], { ...run, expectedSeconds: 1 }));
}
