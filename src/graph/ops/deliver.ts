/**
 * The `deliver` op (issue 32): `deliver/<name>` (`episode/<id>/deliver/<name>`
 * in a series), the episode's final re-encoded once for one platform into
 * `build/<slug>.<name>.mp4`: the preset's size and frame rate, its loudness
 * and true-peak ceiling (measured with ebur128 and met), the cover embedded
 * where the container allows, soft subtitles when they are not burned. Reads
 * only the final (and cover): a `deliver:` edit reruns only these steps.
 */
import { join } from "node:path";
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { deliver, trackLanguage, type DeliveryPreset } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { burnsSubtitles } from "../finishing.js";
import { FINAL_OUTPUT } from "./final.js";
import { COVER_OUTPUT } from "./cover.js";
import { media, mediaRun } from "./media-run.js";

/** The deliver step's outputs: the file, and what was measured on it (JSON `{ seconds, loudness, truePeak, coverEmbedded }`). */
export const DELIVER_OUTPUT = { video: "video", report: "report" } as const;

/** Hashed: the preset's numbers (not just its name: a preset's numbers may change), soft subtitles' language. */
export interface DeliverParams {
  readonly preset: DeliveryPreset;
  /** Set when subtitles are not burned: the final's SRT goes in as a track with this ISO 639-2 code. */
  readonly soft?: string;
}

/** Not hashed: which inputs are the final and the cover. */
export interface DeliverArgs {
  readonly final: string;
  readonly cover?: string;
}

/** Where a delivery is written: beside the episode's video, `<slug>.<name>.mp4`. */
export const deliveryFile = (ep: EpisodeView, name: string) => ep.output.video.replace(/\.mp4$/, `.${name}.mp4`);

export function deliverStep(ep: EpisodeView, preset: DeliveryPreset, cover: string | undefined): StepSpec {
  const params: DeliverParams = { preset, ...(burnsSubtitles(ep.finishing) ? {} : { soft: trackLanguage(ep.language) }) };
  const args: DeliverArgs = { final: ep.ids.final(), ...(cover ? { cover } : {}) };
  return {
    id: ep.ids.deliver(preset.name),
    kind: "ffmpeg",
    op: "deliver",
    version: 1,
    params: asJson(params),
    args: { ...args },
    inputs: [args.final, ...(cover ? [cover] : [])],
    files: [],
    pool: "ffmpeg",
    // A full-size encode of the whole episode: the longest step after the final.
    weight: ep.scenes.reduce((n, s) => n + s.seconds, 0) * 2,
    materialize: { [DELIVER_OUTPUT.video]: deliveryFile(ep, preset.name) },
  };
}

export const deliverOp: Op = {
  name: "deliver",
  async run(params, io, args) {
    const p = params as unknown as DeliverParams;
    const a = args as unknown as DeliverArgs;
    const final = io.inputs[a.final]!;
    const out = join(io.tmpDir, "delivered.mp4");
    const srt = p.soft !== undefined ? await readFile(final[FINAL_OUTPUT.srt]!.path, "utf8") : undefined;
    const done = media(
      await deliver(
        {
          final: final[FINAL_OUTPUT.video]!.path,
          preset: p.preset,
          ...(a.cover ? { cover: io.inputs[a.cover]![COVER_OUTPUT.image]!.path } : {}),
          ...(srt !== undefined && srt.trim() !== "" ? { srt, subtitleLanguage: p.soft! } : {}),
        },
        out,
        mediaRun(io),
      ),
    );
    await io.output(DELIVER_OUTPUT.video, { file: out });
    await io.output(DELIVER_OUTPUT.report, { bytes: JSON.stringify(done) });
  },
};
