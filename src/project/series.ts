/**
 * A project's other files and its episodes: the files `include:` names
 * (more cast, more episodes), each episode inline or in its own file, checked
 * where they are written. A project has either `scenes:` (one episode, format
 * 1 as before) or `episodes:` (a series); its episodes share the series' cast,
 * format, providers and budget, and may add cast and set their own style,
 * music and budget.
 *
 * Order: the project file's episodes first, then those of each included file
 * in `include:` order (depth first).
 */
import path from "node:path";
import type { Diagnostic } from "./diagnostic.js";
import type { Env } from "./env.js";
import { checkFiles, checkScenes, checkVoices, withVoiceSample } from "./checks.js";
import { newIncludeTally, readIncluded } from "./includes.js";
import type { CastMember, Episode } from "./schema.js";
import { castMemberSchema, episodeSchema, ID_PATTERN, includeFileSchema } from "./schema.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt, rootedSource, spanAt } from "./source.js";
import { closest } from "./suggest.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === "string" && ID_PATTERN.test(v);

/** A file's data and where it is written. */
interface Place {
  readonly src: SourceFile;
  /** Path of the value inside its file (`[]` for an episode file). */
  readonly at: readonly PathSegment[];
  readonly data: unknown;
  readonly fromEnv: ReadonlySet<string>;
}

export interface SeriesInput {
  readonly src: SourceFile;
  readonly dir: string;
  /** The project file's data after interpolation. */
  readonly data: unknown;
  readonly fromEnv: ReadonlySet<string>;
  readonly env: Env;
  /** A project being written (`write`): no scenes yet is fine. */
  readonly draft: boolean;
}

export interface SeriesParts {
  readonly diagnostics: Diagnostic[];
  /** Every cast member's raw data, the project file's and the included files', for cross-checks. */
  readonly castRaw: Obj;
  /**
   * An included file could not be read: the cast it would have brought is
   * unknown, so "unknown cast member" complaints are its echo, not news.
   */
  readonly incomplete: boolean;
  /** Included files (absolute), in the order read. */
  readonly included: string[];
  /** Files referenced from included files and episodes (project-relative, normalized). */
  readonly files: string[];
  readonly envNames: string[];
  /** Cast from included files, validated, file references normalized. */
  readonly cast: Record<string, CastMember>;
  /** Set when the project has `episodes:`: every episode validated, file references normalized. */
  readonly episodes?: { readonly episode: Episode; readonly file: string }[];
}

/** Typos are reported by each file's own schema check; the cross-checks of included parts have none to skip. */
const NONE: ReadonlySet<string> = new Set();

/** The paths of `fromEnv` below `at`, relative to it: what a check rooted there sees. */
function rebase(fromEnv: ReadonlySet<string>, at: readonly PathSegment[]): Set<string> {
  if (at.length === 0) return new Set(fromEnv);
  const out = new Set<string>();
  for (const key of fromEnv) {
    const p = JSON.parse(key) as PathSegment[];
    if (at.every((seg, i) => p[i] === seg)) out.add(JSON.stringify(p.slice(at.length)));
  }
  return out;
}

function lineOf(src: SourceFile, at: readonly PathSegment[], target: "key" | "value"): number {
  return src.lines.linePos(spanAt(src, at, target).offset).line;
}

function where(place: { src: SourceFile }, dir: string, line: number): string {
  return `${path.relative(dir, place.src.file) || path.basename(place.src.file)}:${line}`;
}

/** `scences:` is reported as an unknown key with its "did you mean"; "no scenes" would say the same twice. */
function misspelt(data: Obj): boolean {
  return Object.keys(data).some((key) => key !== "scenes" && key !== "episodes" && closest(key, ["scenes", "episodes"]) !== undefined);
}

