/**
 * Joining shots (or scenes) with transitions (issue 27): `cut`, mixes,
 * dips, wipes and slides, plus an audio crossfade wherever two pieces overlap.
 *
 * Two renderers draw the overlap, both from one layout:
 * - `xfade`: ffmpeg's xfade filter (ffmpeg >= 4.3, e.g. a system ffmpeg 5-7);
 * - `blend`: blend expressions and stacked crops, for ffmpeg 4.1 (the bundled
 *   @ffmpeg-installer build has no xfade).
 * `auto` asks the ffmpeg in use once whether it has xfade.
 *
 * Layout: each piece is cut into its own frames and the overlaps; the
 * output is body 0, overlap 1, body 1, ... joined by one concat. Every
 * segment is read from its own input (seeked; a still under a camera move
 * renders just that segment's frames of the move), so nothing buffers a whole
 * shot in memory, and the overlap is exactly its frames in both renderers.
 *
 * `joinTiming` (pure) computes every offset: where each piece starts, how
 * long each transition really is (never clipping a piece's own dialogue,
 * never more than half a piece, whole frames), and the total; it is meant to
 * be folded into the graph's one timing module.
 */
import { err, ok, type Result } from "../result.js";
import type { Transition } from "../project/schema.js";
import type { MediaFailure } from "./failure.js";
import { toolPath } from "./ffmpeg-path.js";
import { AUDIO_RATE, BITEXACT, audioEncodeArgs, frameFormatProblem, videoEncodeArgs } from "./encoding.js";
import { runFfmpeg, runProcess, workDir, writeAtomically, type MediaRun } from "./run.js";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fontsDir } from "./cut.js";
import { findFonts } from "./fonts.js";
import { filterValue } from "./escape.js";
import { panFilter } from "./pan.js";

/** Default length of each transition, seconds (a cut has none). */
export const TRANSITION_SECONDS: Readonly<Record<Transition, number>> = {
  cut: 0,
  fade: 0.5,
  dissolve: 0.5,
  "fade-black": 0.8,
  "fade-white": 0.8,
  "wipe-left": 0.5,
  "wipe-right": 0.5,
  "wipe-up": 0.5,
  "wipe-down": 0.5,
  "slide-left": 0.5,
  "slide-right": 0.5,
  "slide-up": 0.5,
  "slide-down": 0.5,
};

/** A piece's length and, when it carries its own dialogue (native sound), when speech is heard in it. */
export interface TimedPiece {
  readonly seconds: number;
  /** Spans of speech inside the piece, seconds from its start. */
  readonly speech?: readonly { readonly start: number; readonly end: number }[];
}

/** The transition into a piece (the first piece's is ignored). */
export interface Junction {
  readonly transition: Transition;
  /** Requested length (default TRANSITION_SECONDS). */
  readonly seconds?: number;
}

export interface JoinTiming {
  /** Where each piece starts in the joined output. */
  readonly offsets: readonly number[];
  /** The transition into each piece as done, seconds (0: a cut; always 0 for the first). */
  readonly overlaps: readonly number[];
  /** The transition into each piece as done (`cut` where its overlap came out as 0). */
  readonly transitions: readonly Transition[];
  /** Length of the joined output. */
  readonly seconds: number;
}

/**
 * Every offset of a join. The overlap into piece i is the requested length,
 * shortened to: half of either piece (two transitions never overlap on one
 * piece), the silence after the last speech of piece i-1 and before the first
 * speech of piece i (a transition never fades someone's words), and whole
 * frames at `fps` (both renderers cut on frames).
 */
export function joinTiming(pieces: readonly TimedPiece[], junctions: readonly Junction[], fps: number): JoinTiming {
  const offsets: number[] = [];
  const overlaps: number[] = [];
  const transitions: Transition[] = [];
  let at = 0;
  pieces.forEach((piece, i) => {
    let d = 0;
    let kind: Transition = "cut";
    const j = junctions[i];
    if (i > 0 && j && j.transition !== "cut") {
      const prev = pieces[i - 1]!;
      const wanted = j.seconds ?? TRANSITION_SECONDS[j.transition];
      const tailQuiet = prev.seconds - Math.max(0, ...(prev.speech ?? []).map((s) => s.end));
      const headQuiet = Math.min(piece.seconds, ...(piece.speech ?? []).map((s) => s.start));
      const limit = Math.min(wanted, prev.seconds / 2, piece.seconds / 2, tailQuiet, headQuiet);
      d = Math.max(0, Math.floor(limit * fps + 1e-6)) / fps;
      if (d > 0) kind = j.transition;
    }
    at -= d;
    offsets.push(Math.max(0, at));
    overlaps.push(d);
    transitions.push(kind);
    at += piece.seconds;
  });
  return { offsets, overlaps, transitions, seconds: Math.max(0, at) };
}

