/**
 * The loaded project: the validated file with defaults applied, plus what
 * the rest of dramake needs resolved once (paths, slug, the output format,
 * providers with the built-in offline one, referenced files). API keys live
 * only in `secrets`, which prints as "[secrets]" and never serializes.
 */
import { availableParallelism } from "node:os";
import { inspect } from "node:util";
import type { Diagnostic } from "./diagnostic.js";
import { sizeForAspect, withVoiceSample } from "./checks.js";
import type { CastMember, Drama, Episode, Line, Modality, Music, ProviderConfig, Scene, Shot, Transition } from "./schema.js";
import { DEFAULT_MODELS, MODALITIES, OFFLINE } from "./schema.js";
import { kebab, projectSlug } from "./slug.js";
import type { CardsConfig, CoverConfig } from "./finishing.js";

export interface ResolvedFormat {
  readonly aspect: string;
  readonly size: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export interface ResolvedProvider {
  readonly name: string;
  readonly type: ProviderConfig["type"];
  /** Only for remote providers. */
  readonly base_url?: string;
  readonly concurrency: Readonly<Record<Modality, number>>;
  /** As written, or DEFAULT_MODELS for a remote provider written without `models`. */
  readonly models: NonNullable<ProviderConfig["models"]>;
  /** How clips and music are made (remote providers only; see the schema's descriptions). */
  readonly video_api?: NonNullable<ProviderConfig["video_api"]>;
  readonly video_path?: string;
  readonly music_api?: NonNullable<ProviderConfig["music_api"]>;
  readonly image_input?: NonNullable<ProviderConfig["image_input"]>;
  /** Per-modality base URLs that differ from `base_url` (their keys are in `project.secrets`). */
  readonly endpoints: Readonly<Partial<Record<Modality, string>>>;
  readonly prices: NonNullable<ProviderConfig["prices"]>;
  readonly timeout_seconds: number;
  readonly max_attempts: number;
  /** Whether an API key was configured (its value is in `project.secrets`). */
  readonly has_api_key: boolean;
  /** Model limits declared in the project (video presets; issue 27's shape). */
  readonly capabilities?: NonNullable<ProviderConfig["capabilities"]>;
  /** The upload store's URL templates; its token is in `project.secrets`. */
  readonly uploads?: { readonly put: string; readonly get: string };
  /** A user's lip-sync job mapping (issue 29), for a service without a preset. */
  readonly lipsync_api?: NonNullable<ProviderConfig["lipsync_api"]>;
}

export interface ResolvedScene extends Omit<Scene, "cast" | "shots"> {
  /** The scene's cast: as written, or its speakers (and those its shots put `on` screen) in order of appearance. */
  readonly cast: string[];
  /**
   * The shots as written (issue 27), resolved; undefined for a scene without
   * `shots:` (src/graph/plan/shots.ts decides how such a scene is cut). With
   * shots, `lines` is every shot's lines in order, so voices stay numbered
   * across the scene (`voice/<n>`) and moving a line between shots keeps its voice.
   */
  readonly shots?: readonly ResolvedShot[];
}

/** One written shot, defaults applied. */
export interface ResolvedShot extends Omit<Shot, "id" | "camera" | "on" | "lines" | "transition"> {
  /** As written, else its 1-based position ("1", "2", ...): step ids end `shot/<id>/...`. */
  readonly id: string;
  /** 1-based position in the scene. */
  readonly index: number;
  /** Its own camera, else the scene's. */
  readonly camera: string;
  /** Cast in frame: as written, else the speakers of its lines, else the scene's cast. */
  readonly on: readonly string[];
  /** Its lines (possibly none). */
  readonly lines: readonly Line[];
  /** Index in the scene's `lines` of its first line (where its lines would start when it has none). */
  readonly firstLine: number;
  /** Into this shot; `cut` when not written. */
  readonly transition: Transition;
}

/** API keys by provider name (and modality, for `endpoints`). Not enumerable, not serializable, not inspectable. */
export class ProjectSecrets {
  readonly #apiKeys: ReadonlyMap<string, string>;
  /** Keyed by provider name, or `name:modality` for a modality's own key. */
  constructor(apiKeys: ReadonlyMap<string, string>) {
    this.#apiKeys = apiKeys;
  }
  /** The provider's key, or with a modality the key its endpoint uses (its own, else the provider's). */
  apiKey(provider: string, modality?: Modality): string | undefined {
    return (modality ? this.#apiKeys.get(`${provider}:${modality}`) : undefined) ?? this.#apiKeys.get(provider);
  }
  /** A video preset's other secrets: Kling's access and secret keys, the upload store's token. */
  credential(provider: string, field: "access_key" | "secret_key" | "upload_token"): string | undefined {
    return this.#apiKeys.get(`${provider}#${field}`);
  }
  toJSON(): string {
    return "[secrets]";
  }
  toString(): string {
    return "[secrets]";
  }
  [inspect.custom](): string {
    return "[secrets]";
  }
}

/**
 * One episode, resolved: a format-1 project has exactly one, without an id;
 * a series (`episodes:`) one per entry, in order.
 */
export interface ResolvedEpisode {
  /** The episode id; undefined for a format-1 project's only episode. */
  readonly id?: string;
  /** 1-based position in the series. */
  readonly number: number;
  readonly title: string;
  /** ASCII kebab-case of the title (else of the id), for its video's name. */
  readonly slug: string;
  /** Its own theme, else the series'. */
  readonly theme: string;
  readonly premise?: string;
  /** Its own style, else the series'. */
  readonly style: string;
  /** Its own music; undefined: the series' music. */
  readonly music?: Music;
  readonly budget?: number;
  /** Cast members only this episode has (the series' cast is project.cast). */
  readonly cast: Readonly<Record<string, CastMember>>;
  readonly scenes: ResolvedScene[];
  /** Its cards: the series' `cards:` with the episode's own keys over them (issue 32). */
  readonly cards?: CardsConfig;
  /** Its own cover, else the series'. */
  readonly cover?: CoverConfig;
  /** Absolute path of the file the episode is written in. */
  readonly file: string;
}

export interface Project extends Omit<Drama, "format" | "providers" | "scenes" | "episodes" | "include" | "$schema"> {
  /** Absolute path of drama.yaml. */
  readonly file: string;
  /** Absolute project directory: `.dramake/`, `build/` and `drama.lock` live here. */
  readonly dir: string;
  /** Kebab-case name for outputs from the title, letters of any script kept: `grandpas-new-year-surprise`, `茶馆奇缘` (see slug.ts). */
  readonly slug: string;
  readonly format: ResolvedFormat;
  /** True for an `episodes:` project; false for a format-1 project (one episode, `scenes:`). */
  readonly series: boolean;
  readonly episodes: readonly ResolvedEpisode[];
  /**
   * Every scene in order: a format-1 project's scenes, or all episodes' one
   * after another. For counting and reading; what steps a scene yields is
   * src/graph's business, which walks `episodes` (scene ids are unique only
   * within an episode).
   */
  readonly scenes: readonly ResolvedScene[];
  /** The project file and every file it includes (absolute), for watch and the no-op check. */
  readonly projectFiles: readonly string[];
  /** Every defined provider plus the built-in `offline`, keyed by name. */
  readonly providers: Readonly<Record<string, ResolvedProvider>>;
  /** Project-relative paths (forward slashes) of every file the project references, sorted. */
  readonly referencedFiles: string[];
  readonly secrets: ProjectSecrets;
  /** Problems that did not stop loading (printed by `validate`, ignored by builds). */
  readonly warnings: Diagnostic[];
  /** Environment variables read into the project (never an API key's), sorted: a new value may change the build. */
  readonly envNames: readonly string[];
}

/** An episode's cards: the series' with the episode's own keys (and takes) over them. */
function episodeCards(series: CardsConfig | undefined, own: CardsConfig | undefined): { cards?: CardsConfig } {
  if (!series && !own) return {};
  const take = series?.take || own?.take ? { take: { ...series?.take, ...own?.take } } : {};
  return { cards: { ...series, ...own, ...take } };
}

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

const OPENAI_CONCURRENCY: Record<Modality, number> = { text: 8, image: 4, speech: 8, video: 2, music: 1, lipsync: 2, transcribe: 4 };

function resolveFormat(format: Drama["format"]): ResolvedFormat {
  const fps = format.fps;
  if (format.size) {
    const [width, height] = format.size.split("x").map(Number) as [number, number];
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    const aspect = format.aspect ?? `${width / gcd(width, height)}:${height / gcd(width, height)}`;
    return { aspect, size: format.size, width, height, fps };
  }
  const aspect = format.aspect ?? "9:16";
  const [aw, ah] = aspect.split(":").map(Number) as [number, number];
  const { width, height } = sizeForAspect(aw, ah);
  return { aspect, size: `${width}x${height}`, width, height, fps };
}

function resolveProvider(name: string, config: ProviderConfig): ResolvedProvider {
  const remote = config.type !== "offline";
  const base = remote ? OPENAI_CONCURRENCY : Object.fromEntries(MODALITIES.map((m) => [m, Math.max(1, availableParallelism())]));
  const concurrency = Object.fromEntries(MODALITIES.map((m) => [m, config.concurrency[m] ?? base[m]!])) as Record<Modality, number>;
  return {
    name,
    type: config.type,
    ...(config.type === "openai" ? { base_url: config.base_url ?? OPENAI_BASE_URL } : config.base_url !== undefined && remote ? { base_url: config.base_url } : {}),
    concurrency,
    models: config.models ?? (config.type === "openai" ? DEFAULT_MODELS : {}),
    ...(remote && config.video_api !== undefined ? { video_api: config.video_api } : {}),
    ...(remote && config.video_path !== undefined ? { video_path: config.video_path } : {}),
    ...(remote && config.music_api !== undefined ? { music_api: config.music_api } : {}),
    ...(remote && config.image_input !== undefined ? { image_input: config.image_input } : {}),
    endpoints: Object.fromEntries(
      MODALITIES.flatMap((m) => {
        const url = config.endpoints?.[m]?.base_url;
        return remote && url ? [[m, url]] : [];
      }),
    ),
    prices: config.prices ?? {},
    timeout_seconds: config.timeout_seconds ?? (remote ? 600 : 300),
    max_attempts: config.max_attempts ?? (remote ? 4 : 1),
    has_api_key: Boolean(config.api_key),
    ...(config.capabilities !== undefined ? { capabilities: config.capabilities } : {}),
    ...(config.uploads !== undefined ? { uploads: { put: config.uploads.put, get: config.uploads.get } } : {}),
    ...(remote && config.lipsync_api !== undefined ? { lipsync_api: config.lipsync_api } : {}),
  };
}

function sceneCast(scene: Scene): string[] {
  if (scene.cast) return scene.cast;
  if (scene.shots) return [...new Set(scene.shots.flatMap((shot) => [...(shot.lines ?? []).map((line: Line) => line.speaker), ...(shot.on ?? [])]))];
  return [...new Set((scene.lines ?? []).map((line: Line) => line.speaker))];
}

/** A scene with its shots resolved (see ResolvedScene.shots); a scene without shots is returned as it is. */
function resolveScene(scene: Scene): ResolvedScene {
  const { shots, ...rest } = scene;
  const cast = sceneCast(scene);
  if (!shots) return { ...rest, cast };
  let firstLine = 0;
  const resolved = shots.map((shot, i): ResolvedShot => {
    const lines = shot.lines ?? [];
    const speakers = [...new Set(lines.map((line) => line.speaker))];
    const out: ResolvedShot = {
      ...shot,
      id: shot.id ?? String(i + 1),
      index: i + 1,
      camera: shot.camera ?? scene.camera,
      on: shot.on ?? (speakers.length ? speakers : cast),
      lines,
      firstLine,
      transition: shot.transition ?? "cut",
    };
    firstLine += lines.length;
    return out;
  });
  const lines = resolved.flatMap((shot) => shot.lines);
  return { ...rest, cast, ...(lines.length ? { lines } : {}), shots: resolved };
}

export interface ResolveInput {
  readonly drama: Drama;
  readonly file: string;
  readonly dir: string;
  readonly referencedFiles: string[];
  /** Normalized path per file reference, keyed by the JSON of its value path. */
  readonly normalizedFiles: ReadonlyMap<string, string>;
  readonly warnings: Diagnostic[];
  readonly envNames: readonly string[];
  /** A series: the episodes from every file, validated, their file references already normalized. */
  readonly series?: { readonly episodes: readonly { readonly episode: Episode; readonly file: string }[] };
  /** Cast from included files, validated, file references normalized. */
  readonly includedCast?: Readonly<Record<string, CastMember>>;
  /** Files included (absolute). */
  readonly included?: readonly string[];
  /** Treat every modality as offline (`build --offline`). */
  readonly offline: boolean;
}

export function resolveProject(input: ResolveInput): Project {
  const { drama } = input;
  const { $schema: _schema, format, providers: configured, scenes, episodes: _episodes, include: _include, ...rest } = drama;
  const providers: Record<string, ResolvedProvider> = {};
  const apiKeys = new Map<string, string>();
  for (const [name, config] of Object.entries(configured)) {
    providers[name] = resolveProvider(name, config);
    if (config.api_key) apiKeys.set(name, config.api_key);
    if (config.access_key) apiKeys.set(`${name}#access_key`, config.access_key);
    if (config.secret_key) apiKeys.set(`${name}#secret_key`, config.secret_key);
    if (config.uploads?.token) apiKeys.set(`${name}#upload_token`, config.uploads.token);
    for (const m of MODALITIES) {
      const key = config.endpoints?.[m]?.api_key;
      if (key) apiKeys.set(`${name}:${m}`, key);
    }
  }
  providers[OFFLINE] ??= resolveProvider(OFFLINE, { type: "offline", concurrency: {} });
  const use = input.offline ? (Object.fromEntries(MODALITIES.map((m) => [m, OFFLINE])) as Drama["use"]) : drama.use;
  const file = (at: (string | number)[], written: string): string => input.normalizedFiles.get(JSON.stringify(at)) ?? written;
  const cast: Record<string, CastMember> = {};
  for (const [id, member] of Object.entries(rest.cast)) {
    const withRef = member.reference === undefined ? member : { ...member, reference: file(["cast", id, "reference"], member.reference) };
    cast[id] = withVoiceSample(withRef, (written) => file(["cast", id, "voice", "sample"], written));
  }
  Object.assign(cast, input.includedCast);
  const music = rest.music && "file" in rest.music ? { file: file(["music", "file"], rest.music.file) } : rest.music;
  const resolveScenes = (list: readonly Scene[]): ResolvedScene[] => list.map(resolveScene);
  const episodes: ResolvedEpisode[] = input.series
    ? input.series.episodes.map(({ episode: e, file: at }, i) => ({
        id: e.id,
        number: i + 1,
        title: e.title,
        slug: kebab(e.title) || e.id,
        theme: e.theme ?? rest.theme,
        ...(e.premise !== undefined ? { premise: e.premise } : {}),
        style: e.style ?? rest.style,
        ...(e.music ? { music: e.music } : {}),
        ...(e.budget !== undefined ? { budget: e.budget } : {}),
        cast: e.cast ?? {},
        scenes: resolveScenes(e.scenes),
        ...episodeCards(rest.cards, e.cards),
        ...(e.cover ?? rest.cover ? { cover: e.cover ?? rest.cover } : {}),
        file: at,
      }))
    : [{ number: 1, title: drama.title, slug: projectSlug(drama.title, input.dir), theme: rest.theme, style: rest.style, cast: {}, scenes: resolveScenes(scenes ?? []), ...episodeCards(rest.cards, undefined), ...(rest.cover ? { cover: rest.cover } : {}), file: input.file }];
  return {
    ...rest,
    use,
    cast,
    ...(music ? { music } : {}),
    file: input.file,
    dir: input.dir,
    slug: projectSlug(drama.title, input.dir),
    format: resolveFormat(format),
    series: input.series !== undefined,
    episodes,
    scenes: episodes.flatMap((ep) => ep.scenes),
    projectFiles: [input.file, ...(input.included ?? [])],
    providers,
    referencedFiles: input.referencedFiles,
    secrets: new ProjectSecrets(apiKeys),
    warnings: input.warnings,
    envNames: input.envNames,
  };
}
