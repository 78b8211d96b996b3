/**
 * Checks beyond shape: cross references (cast, speakers, providers),
 * duplicate ids, size against aspect, and the files the project names.
 * They read the raw data defensively, so they run even when zod has
 * complaints elsewhere and every problem is reported in one pass. Values
 * that zod already rejects (a malformed id) are skipped here, so each
 * mistake is reported once.
 */
import type { Diagnostic } from "./diagnostic.js";
import type { CastMember } from "./schema.js";
import { AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, resolveReference } from "./files.js";
import { ASPECT_PATTERN, DEFAULT_MODELS, ID_PATTERN, LIPSYNC_PRESET_TYPES, MODALITIES, OFFLINE, SIZE_PATTERN, TRANSITIONS, VIDEO_PRESET_TYPES } from "./schema.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt, spanAt } from "./source.js";
import { closest, didYouMean } from "./suggest.js";

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function isId(value: unknown): value is string {
  return typeof value === "string" && ID_PATTERN.test(value);
}

export interface CheckContext {
  readonly src: SourceFile;
  readonly dir: string;
  readonly data: unknown;
  readonly fromEnv: ReadonlySet<string>;
  /** Keys missing because of a typo (`casts:`), JSON-encoded paths: what their absence implies is not reported again. */
  readonly mistyped: ReadonlySet<string>;
}

function list(values: Iterable<string>): string {
  const all = [...values];
  return all.length ? all.join(", ") : "(none)";
}

export function checkScenes(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { src, data } = ctx;
  if (!isObj(data) || !Array.isArray(data.scenes)) return out;
  const castIds = isObj(data.cast) ? Object.keys(data.cast).filter(isId) : [];
  const castAllowed = `a cast id: ${list(castIds)}`;
  const seen = new Map<string, number>();
  // Without a cast every speaker is unknown: that is one problem, not one per line.
  // With `casts:` for `cast:` it is the typo's, already reported with its "did you mean".
  const noCast = data.cast === undefined;
  let castProblems = noCast ? (ctx.mistyped.has(JSON.stringify(["cast"])) ? 0 : 1) : Infinity;
  const unknownCast = (at: PathSegment[], target: "key" | "value", what: string, name: string): void => {
    if (castProblems <= 0) return;
    castProblems--;
    out.push(
      diagnosticAt(src, at, target, {
        code: "unknown-cast",
        message: noCast ? `unknown ${what} '${name}': the file has no cast` : `unknown ${what} '${name}'${didYouMean(name, castIds)}`,
        allowed: noCast ? `a cast: map of the characters by id, e.g. cast: { ${name}: { name: ..., look: ... } }` : castAllowed,
      }),
    );
  };

  data.scenes.forEach((scene: unknown, i: number) => {
    if (!isObj(scene)) return;
    const at = (...rest: PathSegment[]): PathSegment[] => ["scenes", i, ...rest];
    if (isId(scene.id)) {
      const first = seen.get(scene.id);
      if (first === undefined) seen.set(scene.id, i);
      else {
        const firstLine = src.lines.linePos(spanAt(src, ["scenes", first, "id"], "value").offset).line;
        out.push(
          diagnosticAt(src, at("id"), "value", {
            code: "duplicate-id",
            message: `duplicate scene id '${scene.id}' (first used on line ${firstLine})`,
            allowed: "a scene id used once in the file",
          }),
        );
      }
    }

    const sceneCast = Array.isArray(scene.cast) ? scene.cast.filter(isId) : undefined;
    if (Array.isArray(scene.cast)) {
      scene.cast.forEach((member: unknown, j: number) => {
        if (isId(member) && !castIds.includes(member)) unknownCast(at("cast", j), "value", "cast member", member);
      });
    }

    const checkLines = (lines: unknown, where: (...rest: PathSegment[]) => PathSegment[]): void => {
      if (!Array.isArray(lines)) return;
      lines.forEach((line: unknown, j: number) => {
        if (!isObj(line)) return;
        const speakers = Object.keys(line);
        if (speakers.length !== 1) return; // zod reports the shape
        const speaker = speakers[0]!;
        if (!isId(speaker)) return;
        if (!castIds.includes(speaker)) {
          unknownCast(where("lines", j, speaker), "key", "speaker", speaker);
        } else if (sceneCast && !sceneCast.includes(speaker)) {
          out.push(
            diagnosticAt(src, where("lines", j, speaker), "key", {
              code: "speaker-not-in-scene",
              message: `'${speaker}' speaks but is not in this scene's cast`,
              allowed: `a speaker from the scene's cast (${list(sceneCast)}), or add '${speaker}' to its cast`,
            }),
          );
        }
      });
    };
    checkLines(scene.lines, at);

    // Nothing comes before the first scene (or the first shot) to transition from: said once, as a warning.
    // A transition zod refuses is reported there, once.
    const drawn = (t: unknown): t is string => typeof t === "string" && t !== "cut" && (TRANSITIONS as readonly string[]).includes(t);
    if (i === 0 && drawn(scene.transition)) {
      out.push(
        diagnosticAt(src, at("transition"), "value", {
          code: "transition-first",
          severity: "warning",
          message: `the first scene has nothing before it: its transition '${scene.transition}' is not drawn`,
          allowed: "a transition on the second scene or later (into that scene)",
        }),
      );
    }
    if (Array.isArray(scene.shots)) {
      const first = scene.shots[0];
      if (isObj(first) && drawn(first.transition)) {
        out.push(
          diagnosticAt(src, at("shots", 0, "transition"), "value", {
            code: "transition-first",
            severity: "warning",
            message: `the first shot's transition '${first.transition}' is not drawn: the scene's own transition leads into it`,
            allowed: "transition: on the scene (into the scene), or on the second shot or later",
          }),
        );
      }
      checkShots(ctx, scene, at, { castIds, sceneCast, unknownCast, checkLines }, out);
      return;
    }

    if (scene.lines === undefined && scene.beat === undefined) {
      const name = isId(scene.id) ? `scene '${scene.id}'` : "this scene";
      out.push(
        diagnosticAt(src, at("id"), "value", {
          code: "no-lines-or-beat",
          message: `${name} has neither lines nor a beat`,
          allowed: "lines (- speaker: text) or a beat (what happens; the text model writes the lines)",
        }),
      );
    }
  });
  return out;
}

