/**
 * One scene's cut: the clip (held on its last frame while dialogue runs on),
 * the dialogue track, subtitles burned in by libass, encoded with the one
 * setting all cuts share so `concatCuts` can join them by stream copy. The
 * clip may be a still and a camera move: the cut then renders the move in
 * its own pass, so the still's pixels go through x264 once. How long a cut
 * is follows from its inputs alone (`cutLength`), so the episode's sound is
 * mixed from the dialogue while the cuts are still encoding.
 */
import { mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import type { Size } from "./size.js";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { AUDIO_RATE, audioEncodeArgs, BITEXACT, frameFormatProblem, videoEncodeArgs } from "./encoding.js";
import { filterValue } from "./escape.js";
import { findFonts, type Fonts } from "./fonts.js";
import { frameCount, holdLast, panFilter } from "./pan.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";
import { mediaSeconds } from "./seconds.js";

/** A still moved by the camera words (the offline animatic's clip, see pan.ts), `seconds` long. */
export interface StillMove {
  readonly still: string;
  readonly camera: string;
  /** Another variation of the move (a retake), see PanClipInput. */
  readonly variation?: number;
}

export interface CutInput {
  /** A video clip, or a still and the move the cut renders over it. */
  readonly clip: string | StillMove;
  /** The scene's dialogue WAV; none gives a silent track (every cut has audio, for concat). */
  readonly dialogue?: string;
  /** ASS subtitle text to burn in. */
  readonly ass?: string;
  /** The clip's nominal length; the cut is at least this long. */
  readonly seconds: number;
  readonly size: Size;
  readonly fps: number;
  /** Seconds the picture stays after the last line (default CUT_TAIL). */
  readonly tail?: number;
  readonly fonts?: Fonts;
}

/**
 * A `fontsdir` for libass holding only the fonts fontconfig does not already
 * know (shipped or named by env var), or undefined when it knows them all.
 * Installed fonts are left to fontconfig on purpose: loading a .ttc such as
 * wqy-zenhei as a libass memory font made x264's output differ from run to
 * run (measured with ffmpeg 4.x-static, small frame sizes), while the same
 * font through fontconfig is bit-exact.
 */
export async function fontsDir(work: string, fonts: Fonts): Promise<string | undefined> {
  const files = [...new Set([fonts.cjk, fonts.latin].filter((f) => f && !f.installed).map((f) => f!.file))];
  if (files.length === 0) return undefined;
  const dir = join(work, "fonts");
  await mkdir(dir);
  for (const [i, f] of files.entries()) await symlink(f, join(dir, `${i}-${basename(f)}`));
  return dir;
}

/** Seconds the picture stays after the last line, unless the cut says otherwise. */
export const CUT_TAIL = 0.5;

/**
 * A cut's length: the clip's nominal length, or the dialogue plus the tail
 * when that is longer, in whole frames (the audio is cut to the same
 * instant, so the container duration is exact).
 */
export function cutLength(clipSeconds: number, dialogueSeconds: number | undefined, fps: number, tail = CUT_TAIL): { frames: number; seconds: number } {
  const wanted = Math.max(clipSeconds, dialogueSeconds === undefined ? 0 : dialogueSeconds + tail);
  const frames = Math.ceil(wanted * fps - 1e-6);
  return { frames, seconds: frames / fps };
}

/**
 * The filter chain from a still to a cut's picture, `frames` long: the move
 * over the clip's nominal length, born at the output's size and fps
 * (retiming zoompan's frames with fps= made it many times slower), then its
 * last frame held (holdLast) to the cut's length. bench/offline renders a
 * whole episode's pictures with it.
 */
export function stillMovePicture(move: Omit<StillMove, "still">, nominalSeconds: number, frames: number, size: Size, fps: number): string {
  const moveFrames = frameCount(nominalSeconds, fps);
  return (
    `${panFilter({ camera: move.camera, variation: move.variation ?? 0, seconds: nominalSeconds, size, fps })},` +
    holdLast(frames - moveFrames, fps)
  );
}

export interface CutResult {
  readonly seconds: number;
}

export async function cutScene(input: CutInput, out: string, run: MediaRun): Promise<Result<CutResult, MediaFailure>> {
  const { width: W, height: H } = input.size;
  const fps = input.fps;
  const problem = frameFormatProblem(input.size, fps, input.seconds);
  if (problem) return err({ kind: "invalid-input", message: `cut: ${problem}` });
  let dialogueSeconds = 0;
  if (input.dialogue) {
    const length = await mediaSeconds(input.dialogue, run.signal);
    if (!length.ok) return length;
    dialogueSeconds = length.value;
  }
  const { frames, seconds } = cutLength(input.seconds, input.dialogue ? dialogueSeconds : undefined, fps, input.tail);
  const samples = Math.round(seconds * AUDIO_RATE);
  const work = await workDir(run, "cut");
  try {
    let subs = "";
    if (input.ass) {
      const assFile = join(work, "subtitles.ass");
      await writeFile(assFile, input.ass);
      const dir = await fontsDir(work, input.fonts ?? findFonts());
      subs = `,ass=filename=${filterValue(assFile)}` + (dir ? `:fontsdir=${filterValue(dir)}` : "");
    }
    const clip = input.clip;
    // Hold the last frame for as long as the dialogue needs (a clip never depends on dialogue).
    const picture =
      typeof clip === "string"
        ? `[0:v]setpts=PTS-STARTPTS,fps=${fps},scale=${W}:${H}:force_original_aspect_ratio=increase,crop=${W}:${H},setsar=1,` +
          `tpad=stop_mode=clone:stop_duration=${seconds.toFixed(3)}`
        : // A still's move lasts the clip's nominal length, like a generated clip.
          `[0:v]${stillMovePicture(clip, input.seconds, frames, input.size, fps)}`;
    const video = `${picture},trim=end_frame=${frames}${subs},format=yuv420p[v]`;
    const audio = input.dialogue
      ? `[1:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=mono,apad=whole_len=${samples},atrim=end_sample=${samples}[a]`
      : `anullsrc=r=${AUDIO_RATE}:cl=mono,atrim=end_sample=${samples}[a]`;
    const inputs = ["-i", typeof clip === "string" ? clip : clip.still, ...(input.dialogue ? ["-i", input.dialogue] : [])];
    const r = await writeAtomically(out, async (tmp) =>
      runFfmpeg(
        [
          ...inputs,
          "-filter_complex", `${video};${audio}`,
          "-map", "[v]", "-map", "[a]",
          // No -frames:v: it would stop the muxer before the audio encoder drains, leaving the
          // AAC track short of the video and every joined cut drifting. trim/atrim set the length.
          ...videoEncodeArgs(fps),
          ...audioEncodeArgs(1),
          ...BITEXACT,
          tmp,
        ],
        { ...run, expectedSeconds: seconds },
      ),
    );
    return r.ok ? ok({ seconds }) : r;
  } catch (e) {
    return err({ kind: "io", path: work, message: (e as Error).message });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
