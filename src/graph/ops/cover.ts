/**
 * The `cover` op (issue 32): `cover` (`episode/<id>/cover` in a series), the
 * episode's cover PNG: a frame of the shot `cover:` names (its clip `at`
 * seconds in, or the still an offline clip moves over) at the first
 * delivery's size (else the project's), with the title set on it. Its own
 * step: a cover edit reruns only this.
 */
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { renderCover, type SafeArea } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { deliveries, safeAreaOf } from "../finishing.js";
import { CLIP_OUTPUT } from "./clip.js";
import { media, mediaRun } from "./media-run.js";

/** The cover step's output: a PNG. */
export const COVER_OUTPUT = { image: "image" } as const;

/** Hashed: the frame's time, the size, and the text set on it. */
export interface CoverParams {
  readonly at: number;
  readonly size: { readonly width: number; readonly height: number };
  readonly title?: string;
  readonly series?: string;
  readonly safeArea: SafeArea;
  readonly font?: string;
}

/** Not hashed: the clip step the frame is taken from (its id and outputs are in the key). */
export interface CoverArgs {
  readonly clip: string;
}

/** Where the cover is written: beside the episode's video, `<slug>.cover.png`. */
export const coverFile = (ep: EpisodeView) => ep.output.video.replace(/\.mp4$/, ".cover.png");

/** The cover step, or undefined when the episode has no `cover:` (or its scene is another episode's). */
export function coverStep(ep: EpisodeView): StepSpec | undefined {
  const c = ep.finishing.cover;
  if (!c) return undefined;
  const sceneId = c.shot.split("/")[1]!;
  // Until shots are wired every scene is one shot: a shot of the scene is taken from its clip.
  if (!ep.scenes.some((s) => s.id === sceneId)) return undefined;
  const delivered = deliveries(ep.finishing.deliver)[0];
  const size = delivered ? delivered.size : { width: ep.format.width, height: ep.format.height };
  const font = ep.finishing.subtitles?.style?.font;
  const params: CoverParams = {
    at: c.at ?? 0,
    size: { width: size.width, height: size.height },
    ...(c.title !== false ? { title: ep.episodeTitle, ...(ep.seriesTitle !== undefined ? { series: ep.seriesTitle } : {}) } : {}),
    safeArea: safeAreaOf(ep.finishing),
    ...(font !== undefined ? { font } : {}),
  };
  const args: CoverArgs = { clip: ep.ids.clip(sceneId) };
  return {
    id: ep.ids.cover(),
    kind: "ffmpeg",
    op: "cover",
    version: 1,
    params: asJson(params),
    args: { ...args },
    inputs: [args.clip],
    files: [],
    pool: "ffmpeg",
    materialize: { [COVER_OUTPUT.image]: coverFile(ep) },
  };
}

export const coverOp: Op = {
  name: "cover",
  async run(params, io, args) {
    const p = params as unknown as CoverParams;
    const a = args as unknown as CoverArgs;
    const made = io.inputs[a.clip]!;
    const source = (made[CLIP_OUTPUT.video] ?? made[CLIP_OUTPUT.still])!.path;
    const out = join(io.tmpDir, "cover.png");
    media(
      await renderCover(
        {
          source,
          at: p.at,
          size: p.size,
          ...(p.title !== undefined ? { title: p.title } : {}),
          ...(p.series !== undefined ? { series: p.series } : {}),
          safeArea: p.safeArea,
          ...(p.font !== undefined ? { font: p.font } : {}),
        },
        out,
        mediaRun(io),
      ),
    );
    await io.output(COVER_OUTPUT.image, { file: out });
  },
};