/** Steps a shot has takes for (`take:` under a shot, or `shot/<id>/<step>` under its scene). */
export const SHOT_TAKE_STEPS = ["keyframe", "clip"] as const;

interface SceneCastCheck {
  readonly castIds: readonly string[];
  readonly sceneCast: readonly string[] | undefined;
  readonly unknownCast: (at: PathSegment[], target: "key" | "value", what: string, name: string) => void;
  readonly checkLines: (lines: unknown, where: (...rest: PathSegment[]) => PathSegment[]) => void;
}

/**
 * A scene with `shots:` (issue 27): no scene-level lines, beat or seconds
 * (the shots hold them), shot ids unique within the scene (a shot without an
 * id is named by its position), `on:` and speakers from the scene's cast,
 * `start: previous` not on the first shot, takes naming a shot and a step it has.
 */
function checkShots(ctx: CheckContext, scene: Obj, at: (...rest: PathSegment[]) => PathSegment[], cast: SceneCastCheck, out: Diagnostic[]): void {
  const { src } = ctx;
  const shots = scene.shots as unknown[];
  const name = isId(scene.id) ? `scene '${scene.id}'` : "this scene";
  for (const key of ["lines", "beat", "seconds"] as const) {
    if (scene[key] === undefined) continue;
    out.push(
      diagnosticAt(src, at(key), "key", {
        code: "conflicting-keys",
        message: `${name} has shots, so '${key}' belongs inside them, not on the scene`,
        allowed: key === "seconds" ? "seconds on each shot (a scene with shots lasts as long as its shots)" : `${key === "beat" ? "lines" : key} inside the shots (- size: close-up, lines: [...]), or no shots`,
      }),
    );
  }
  const ids = new Map<string, number>();
  shots.forEach((shot: unknown, k: number) => {
    if (!isObj(shot)) return;
    const shotAt = (...rest: PathSegment[]): PathSegment[] => at("shots", k, ...rest);
    // A shot without an id is named by its position: an explicit "2" elsewhere would name two shots.
    const shotId = shot.id === undefined ? String(k + 1) : isId(shot.id) ? shot.id : undefined;
    if (shotId !== undefined) {
      const first = ids.get(shotId);
      if (first === undefined) ids.set(shotId, k);
      else {
        const target: PathSegment[] = shot.id === undefined ? shotAt() : shotAt("id");
        out.push(
          diagnosticAt(src, target, "value", {
            code: "duplicate-id",
            message: `duplicate shot id '${shotId}' in ${name} (shot ${first + 1} is '${shotId}' too${shots[first] !== undefined && isObj(shots[first]) && (shots[first] as Obj).id === undefined ? ", by its position" : ""})`,
            allowed: "a shot id used once in its scene; a shot without an id is named by its position (1, 2, 3...)",
          }),
        );
      }
    }
    cast.checkLines(shot.lines, shotAt);
    if (Array.isArray(shot.on)) {
      shot.on.forEach((member: unknown, j: number) => {
        if (!isId(member)) return;
        if (!cast.castIds.includes(member)) cast.unknownCast(shotAt("on", j), "value", "cast member", member);
        else if (cast.sceneCast && !cast.sceneCast.includes(member)) {
          out.push(
            diagnosticAt(src, shotAt("on", j), "value", {
              code: "on-not-in-scene",
              message: `'${member}' is on screen but not in this scene's cast${didYouMean(member, cast.sceneCast)}`,
              allowed: `a cast id of the scene (${list(cast.sceneCast)}), or add '${member}' to its cast`,
            }),
          );
        }
      });
    }
    if (k === 0 && shot.start === "previous") {
      out.push(
        diagnosticAt(src, shotAt("start"), "value", {
          code: "start-previous-first",
          message: `the first shot of ${name} has no previous shot to start from`,
          allowed: "start: previous on the second shot or later; the first shot starts from its own keyframe",
        }),
      );
    }
    if (isObj(shot.take)) {
      for (const step of Object.keys(shot.take)) {
        if ((SHOT_TAKE_STEPS as readonly string[]).includes(step) || !/^[a-z]/.test(step)) continue;
        out.push(
          diagnosticAt(src, shotAt("take", step), "key", {
            code: "unknown-step",
            message: `a shot has no step '${step}'${didYouMean(step, SHOT_TAKE_STEPS)}`,
            allowed: `a step of the shot: ${SHOT_TAKE_STEPS.join(", ")}`,
          }),
        );
      }
    }
  });
  if (!isObj(scene.take)) return;
  for (const step of Object.keys(scene.take)) {
    const m = /^shot\/([^/]+)(?:\/(.*))?$/.exec(step);
    if (!m) continue;
    const [, shotId, shotStep] = m as unknown as [string, string, string | undefined];
    const known = [...ids.keys()];
    if (!ids.has(shotId)) {
      out.push(
        diagnosticAt(src, at("take", step), "key", {
          code: "unknown-shot",
          message: `${name} has no shot '${shotId}'${didYouMean(shotId, known)}`,
          allowed: `shot/<id>/<step> with a shot id of the scene: ${list(known)}`,
        }),
      );
    } else if (shotStep === undefined || !(SHOT_TAKE_STEPS as readonly string[]).includes(shotStep)) {
      out.push(
        diagnosticAt(src, at("take", step), "key", {
          code: "unknown-step",
          message: `shot '${shotId}' has no step '${shotStep ?? ""}'${shotStep ? didYouMean(shotStep, SHOT_TAKE_STEPS) : ""}`,
          allowed: `shot/${shotId}/<step> with a step of the shot: ${SHOT_TAKE_STEPS.join(", ")}`,
        }),
      );
    }
  }
}