export async function loadSeries(input: SeriesInput): Promise<SeriesParts> {
  const { dir, env } = input;
  const diagnostics: Diagnostic[] = [];
  const included: string[] = [];
  const envNames = new Set<string>();
  const castPlaces: { id: string; place: Place }[] = [];
  const episodePlaces: Place[] = [];
  const fragments: Place[] = [];

  let incomplete = false;
  const tally = newIncludeTally();
  const walk = async (place: Place, chain: readonly string[]): Promise<void> => {
    const data = place.data;
    if (!isObj(data)) return;
    if (Array.isArray(data.episodes)) {
      for (const [k, entry] of data.episodes.entries()) {
        const at = [...place.at, "episodes", k];
        if (isObj(entry) && typeof entry.include === "string" && Object.keys(entry).length === 1) {
          const f = await readIncluded({ dir, from: place.src, at: [...at, "include"], ref: entry.include, chain, schema: episodeSchema, env, tally }, diagnostics);
          if (!f) continue;
          included.push(f.file);
          f.envNames.forEach((n) => envNames.add(n));
          if (f.data !== undefined) episodePlaces.push({ src: f.src, at: [], data: f.data, fromEnv: f.fromEnv });
        } else episodePlaces.push({ src: place.src, at, data: entry, fromEnv: rebase(place.fromEnv, ["episodes", k]) });
      }
    }
    if (Array.isArray(data.include)) {
      for (const [k, ref] of data.include.entries()) {
        if (typeof ref !== "string" || ref.trim() === "") continue;
        const f = await readIncluded({ dir, from: place.src, at: [...place.at, "include", k], ref, chain, schema: includeFileSchema, env, tally }, diagnostics);
        if (!f || f.data === undefined) incomplete = true;
        if (!f) continue;
        included.push(f.file);
        f.envNames.forEach((n) => envNames.add(n));
        const fragment: Place = { src: f.src, at: [], data: f.data, fromEnv: f.fromEnv };
        fragments.push(fragment);
        if (isObj(f.data) && isObj(f.data.cast)) for (const id of Object.keys(f.data.cast)) castPlaces.push({ id, place: fragment });
        await walk(fragment, [...chain, f.file]);
      }
    }
  };

  const main: Place = { src: input.src, at: [], data: input.data, fromEnv: input.fromEnv };
  const mainData = isObj(input.data) ? input.data : {};
  await walk(main, [input.src.file]);

  // One definition per cast member across files: the first one read wins, a later one is the mistake.
  const castRaw: Obj = { ...(isObj(mainData.cast) ? mainData.cast : {}) };
  const castFrom = new Map<string, Place>(Object.keys(castRaw).map((id) => [id, main]));
  for (const { id, place } of castPlaces) {
    const first = castFrom.get(id);
    if (first) {
      const line = lineOf(first.src, [...first.at, "cast", id], "key");
      diagnostics.push(
        diagnosticAt(place.src, ["cast", id], "key", {
          code: "duplicate-id",
          message: `cast member '${id}' is already defined (${where(first, dir, line)})`,
          allowed: "each cast id defined once across the project's files",
        }),
      );
      continue;
    }
    castFrom.set(id, place);
    castRaw[id] = (place.data as { cast: Obj }).cast[id];
  }

  const hasScenes = mainData.scenes !== undefined;
  if (hasScenes && episodePlaces.length > 0) {
    const at = mainData.episodes !== undefined ? ["episodes"] : ["include"];
    diagnostics.push(
      diagnosticAt(input.src, at, "key", {
        code: "scenes-and-episodes",
        message: "this project has both scenes and episodes",
        allowed: "either scenes: (one episode) or episodes: (a series), not both",
      }),
    );
  } else if (!input.draft && isObj(input.data) && !hasScenes && episodePlaces.length === 0 && mainData.episodes === undefined && !misspelt(mainData)) {
    diagnostics.push(
      diagnosticAt(input.src, ["title"], "key", {
        code: "no-scenes",
        message: "the project has no scenes",
        allowed: "scenes: (a list of scenes) or episodes: (a list of episodes, each with its scenes)",
      }),
    );
  }

  const files: string[] = [];
  const cast: Record<string, CastMember> = {};
  const providers = mainData.providers;
  for (const fragment of fragments) {
    const data = isObj(fragment.data) ? fragment.data : {};
    const own: Obj = {};
    for (const [id, member] of Object.entries(isObj(data.cast) ? data.cast : {})) if (castFrom.get(id) === fragment) own[id] = member;
    const ctx = { src: fragment.src, dir, data: { cast: own, providers }, fromEnv: fragment.fromEnv, mistyped: NONE };
    diagnostics.push(...checkVoices({ ...ctx, data: { ...ctx.data, use: mainData.use } }));
    const checked = await checkFiles(ctx);
    diagnostics.push(...checked.diagnostics);
    files.push(...checked.files);
    for (const [id, member] of Object.entries(own)) {
      const parsed = castMemberSchema.safeParse(member);
      if (!parsed.success) continue;
      const reference = checked.normalized.get(JSON.stringify(["cast", id, "reference"]));
      const withRef = reference === undefined ? parsed.data : { ...parsed.data, reference };
      cast[id] = withVoiceSample(withRef, () => checked.normalized.get(JSON.stringify(["cast", id, "voice", "sample"])));
    }
  }

  const seenEpisodes = new Map<string, Place>();
  const episodes: { episode: Episode; file: string }[] = [];
  for (const place of episodePlaces) {
    const data = isObj(place.data) ? place.data : {};
    const src = rootedSource(place.src, place.at);
    if (isId(data.id)) {
      const first = seenEpisodes.get(data.id);
      if (first) {
        diagnostics.push(
          diagnosticAt(src, ["id"], "value", {
            code: "duplicate-id",
            message: `duplicate episode id '${data.id}' (first used at ${where(first, dir, lineOf(rootedSource(first.src, first.at), ["id"], "value"))})`,
            allowed: "an episode id used once in the series",
          }),
        );
      } else seenEpisodes.set(data.id, place);
    }
    const additions = isObj(data.cast) ? data.cast : {};
    for (const id of Object.keys(additions)) {
      const first = castFrom.get(id);
      if (!first) continue;
      diagnostics.push(
        diagnosticAt(src, ["cast", id], "key", {
          code: "duplicate-id",
          message: `cast member '${id}' is already in the series' cast (${where(first, dir, lineOf(first.src, [...first.at, "cast", id], "key"))})`,
          allowed: "a new cast id: an episode adds cast members, it does not redefine them",
        }),
      );
    }
    const ctx = { src, dir, data: { scenes: data.scenes, cast: { ...castRaw, ...additions }, music: data.music, providers }, fromEnv: rebase(place.fromEnv, []), mistyped: NONE };
    diagnostics.push(...checkScenes(ctx), ...checkVoices({ ...ctx, data: { cast: additions, providers, use: mainData.use } }));
    const checked = await checkFiles({ ...ctx, data: { cast: additions, music: data.music } });
    diagnostics.push(...checked.diagnostics);
    files.push(...checked.files);
    const parsed = episodeSchema.safeParse(data);
    if (!parsed.success) continue;
    const e = parsed.data;
    const normal = (at: PathSegment[]) => checked.normalized.get(JSON.stringify(at));
    const music = e.music && "file" in e.music ? { file: normal(["music", "file"]) ?? e.music.file } : e.music;
    const epCast = e.cast
      ? Object.fromEntries(Object.entries(e.cast).map(([id, m]) => [id, withVoiceSample(m.reference === undefined ? m : { ...m, reference: normal(["cast", id, "reference"]) ?? m.reference }, () => normal(["cast", id, "voice", "sample"]))]))
      : undefined;
    episodes.push({ episode: { ...e, ...(music ? { music } : {}), ...(epCast ? { cast: epCast } : {}) }, file: place.src.file });
  }

  return {
    diagnostics: incomplete ? diagnostics.filter((d) => d.code !== "unknown-cast") : diagnostics,
    castRaw,
    incomplete,
    included: [...new Set(included)],
    files,
    envNames: [...envNames],
    cast,
    ...(!hasScenes && (mainData.episodes !== undefined || episodePlaces.length > 0) ? { episodes } : {}),
  };
}
