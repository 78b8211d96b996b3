/**
 * Scenes whose spoken lines ran past their `seconds`, as warnings that point
 * at the scene where it is written (file:line:col), one per scene: in
 * drama.yaml, or in a series at the episode's own file (`episodes/02.yaml`)
 * or its entry under `episodes:`. Read from the built storyboard's lengths,
 * so a cached build says it too.
 */
import { readFile } from "node:fs/promises";
import { displayPath } from "../project/diagnostic.js";
import { parseSource, spanAt, type PathSegment, type SourceFile } from "../project/source.js";
import { overruns } from "./storyboard/from-build.js";
import type { StoryboardModel } from "./storyboard/model.js";

/** What the warnings need of the project: its file and, in a series, the file each episode is written in. */
export interface OverrunProject {
  readonly file: string;
  readonly series: boolean;
  readonly episodes: readonly { readonly id?: string | undefined; readonly file: string }[];
}

/** The path of an episode's `scenes:` in its file: the file's own (an episode file), or its entry under `episodes:`. */
export function scenesPath(src: SourceFile, episode: string | undefined): PathSegment[] | undefined {
  const data = src.doc.toJS() as { id?: unknown; scenes?: unknown; episodes?: unknown } | null;
  if (!data || typeof data !== "object") return undefined;
  if (episode === undefined || (data.id === episode && Array.isArray(data.scenes))) return ["scenes"];
  if (!Array.isArray(data.episodes)) return undefined;
  const at = data.episodes.findIndex((e: unknown) => e !== null && typeof e === "object" && (e as { id?: unknown }).id === episode);
  return at < 0 ? undefined : ["episodes", at, "scenes"];
}

export async function overrunWarnings(model: StoryboardModel, project: OverrunProject | undefined, episode?: string, cwd = process.cwd()): Promise<string[]> {
  const over = overruns(model);
  if (!over.length) return [];
  const file = (project?.series ? project.episodes.find((e) => e.id === episode)?.file : undefined) ?? project?.file;
  let where = (_index: number) => (file ? displayPath(file, cwd) : "drama.yaml");
  if (file) {
    const text = await readFile(file, "utf8").catch(() => undefined);
    const src = text === undefined ? undefined : parseSource(file, text);
    const scenes = src && scenesPath(src, project?.series ? episode : undefined);
    if (src && scenes) {
      const shown = displayPath(file, cwd);
      where = (index) => {
        const { line, col } = src.lines.linePos(spanAt(src, [...scenes, index - 1], "value").offset);
        return `${shown}:${line}:${col}`;
      };
    }
  }
  const s = (n: number) => `${Math.round(n * 10) / 10} s`;
  // A multi-shot scene's length is its shots' (each line starts on its shot): the last shot's lines ran on past it.
  return over.map((o) =>
    o.shots
      ? `${where(o.index)}: warning: scene ${o.id} runs ${s(o.actual)}, past its shots' ${s(o.planned)}: its lines run on past its last shot (shorten them, or raise a shot's seconds)`
      : `${where(o.index)}: warning: scene ${o.id} runs ${s(o.actual)}, past its ${s(o.planned)}: its spoken lines are longer (shorten them, or raise seconds)`,
  );
}