function parseSize(size: string): { width: number; height: number } {
  const [w, h] = size.split("x").map(Number) as [number, number];
  return { width: w, height: h };
}

export const MIN_SIDE = 64;
export const MAX_SIDE = 4096;

export function checkFormat(ctx: CheckContext): Diagnostic[] {
  const { src, data } = ctx;
  if (!isObj(data) || !isObj(data.format)) return [];
  const size = str(data.format.size);
  if (size === undefined || !SIZE_PATTERN.test(size)) return [];
  const { width, height } = parseSize(size);
  const at: PathSegment[] = ["format", "size"];
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE || width % 2 || height % 2) {
    return [
      diagnosticAt(src, at, "value", {
        code: "invalid-format",
        message: `size ${size} is not usable: each side must be an even number from ${MIN_SIDE} to ${MAX_SIDE}`,
        allowed: "WxH with even sides (video encoders need them), e.g. 720x1280",
      }),
    ];
  }
  const aspect = str(data.format.aspect);
  if (aspect === undefined || !ASPECT_PATTERN.test(aspect)) return [];
  const [aw, ah] = aspect.split(":").map(Number) as [number, number];
  if (width * ah !== height * aw) {
    const suggestion = sizeForAspect(aw, ah, Math.min(width, height));
    return [
      diagnosticAt(src, at, "value", {
        code: "size-aspect-mismatch",
        message: `size ${size} does not match aspect ${aspect}`,
        allowed: `a size with the ratio ${aspect}, e.g. ${suggestion.width}x${suggestion.height} (or leave size out to derive it)`,
      }),
    ];
  }
  return [];
}