/** xfade's name for each transition (fade and dissolve both mix: xfade's own dissolve is a noisy dither). */
const XFADE: Readonly<Record<Exclude<Transition, "cut">, string>> = {
  fade: "fade",
  dissolve: "fade",
  "fade-black": "fadeblack",
  "fade-white": "fadewhite",
  "wipe-left": "wipeleft",
  "wipe-right": "wiperight",
  "wipe-up": "wipeup",
  "wipe-down": "wipedown",
  "slide-left": "slideleft",
  "slide-right": "slideright",
  "slide-up": "slideup",
  "slide-down": "slidedown",
};

/**
 * The same transitions for ffmpeg 4.1, on planar RGB (black is 0 in every
 * plane), `A` the outgoing and `B` the incoming frame, T seconds into an
 * overlap of `d` seconds: as xfade draws them, progress T/d.
 */
function blendOverlap(kind: Exclude<Transition, "cut">, a: string, b: string, d: number, out: string): string {
  const D = d.toFixed(6);
  const p = `(T/${D})`;
  const blend = (expr: string) => `[${a}][${b}]blend=all_expr='${expr}'[${out}]`;
  // Slides push both pictures: the two side by side, a window moving across them.
  const slide = (stack: "hstack" | "vstack", first: string, second: string, axis: "x" | "y", expr: string) =>
    `[${first}][${second}]${stack}=inputs=2,crop=w=iw${stack === "hstack" ? "/2" : ""}:h=ih${stack === "vstack" ? "/2" : ""}:${axis}='${expr}':${axis === "x" ? "y" : "x"}=0[${out}]`;
  switch (kind) {
    case "fade":
    case "dissolve":
      return blend(`A*(1-${p})+B*${p}`);
    case "fade-black":
      return blend(`if(lt(${p},0.5),A*(1-2*${p}),B*(2*${p}-1))`);
    case "fade-white":
      return blend(`if(lt(${p},0.5),A+(255-A)*2*${p},255+(B-255)*(2*${p}-1))`);
    case "wipe-left":
      return blend(`if(gt(X,W*(1-${p})),B,A)`);
    case "wipe-right":
      return blend(`if(lt(X,W*${p}),B,A)`);
    case "wipe-up":
      return blend(`if(gt(Y,H*(1-${p})),B,A)`);
    case "wipe-down":
      return blend(`if(lt(Y,H*${p}),B,A)`);
    case "slide-left":
      return slide("hstack", a, b, "x", `iw/2*t/${D}`);
    case "slide-right":
      return slide("hstack", b, a, "x", `iw/2*(1-t/${D})`);
    case "slide-up":
      return slide("vstack", a, b, "y", `ih/2*t/${D}`);
    case "slide-down":
      return slide("vstack", b, a, "y", `ih/2*(1-t/${D})`);
  }
}

const xfadeSupport = new Map<string, boolean>();

/** Whether the ffmpeg in use has the xfade filter (asked once per binary). */
export async function hasXfade(run: MediaRun): Promise<Result<boolean, MediaFailure>> {
  const bin = toolPath("ffmpeg");
  if (!bin.ok) return bin;
  const known = xfadeSupport.get(bin.value);
  if (known !== undefined) return ok(known);
  const r = await runProcess(bin.value, ["-hide_banner", "-filters"], { signal: run.signal, ...(run.runner ? { runner: run.runner } : {}) });
  if (!r.ok) return r;
  const found = /^\s*\S+\s+xfade\s/m.test(r.value.stdout);
  xfadeSupport.set(bin.value, found);
  return ok(found);
}

export type TransitionRenderer = "xfade" | "blend";

export interface JoinPiece extends TimedPiece {
  /** A video, or with `move` the still it moves over. */
  readonly file: string;
  /** Whether the file has a sound track to carry (else silence stands in for it). */
  readonly audio: boolean;
  /**
   * The file is a still and this camera move over it (an offline shot, pan.ts)
   * lasts the piece's `seconds`: the join renders it in its own pass, so the
   * still's pixels go through x264 once (bench/offline).
   */
  readonly move?: { readonly camera: string; readonly variation?: number };
}

