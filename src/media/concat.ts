/** Joining cuts: the concat demuxer with stream copy, so no cut is re-encoded. */
import { rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { BITEXACT } from "./encoding.js";
import { concatListPath } from "./escape.js";
import { probe, type VideoStreamInfo } from "./probe.js";
import { runFfmpeg, workDir, writeAtomically, type MediaRun } from "./run.js";

const shape = (v: VideoStreamInfo) => `${v.codec} ${v.width}x${v.height} ${v.pixFmt} ${v.fps} fps`;

/** Where each cut starts in the joined episode, and how long it is in all. */
export interface CutLengths {
  readonly durations: readonly number[];
  readonly offsets: readonly number[];
  readonly seconds: number;
}

/**
 * The cuts' video lengths (probed side by side), checked to share one
 * encoding so they can be joined by stream copy. Known before the join, so
 * the music can be fitted to the episode while the cuts are joined.
 */
export async function cutLengths(cuts: readonly string[], signal: AbortSignal): Promise<Result<CutLengths, MediaFailure>> {
  if (cuts.length === 0) return err({ kind: "invalid-input", message: "nothing to concatenate" });
  const infos = await Promise.all(cuts.map((cut) => probe(cut, signal)));
  const durations: number[] = [];
  let first: string | undefined;
  for (const [i, info] of infos.entries()) {
    const cut = cuts[i]!;
    if (!info.ok) return info;
    const v = info.value.video;
    if (!v || !info.value.audio) return err({ kind: "bad-media", file: cut, message: "a cut needs one video and one audio stream" });
    first ??= shape(v);
    if (shape(v) !== first) {
      return err({ kind: "invalid-input", message: `${cut} is ${shape(v)}, the first cut is ${first}: stream copy needs one encoding` });
    }
    durations.push(v.duration ?? info.value.duration);
  }
  const offsets = durations.map((_, i) => durations.slice(0, i).reduce((a, b) => a + b, 0));
  return ok({ durations, offsets, seconds: durations.reduce((a, b) => a + b, 0) });
}

/** What `concatCuts` lays under the joined video, and where it already knows the cuts' lengths. */
export interface JoinOptions {
  /** cutLengths' answer for the same cuts, when the caller has it (no probing). */
  readonly known?: CutLengths;
  /**
   * The episode's sound (mixSoundtrack) to use instead of the cuts' own
   * tracks: the file is then the finished episode, exactly as long as the
   * video, +faststart. One process, no intermediate join.
   */
  readonly soundtrack?: string;
  /** An SRT file carried as a soft subtitle track (mov_text), labelled with an ISO 639-2 code; with `soundtrack` only. */
  readonly subtitles?: { readonly file: string; readonly language: string };
}

/**
 * Join cuts made by cutScene (one shared encoding setting) without
 * re-encoding. Each cut's length is given to the demuxer as its video
 * duration, so a cut's AAC padding can never push the next cut later.
 * Returns where each cut starts (for the episode's subtitles) and the total.
 */
export async function concatCuts(cuts: readonly string[], out: string, run: MediaRun, options: JoinOptions = {}): Promise<Result<CutLengths, MediaFailure>> {
  const measured = options.known ? ok(options.known) : await cutLengths(cuts, run.signal);
  if (!measured.ok) return measured;
  const { durations, seconds } = measured.value;
  const work = await workDir(run, "concat");
  try {
    const list = join(work, "list.txt");
    const entries = cuts.map((c, i) => `file ${concatListPath(resolve(c))}\nduration ${durations[i]!.toFixed(6)}\n`);
    await writeFile(list, "ffconcat version 1.0\n" + entries.join(""));
    const soft = options.soundtrack && options.subtitles ? options.subtitles : undefined;
    const streams = options.soundtrack
      ? [
          "-i", options.soundtrack,
          ...(soft ? ["-i", soft.file] : []),
          "-map", "0:v:0", "-map", "1:a:0",
          ...(soft ? ["-map", "2:s:0"] : []),
          "-t", seconds.toFixed(6), "-movflags", "+faststart",
        ]
      : ["-map", "0"];
    // Picture and sound are copied; text is converted: MP4 carries subtitles as mov_text.
    const text = soft ? ["-c:s", "mov_text", "-metadata:s:s:0", `language=${soft.language}`] : [];
    const r = await writeAtomically(out, async (tmp) =>
      runFfmpeg(
        // -copyts: the cuts' own clock. Otherwise ffmpeg starts the output at the input's earliest
        // timestamp, the cuts' AAC priming (1024 samples before 0), and the video begins 21 ms late.
        ["-copyts", "-f", "concat", "-safe", "0", "-i", list, ...streams, "-c", "copy", ...text, ...BITEXACT, tmp],
        { ...run, expectedSeconds: seconds },
      ),
    );
    return r.ok ? measured : r;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