/** The size for an aspect ratio whose short side is `short` pixels, both sides even. */
export function sizeForAspect(aw: number, ah: number, short = 720): { width: number; height: number } {
  const even = (n: number): number => Math.max(2, Math.round(n / 2) * 2);
  return aw <= ah ? { width: even(short), height: even((short * ah) / aw) } : { width: even((short * aw) / ah), height: even(short) };
}

/** Provider names the file defines, plus the built-in offline provider. */
export function providerNames(data: unknown): string[] {
  const names = isObj(data) && isObj(data.providers) ? Object.keys(data.providers).filter(isId) : [];
  return names.includes(OFFLINE) ? names : [...names, OFFLINE];
}

export function checkProviders(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { src, data } = ctx;
  if (!isObj(data)) return out;
  const names = providerNames(data);
  const providers = isObj(data.providers) ? data.providers : {};

  const offline = providers[OFFLINE];
  if (isObj(offline) && typeof offline.type === "string" && offline.type !== OFFLINE) {
    out.push(
      diagnosticAt(src, ["providers", OFFLINE, "type"], "value", {
        code: "reserved-name",
        message: "the provider name 'offline' is built in and must keep type: offline",
        allowed: "type: offline (to tune its concurrency), or another name for this provider",
      }),
    );
  }

  for (const [name, provider] of Object.entries(providers)) {
    if (!isObj(provider)) continue;
    const endpoints = isObj(provider.endpoints) ? provider.endpoints : {};
    const keys: [PathSegment[], unknown][] = [
      [["providers", name, "api_key"], provider.api_key],
      ...Object.entries(endpoints).map(([m, e]): [PathSegment[], unknown] => [["providers", name, "endpoints", m, "api_key"], isObj(e) ? e.api_key : undefined]),
    ];
    for (const [at, key] of keys) {
      if (typeof key !== "string" || key === "") continue;
      if (ctx.fromEnv.has(JSON.stringify(at))) continue;
      out.push(
        diagnosticAt(src, at, "value", {
          code: "literal-secret",
          severity: "warning",
          message: `the API key of '${name}' is written in the file, where anyone with the file (or its git history) can read it`,
          allowed: "api_key: ${OPENAI_API_KEY} with the key in the environment or in .env beside the file (git-ignored)",
        }),
      );
    }
  }

  if (isObj(data.use)) {
    for (const modality of MODALITIES) {
      const name = data.use[modality];
      if (!isId(name)) continue;
      const at: PathSegment[] = ["use", modality];
      if (!names.includes(name)) {
        // `provider:` for `providers:`: the typo is reported, not each `use:` that names what it defines.
        if (data.providers === undefined && ctx.mistyped.has(JSON.stringify(["providers"]))) continue;
        out.push(
          diagnosticAt(src, at, "value", {
            code: "unknown-provider",
            message: `unknown provider '${name}'${didYouMean(name, names)}`,
            allowed: `a provider defined under providers: ${list(names)}`,
          }),
        );
        continue;
      }
      const provider = providers[name];
      const type = isObj(provider) && typeof provider.type === "string" ? provider.type : undefined;
      const lipsyncPreset = type !== undefined && (LIPSYNC_PRESET_TYPES as readonly string[]).includes(type);
      // A lip-sync preset (issue 29: kling, sync) serves use.lipsync; sync.so makes nothing else.
      if (modality === "lipsync" && lipsyncPreset) continue;
      if (type === "sync") {
        out.push(
          diagnosticAt(src, at, "value", {
            code: "unsupported-modality",
            message: `provider '${name}' (type sync) does lip sync only, not ${modality}`,
            allowed: `use.lipsync: ${name}; ${modality} from another provider`,
          }),
        );
        continue;
      }
      // A video service preset (issue 28) makes clips and nothing else.
      if (type !== undefined && (VIDEO_PRESET_TYPES as readonly string[]).includes(type) && modality !== "video") {
        out.push(
          diagnosticAt(src, at, "value", {
            code: "unsupported-modality",
            message: `provider '${name}' (type ${type}) makes video${lipsyncPreset ? " and lip sync" : ""} only, not ${modality}`,
            allowed: `use.video: ${name}; ${modality} from another provider (an openai-type provider, or offline)`,
          }),
        );
        continue;
      }
      if (!isObj(provider) || provider.type !== "openai") continue;
      if (modality === "lipsync") {
        if (provider.lipsync_api === undefined) {
          out.push(
            diagnosticAt(src, at, "value", {
              code: "unsupported-modality",
              message: `provider '${name}' (type openai) cannot do lip sync: it has no lipsync_api`,
              allowed: `a provider of type kling or sync, lipsync_api: (a job mapping with {video} and {audio}) under providers.${name}, or lipsync: offline`,
            }),
          );
        }
        continue;
      }
      // Transcription defaults to whisper-1 when models.transcribe is left out.
      if (modality === "transcribe") continue;
      if (modality === "music" && provider.music_api === undefined) {
        out.push(
          diagnosticAt(src, at, "value", {
            code: "unsupported-modality",
            message: `provider '${name}' (type openai) cannot make music: it has no music_api`,
            allowed: `music_api: generations (or a job mapping) under providers.${name}, music: offline, or a music file ({ file: music/theme.mp3 })`,
          }),
        );
        continue;
      }
      // Without `models:` the defaults apply (DEFAULT_MODELS), which name no music model.
      const models = isObj(provider.models) ? provider.models : provider.models === undefined ? DEFAULT_MODELS : {};
      if ((models as Record<string, unknown>)[modality] === undefined) {
        out.push(
          diagnosticAt(src, at, "value", {
            code: "missing-model",
            message: `use.${modality} names '${name}', but providers.${name}.models has no ${modality} model`,
            allowed: `add models.${modality} to providers.${name}, or use another provider for ${modality}`,
          }),
        );
      }
    }
  }
  return out;
}