export interface JoinOptions {
  readonly width: number;
  readonly height: number;
  readonly fps: number;
  /** Which renderer draws the overlaps; `auto` (default): xfade when the ffmpeg has it. */
  readonly renderer?: TransitionRenderer | "auto";
  /** Channels of the output's sound (default 1, as a cut's). */
  readonly channels?: 1 | 2;
  /**
   * A multi-shot scene's cut (issue 27): one sound laid under the whole join
   * instead of the pieces' own (the scene's dialogue, which runs across its
   * shots), subtitles burned over the joined picture, and the output's length
   * in frames (the last frame held past the join while dialogue runs on; the
   * caller computes it with the timing module's cut-length rule).
   */
  readonly scene?: { readonly sound?: string; readonly ass?: string; readonly frames: number };
}

export interface Joined extends JoinTiming {
  readonly renderer: TransitionRenderer;
}

/**
 * Join `pieces` into `out` (H.264 + AAC, the cuts' encoding) with the
 * transition into each piece from `junctions`. Each piece plays for its
 * `seconds` (its file is cut or its last frame held to that length).
 */
export async function joinWithTransitions(pieces: readonly JoinPiece[], junctions: readonly Junction[], out: string, opts: JoinOptions, run: MediaRun): Promise<Result<Joined, MediaFailure>> {
  if (pieces.length === 0) return err({ kind: "invalid-input", message: "nothing to join" });
  const { width, height, fps } = opts;
  const total = pieces.reduce((n, p) => n + p.seconds, 0);
  const problem = frameFormatProblem({ width, height }, fps, total);
  if (problem) return err({ kind: "invalid-input", message: problem });
  let renderer: TransitionRenderer;
  if (opts.renderer === "xfade" || opts.renderer === "blend") renderer = opts.renderer;
  else {
    const has = await hasXfade(run);
    if (!has.ok) return has;
    renderer = has.value ? "xfade" : "blend";
  }
  const timing = joinTiming(pieces, junctions, fps);
  const frames = (s: number) => Math.round(s * fps);
  const args: string[] = [];
  const filters: string[] = [];
  let inputs = 0;
  // One input per segment: seeked, so each decodes only what it shows.
  const input = (file: string, from: number): number => {
    if (from > 0) args.push("-ss", from.toFixed(6));
    args.push("-i", file);
    return inputs++;
  };
  // Segments stay in the output's format; only the blend renderer's overlaps go through planar RGB
  // (its expressions need black at 0 in every plane). Measured, a 9 s three-shot join at 720x1280 with one
  // dissolve: 5.0 s of CPU with every segment in gbrp, 3.8 s so.
  const pix = "yuv420p";
  // A piece's frames [from, to) (in its own frame count), at the output's size and rate; the last frame is held when the file is short.
  const segment = (piece: JoinPiece, from: number, to: number, label: string): void => {
    const n = to - from;
    if (piece.move) {
      // Just these frames of the move, from the still itself (nothing to seek).
      const k = input(piece.file, 0);
      const move = { camera: piece.move.camera, variation: piece.move.variation ?? 0, seconds: piece.seconds, size: { width, height }, fps, range: { from, count: n } };
      // Numbered on the output's time base, as the seeked files' segments are (xfade wants both sides alike).
      filters.push(`[${k}:v:0]${panFilter(move)},settb=1/${fps},setpts=N,format=${pix},trim=end_frame=${n}[${label}]`);
      return;
    }
    const k = input(piece.file, from / fps);
    filters.push(
      `[${k}:v:0]fps=${fps},scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,format=${pix},` +
        `tpad=stop_mode=clone:stop=${n},trim=end_frame=${n},setpts=PTS-STARTPTS[${label}]`,
    );
  };
  const parts: string[] = [];
  pieces.forEach((piece, i) => {
    const len = frames(piece.seconds);
    const inD = frames(timing.overlaps[i]!);
    const outD = i + 1 < pieces.length ? frames(timing.overlaps[i + 1]!) : 0;
    if (inD > 0) {
      const prev = pieces[i - 1]!;
      const prevLen = frames(prev.seconds);
      segment(prev, prevLen - inD, prevLen, `ta${i}`);
      segment(piece, 0, inD, `hb${i}`);
      const kind = timing.transitions[i] as Exclude<Transition, "cut">;
      filters.push(
        renderer === "xfade"
          ? `[ta${i}][hb${i}]xfade=transition=${XFADE[kind]}:duration=${(inD / fps).toFixed(6)}:offset=0[x${i}]`
          : `[ta${i}]format=gbrp[tg${i}];[hb${i}]format=gbrp[hg${i}];` + blendOverlap(kind, `tg${i}`, `hg${i}`, inD / fps, `xg${i}`) + `;[xg${i}]format=yuv420p[x${i}]`,
      );
      parts.push(`[x${i}]`);
    }
    if (len - inD - outD > 0) {
      segment(piece, inD, len - outD, `b${i}`);
      parts.push(`[b${i}]`);
    }
  });
  const scene = opts.scene;
  const joinedFrames = frames(timing.seconds);
  const totalFrames = scene ? Math.max(scene.frames, joinedFrames) : joinedFrames;
  // A scene's cut holds its last frame while the dialogue runs on, then burns its subtitles over the whole.
  // The concat's output has no frame rate of its own on ffmpeg 4.x, and tpad then adds nothing: `fps=` first.
  const hold = scene && totalFrames > joinedFrames ? `,fps=${fps},tpad=stop_mode=clone:stop=${totalFrames - joinedFrames}` : "";
  const work = scene?.ass !== undefined ? await workDir(run, "join") : undefined;
  try {
    let subs = "";
    if (work && scene?.ass !== undefined) {
      const assFile = join(work, "subtitles.ass");
      await writeFile(assFile, scene.ass);
      const dir = await fontsDir(work, findFonts());
      subs = `,ass=filename=${filterValue(assFile)}` + (dir ? `:fontsdir=${filterValue(dir)}` : "");
    }
    const sceneTrim = scene ? `,trim=end_frame=${totalFrames}` : "";
    filters.push(`${parts.join("")}concat=n=${parts.length}:v=1:a=0${hold}${sceneTrim}${subs},format=yuv420p[v]`);

    const channels = opts.channels ?? 1;
    const layout = channels === 2 ? "stereo" : "mono";
    const seconds = scene ? totalFrames / fps : timing.seconds;
    const acc = scene ? sceneSound(scene.sound, seconds, layout) : pieceSounds(layout);
    const r = await writeAtomically(out, (tmp) =>
      runFfmpeg(
        [
          ...args,
          "-filter_complex", filters.join(";"),
          "-map", "[v]", "-map", `[${acc}]`,
          ...videoEncodeArgs(fps),
          ...audioEncodeArgs(channels),
          "-t", seconds.toFixed(6),
          "-movflags", "+faststart",
          ...BITEXACT,
          tmp,
        ],
        { ...run, expectedSeconds: seconds },
      ),
    );
    if (!r.ok) return r;
    return ok({ ...timing, seconds, renderer });
  } catch (e) {
    return err({ kind: "io", path: work ?? out, message: (e as Error).message });
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }

  /** The scene's one sound (or silence), exactly the cut's length: its dialogue runs across the shots, so nothing crossfades. */
  function sceneSound(file: string | undefined, seconds: number, layout: string): string {
    const samples = Math.round(seconds * AUDIO_RATE);
    if (file) {
      const k = input(file, 0);
      filters.push(`[${k}:a:0]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=${layout},apad=whole_len=${samples},atrim=end_sample=${samples}[sound]`);
    } else {
      filters.push(`anullsrc=r=${AUDIO_RATE}:cl=${layout},atrim=end_sample=${samples},aformat=sample_fmts=fltp[sound]`);
    }
    return "sound";
  }

  /** Each piece's own sound (or silence), exactly its length, crossfaded over each overlap. */
  function pieceSounds(layout: string): string {
    const audioLabels = pieces.map((piece, i) => {
      const len = frames(piece.seconds) / fps;
      if (piece.audio) {
        const k = input(piece.file, 0);
        filters.push(`[${k}:a:0]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=${layout},apad,atrim=end=${len.toFixed(6)},asetpts=PTS-STARTPTS[a${i}]`);
      } else {
        filters.push(`anullsrc=r=${AUDIO_RATE}:cl=${layout},atrim=end=${len.toFixed(6)},aformat=sample_fmts=fltp[a${i}]`);
      }
      return `a${i}`;
    });
    let acc = audioLabels[0]!;
    for (let i = 1; i < pieces.length; i++) {
      const d = frames(timing.overlaps[i]!) / fps;
      const next = `m${i}`;
      filters.push(d > 0 ? `[${acc}][${audioLabels[i]}]acrossfade=d=${d.toFixed(6)}:c1=tri:c2=tri[${next}]` : `[${acc}][${audioLabels[i]}]concat=n=2:v=0:a=1[${next}]`);
      acc = next;
    }
    return acc;
  }
}
