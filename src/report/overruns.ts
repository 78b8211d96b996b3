/**
 * Scenes whose spoken lines ran past their `seconds`, as warnings that point
 * at the scene in drama.yaml (file:line:col), one per scene. Read from the
 * built storyboard's lengths, so a cached build says it too.
 */
import { readFile } from "node:fs/promises";
import { displayPath } from "../project/diagnostic.js";
import { parseSource, spanAt } from "../project/source.js";
import { overruns } from "./storyboard/from-build.js";
import type { StoryboardModel } from "./storyboard/model.js";

export async function overrunWarnings(model: StoryboardModel, projectFile: string | undefined, series: boolean, cwd = process.cwd()): Promise<string[]> {
  const over = overruns(model);
  if (!over.length) return [];
  let where = (_index: number) => (projectFile ? displayPath(projectFile, cwd) : "drama.yaml");
  // A single-episode project's scenes are `scenes[i]`; a series' live in episodes and includes, named by file only.
  if (projectFile && !series) {
    const text = await readFile(projectFile, "utf8").catch(() => undefined);
    if (text !== undefined) {
      const src = parseSource(projectFile, text);
      const shown = displayPath(projectFile, cwd);
      where = (index) => {
        const { line, col } = src.lines.linePos(spanAt(src, ["scenes", index - 1], "value").offset);
        return `${shown}:${line}:${col}`;
      };
    }
  }
  const s = (n: number) => `${Math.round(n * 10) / 10} s`;
  return over.map((o) => `${where(o.index)}: warning: scene ${o.id} runs ${s(o.actual)}, past its ${s(o.planned)}: its spoken lines are longer (shorten them, or raise seconds)`);
}