/**
 * `dialogue: lipsync` with no lip-sync provider (issue 29): those shots are
 * voiced like voice-over, which builds, but is surely not what was meant
 * when clips come from a real video model. A warning at each such setting.
 */
export function checkDialogue(ctx: CheckContext): Diagnostic[] {
  const { src, data } = ctx;
  if (!isObj(data)) return [];
  const use = isObj(data.use) ? data.use : {};
  const offline = (m: string) => use[m] === undefined || use[m] === OFFLINE;
  if (offline("video") || !offline("lipsync")) return [];
  const places: PathSegment[][] = [];
  if (data.dialogue === "lipsync") places.push(["dialogue"]);
  const scenes: unknown[] = Array.isArray(data.scenes) ? data.scenes : [];
  scenes.forEach((scene, i) => {
    if (isObj(scene) && scene.dialogue === "lipsync") places.push(["scenes", i, "dialogue"]);
  });
  return places.map((at) =>
    diagnosticAt(src, at, "value", {
      code: "no-lipsync-provider",
      severity: "warning",
      message: "dialogue: lipsync, but use.lipsync is offline: these shots are voiced like voice-over, with no lip-sync job",
      allowed: "use: { lipsync: <a provider of type kling or sync, or with lipsync_api> }, or dialogue: voice-over",
    }),
  );
}

