/**
 * One episode exported in one format: read the episode back from the
 * build (graph/timeline.ts), make it a Timeline, fill the export directory with its media, write the timeline (or
 * the stems) beside them.
 */
import { join } from "node:path";
import type { EngineGraph } from "../../engine/index.js";
import type { DramaLayout, EpisodeLayout } from "../../graph/layout.js";
import { describeFailure } from "../../media/index.js";
import { err, ok, type Result } from "../../result.js";
import { edlText } from "./edl.js";
import { fcpxmlText } from "./fcpxml.js";
import { writeMedia, writeText, type Written } from "./files.js";
import { builtEpisode, type NotBuilt } from "../../graph/timeline.js";
import { timelineOf } from "./from-build.js";
import { mltXml } from "./mlt.js";
import { otioJson } from "./otio.js";
import { writeStems } from "./stems.js";
import { timelineProblems, type Timeline } from "./timeline.js";

export type ExportFormat = "mlt" | "otio" | "fcpxml" | "edl" | "stems";
export type ExportFailure = NotBuilt | { readonly kind: "failed"; readonly message: string };

const WRITERS: Record<Exclude<ExportFormat, "stems">, { ext: string; text: (t: Timeline) => string }> = {
  mlt: { ext: "mlt", text: mltXml },
  otio: { ext: "otio", text: otioJson },
  fcpxml: { ext: "fcpxml", text: fcpxmlText },
  edl: { ext: "edl", text: edlText },
};

export async function exportEpisode(
  graph: EngineGraph & { readonly root: string },
  drama: DramaLayout,
  episode: EpisodeLayout,
  format: ExportFormat,
  dir: string,
): Promise<Result<Written & { main: string }, ExportFailure>> {
  const built = await builtEpisode(graph, drama, episode);
  if (!built.ok) return built;
  const t = timelineOf(episode, built.value);
  const problems = timelineProblems(t);
  if (problems.length > 0) return err({ kind: "failed", message: `${episode.final.step}: the build does not add up: ${problems.join("; ")}` });
  const written: Written = { written: [], unchanged: [] };
  const signal = AbortSignal.timeout(600_000);
  if (format === "stems") {
    const r = await writeStems(built.value, t, dir, signal, written);
    if (!r.ok) return err({ kind: "failed", message: `stems of ${episode.final.step}: ${describeFailure(r.error)}` });
    return ok({ ...written, main: join(dir, r.value) });
  }
  // Timelines reference the picture and its sound; stems are their own media.
  const media = await writeMedia(dir, t.media, signal, written);
  if (!media.ok) return err({ kind: "failed", message: `media of ${episode.final.step}: ${describeFailure(media.error)}` });
  const w = WRITERS[format];
  const name = `${t.stem}.${w.ext}`;
  await writeText(dir, name, w.text(t), written);
  return ok({ ...written, main: join(dir, name) });
}
