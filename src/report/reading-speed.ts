/**
 * Lines spoken faster than viewers can read their captions (issue 32), as
 * warnings at the line where it is written (file:line:col): read from each
 * subtitles step's `fast` output, as drama.lock names it, so a cached build
 * says it too. Not errors: a fast line still shows every word, just quickly.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { layout as engineLayout } from "../engine/layout.js";
import { readLockfile } from "../engine/lockfile.js";
import { displayPath } from "../project/diagnostic.js";
import { parseSource, spanAt, type SourceFile } from "../project/source.js";
import type { DramaLayout } from "../graph/layout.js";
import { scenesPath, type OverrunProject } from "./overruns.js";

export async function readingSpeedWarnings(root: string, drama: DramaLayout, project: OverrunProject | undefined, cwd = process.cwd()): Promise<string[]> {
  const lock = await readLockfile(engineLayout(root).lockfile).catch(() => undefined);
  if (!lock) return [];
  const objects = engineLayout(root).objects;
  const sources = new Map<string, SourceFile | undefined>();
  const source = async (file: string) => {
    if (!sources.has(file)) sources.set(file, await readFile(file, "utf8").then((t) => parseSource(file, t), () => undefined));
    return sources.get(file);
  };
  const out: string[] = [];
  for (const ep of drama.episodes) {
    const file = (project?.series ? project.episodes.find((e) => e.id === ep.view.id)?.file : undefined) ?? project?.file;
    for (const place of ep.scenes) {
      const digest = lock.get(ep.view.ids.subtitles(place.scene.id))?.outputs.fast?.digest;
      if (!digest) continue;
      const fast = JSON.parse(await readFile(join(objects, digest.slice(0, 2), digest.slice(2)), "utf8").catch(() => "[]")) as { index: number; pace: number }[];
      for (const f of fast) {
        let where = file ? displayPath(file, cwd) : "drama.yaml";
        const src = file ? await source(file) : undefined;
        const scenes = src && scenesPath(src, project?.series ? ep.view.id : undefined);
        if (src && scenes) {
          // The line as written; a generated or narrated scene's captions point at the scene.
          const at = place.scene.lines && !place.scene.shots ? [...scenes, place.index - 1, "lines", f.index] : [...scenes, place.index - 1];
          const { line, col } = src.lines.linePos(spanAt(src, at, "value").offset);
          where = `${displayPath(file!, cwd)}:${line}:${col}`;
        }
        out.push(
          `${where}: warning: scene ${place.scene.id} line ${f.index + 1} is spoken ${f.pace.toFixed(1)}x faster than its captions can be read (shorten it, give the scene more seconds, or raise subtitles.cps)`,
        );
      }
    }
  }
  return out;
}