/** A voice keyed by a near miss of a provider name (`ofline:`) is surely a typo; other unknown keys may be providers to come. */
export function checkVoices(ctx: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { src, data } = ctx;
  if (!isObj(data) || !isObj(data.cast)) return out;
  const names = providerNames(data);
  // A cast member with no voice for the speech provider in use speaks with the provider's default: said here, not found by ear.
  // (Not when the provider has no speech model: that is an error of its own, reported at use.speech.)
  const speaking = isObj(data.use) && isId(data.use.speech) && data.use.speech !== OFFLINE && isObj(data.providers) ? data.providers[data.use.speech] : undefined;
  const speech = isObj(speaking) && isObj(speaking.models) && typeof speaking.models.speech === "string" ? (data.use as Obj).speech as string : undefined;
  for (const [castId, member] of Object.entries(data.cast)) {
    if (speech !== undefined && isObj(member) && !(isObj(member.voice) && typeof member.voice[speech] === "string")) {
      const provider = isObj(data.providers) ? data.providers[speech] : undefined;
      const fallback = isObj(provider) && provider.type === "openai" ? "'alloy'" : "its default voice";
      out.push(
        diagnosticAt(src, isObj(member.voice) ? ["cast", castId, "voice"] : ["cast", castId], "key", {
          code: "no-voice",
          severity: "warning",
          message: `cast member '${castId}' has no voice for '${speech}' (use.speech): the build speaks their lines with ${fallback}`,
          allowed: `voice: { ${speech}: a voice name of that provider (OpenAI: alloy, ash, coral, echo, fable, nova, onyx, sage, shimmer) }`,
        }),
      );
    }
    if (!isObj(member) || !isObj(member.voice)) continue;
    for (const key of Object.keys(member.voice)) {
      if (key === "style" || key === "sample" || names.includes(key)) continue;
      const hint = closest(key, [...names, "style", "sample"]);
      if (hint === undefined) continue;
      out.push(
        diagnosticAt(src, ["cast", castId, "voice", key], "key", {
          code: "unknown-provider",
          severity: "warning",
          message: `voice for unknown provider '${key}' (did you mean '${hint}'?)`,
          allowed: `provider names: ${list(names)}, style or sample`,
        }),
      );
    }
  }
  return out;
}

export interface FileReference {
  readonly path: PathSegment[];
  readonly value: string;
  readonly extensions: readonly string[];
}

export function fileReferences(data: unknown): FileReference[] {
  const refs: FileReference[] = [];
  if (!isObj(data)) return refs;
  if (isObj(data.cast)) {
    for (const [castId, member] of Object.entries(data.cast)) {
      if (isObj(member) && typeof member.reference === "string" && member.reference.trim() !== "") {
        refs.push({ path: ["cast", castId, "reference"], value: member.reference, extensions: IMAGE_EXTENSIONS });
      }
      const sample = isObj(member) && isObj(member.voice) ? member.voice.sample : undefined;
      if (typeof sample === "string" && sample.trim() !== "") refs.push({ path: ["cast", castId, "voice", "sample"], value: sample, extensions: AUDIO_EXTENSIONS });
    }
  }
  // With a mood as well, the shape is wrong and reported as such; the file is moot.
  if (isObj(data.music) && typeof data.music.file === "string" && data.music.file.trim() !== "" && data.music.mood === undefined) {
    refs.push({ path: ["music", "file"], value: data.music.file, extensions: AUDIO_EXTENSIONS });
  }
  return refs;
}

export interface CheckedFiles {
  /** Normalized project-relative paths, sorted, without duplicates. */
  readonly files: string[];
  /** Normalized path per reference, keyed by the JSON of its value path (e.g. ["music","file"]). */
  readonly normalized: ReadonlyMap<string, string>;
  readonly diagnostics: Diagnostic[];
}

/** Resolves every referenced file; returns their normalized paths and the problems. */
export async function checkFiles(ctx: CheckContext): Promise<CheckedFiles> {
  const files: string[] = [];
  const normalized = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const ref of fileReferences(ctx.data)) {
    const secret = ctx.fromEnv.has(JSON.stringify(ref.path));
    const resolved = await resolveReference(ctx.dir, ref.value, ref.extensions, secret ? "the path (from the environment)" : undefined);
    if (resolved.ok) {
      files.push(resolved.value);
      normalized.set(JSON.stringify(ref.path), resolved.value);
    } else diagnostics.push(diagnosticAt(ctx.src, ref.path, "value", resolved.error));
  }
  return { files: [...new Set(files)].sort(), normalized, diagnostics };
}

/** A cast member with its voice sample's path normalized like every referenced file (issue 29). */
export function withVoiceSample(member: CastMember, normal: (written: string) => string | undefined): CastMember {
  const sample = member.voice.sample;
  return sample === undefined ? member : { ...member, voice: { ...member.voice, sample: normal(sample) ?? sample } };
}
