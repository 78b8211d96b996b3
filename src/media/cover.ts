/**
 * The episode's cover: one frame (of a shot's clip at a time, or a still
 * such as a keyframe before shots land) at the delivery size, filled to the
 * frame (a cover has no black bars), with the title set on it in the upper
 * part of the safe area, where feeds and profile grids leave it readable.
 */
import { rm } from "node:fs/promises";
import { err, ok, type Result } from "../result.js";
import { BITEXACT } from "./encoding.js";
import type { MediaFailure } from "./failure.js";
import { findFonts, type Fonts } from "./fonts.js";
import { probe } from "./probe.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";
import type { SafeArea } from "./safe-area.js";
import type { Size } from "./size.js";
import { assFilter, blocksAss, type TextBlock } from "./title-card.js";

export interface CoverInput {
  /** A video (then `at` seconds into it) or a still image. */
  readonly source: string;
  readonly at?: number;
  readonly size: Size;
  /** The title to set on it; none for the bare frame. */
  readonly title?: string;
  /** A smaller line above the title (the series). */
  readonly series?: string;
  readonly safeArea?: SafeArea;
  readonly font?: string;
  readonly fonts?: Fonts;
}

/** The title blocks of a cover. */
export function coverBlocks(c: Pick<CoverInput, "title" | "series">): TextBlock[] {
  return [
    { text: c.series ?? "", size: 3.4, color: "#E6C27F" },
    { text: c.title ?? "", size: 7, bold: true },
  ];
}

export async function renderCover(c: CoverInput, out: string, run: MediaRun): Promise<Result<{ at: number }, MediaFailure>> {
  const info = await probe(c.source, run.signal);
  if (!info.ok) return info;
  const video = info.value.video;
  if (!video) return err({ kind: "bad-media", file: c.source, message: "no picture to take a cover from" });
  const still = info.value.duration === 0 || (video.frames ?? 2) <= 1 || /image2|png_pipe|jpeg_pipe|webp_pipe/.test(info.value.format);
  const at = still ? 0 : Math.max(0, c.at ?? 0);
  if (!still && at >= info.value.duration) {
    return err({ kind: "invalid-input", message: `cover: at ${at} s is past the end of the shot (${info.value.duration.toFixed(2)} s long)` });
  }
  const { width: W, height: H } = c.size;
  const fonts = c.fonts ?? findFonts();
  const work = await workDir(run, "cover");
  try {
    const blocks = coverBlocks(c);
    const text = blocks.some((b) => b.text.trim())
      ? `,${await assFilter(blocksAss(blocks, { size: c.size, safeArea: c.safeArea, fonts, font: c.font, at: 0.25 }, 10), work, fonts)}`
      : "";
    const r = await writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          "-i", c.source,
          "-frames:v", "1",
          // trim decodes up to `at` and keeps the first frame there: exact to the frame on any ffmpeg.
          "-vf", `${still ? "" : `trim=start=${at.toFixed(3)},`}setpts=PTS-STARTPTS,scale=${W}:${H}:force_original_aspect_ratio=increase:flags=lanczos+accurate_rnd+full_chroma_int,crop=${W}:${H},setsar=1${text},format=rgb24`,
          ...BITEXACT,
          tmp,
        ],
        run,
      ),
    );
    return r.ok ? ok({ at }) : r;
  } catch (e) {
    return err({ kind: "io", path: work, message: (e as Error).message });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
