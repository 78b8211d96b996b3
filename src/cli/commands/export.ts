/**
 * `dramake export <mlt|otio|fcpxml|edl|stems> [project] [-t episode/02] [-o dir]`:
 * a built episode as an editor's timeline (or its sound as WAV stems), with
 * the media it references beside it (src/report/export/).
 */
import { GRAPH_FLAGS, PROJECT_ARG } from "../flags.js";
import { defineCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../command.js";
import { projectTarget, usageError } from "../options.js";
import { loadGraph } from "../graph-loading.js";
import { shownPath } from "../paths.js";

const FORMATS = ["mlt", "otio", "fcpxml", "edl", "stems"] as const;
type Format = (typeof FORMATS)[number];

const command = defineCommand({
  name: "export",
  summary: "a built episode as an editor's timeline (MLT for Shotcut/Kdenlive, OTIO, FCPXML, EDL) or as WAV stems, with its media",
  details:
    "The episode must be built and current (run 'dramake build' first).\n" +
    "The export directory holds the media the timeline references, hard-linked from the cache (copied across file systems), by relative paths: zip it and open it anywhere. " +
    "Exporting an unchanged episode again rewrites nothing.",
  args: [
    { name: "format", required: true, description: FORMATS.join("|") },
    PROJECT_ARG,
  ],
  flags: {
    ...GRAPH_FLAGS,
    target: { short: "t", value: "EPISODE", multiple: true, description: "a series' episode (episode/<id>); repeatable (default: every episode)" },
    output: { short: "o", value: "DIR", description: "where to write (default: build/export in the project)" },
  },
  async run(input): Promise<number> {
    const [format, dir] = input.args as [string, string | undefined];
    if (!(FORMATS as readonly string[]).includes(format)) return usageError(command, `unknown format '${format}': one of ${FORMATS.join(", ")}`);
    const where = projectTarget(dir);
    if (!where.ok) return usageError(command, where.error.message);
    const v = input.flags;
    const graph = await loadGraph(where.value.target, { offline: v.offline, spends: false, json: false });
    if (!graph) return EXIT_USAGE;
    const drama = graph.layout!;
    const { resolve } = await import("node:path");
    const episodes = [];
    for (const t of v.target) {
      const name = t.replace(/\/+$/, "");
      const ep = drama.episodes.find((e) => e.view.ids.prefix === `${name}/`);
      if (!ep) {
        const known = drama.series ? drama.episodes.map((e) => e.view.ids.prefix.slice(0, -1)).join(", ") : "none: this project is one episode";
        return usageError(command, `-t ${t}: no such episode (episodes: ${known})`);
      }
      episodes.push(ep);
    }
    const chosen = episodes.length > 0 ? episodes : drama.episodes;
    const out = v.output !== undefined ? resolve(v.output) : resolve(graph.root, "build", "export");
    const { exportEpisode } = await import("../../report/export/export.js");
    let code = EXIT_OK;
    for (const episode of chosen) {
      const r = await exportEpisode(graph, drama, episode, format as Format, out);
      if (!r.ok) {
        process.stderr.write(`dramake export: ${r.error.message}\n`);
        code = r.error.kind === "not-built" ? EXIT_USAGE : EXIT_FAILED;
        continue;
      }
      if (!input.quiet) {
        const n = r.value.written.length;
        process.stderr.write(`${shownPath(r.value.main)}: ${n === 0 ? "unchanged" : `${n} file${n === 1 ? "" : "s"} written`}\n`);
      }
    }
    return code;
  },
});
export default command;
