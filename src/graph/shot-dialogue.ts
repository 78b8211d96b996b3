/**
 * How a shot's lines are heard (issue 29), decided once per shot from the
 * file and the backends: the mode asked (`dialogue:` of the shot, scene or
 * project) and the mode built. Native needs a video model that is not the
 * offline pan and written lines (their words go into the clip's request);
 * lipsync needs a generated clip and a lip-sync provider. Otherwise the shot
 * is voiced like voice-over, and the layout says so (the storyboard marks it).
 * Also the native clip's dialogue as the video model is asked to speak it,
 * and each line's name for a writer (`line 2 'Dad…' (drama.yaml:14:9)`).
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Project, ResolvedScene } from "../project/project.js";
import type { DialogueMode, Line } from "../project/schema.js";
import { parseSource, spanAt, type PathSegment, type SourceFile } from "../project/source.js";
import { presetTakesVoiceSamples } from "../providers/registry.js";
import type { NativeDialogue } from "../providers/types.js";
import type { Backends, ServiceBackends } from "./backends.js";
import type { EpisodeView } from "./episode.js";

export interface ShotDialogue {
  /** As written (shot, scene, else project). */
  readonly asked: DialogueMode;
  /** As built: `voice-over` where the asked mode cannot be (offline, or lines not written). */
  readonly voiced: DialogueMode;
  /** Why `voiced` differs from `asked`. */
  readonly why?: string;
}

export function shotDialogue(
  project: Pick<Project, "dialogue">,
  scene: Pick<ResolvedScene, "dialogue" | "lines">,
  backends: Backends,
  services: ServiceBackends,
  shot: { readonly dialogue?: DialogueMode; readonly formatOne?: boolean } = {},
): ShotDialogue {
  const asked = shot.dialogue ?? scene.dialogue ?? project.dialogue ?? "voice-over";
  const moves = backends.video.provider.clipsAreMoves === true;
  const fallback = (why: string): ShotDialogue => ({ asked, voiced: "voice-over", why });
  // Voices, dialogue and subtitles are per scene (issue 27); per-shot native clips and lip sync need them per shot first.
  if (asked !== "voice-over" && shot.formatOne === false) return fallback("native and lipsync are wired for one-shot scenes so far; this multi-shot scene is voiced like voice-over");
  if (asked === "native") {
    if (moves) return fallback("the video is offline (a pan over the keyframe makes no sound): voiced with offline voices");
    if (!scene.lines || scene.lines.length === 0) return fallback("native dialogue needs written lines (the clip's request holds them): voiced like voice-over");
  }
  if (asked === "lipsync") {
    if (moves) return fallback("the video is offline (a pan over the keyframe has no mouths to move): voiced like voice-over");
    if (!services.lipsync) return fallback("use.lipsync is offline: voiced like voice-over, no lip-sync job");
  }
  return { asked, voiced: asked };
}

/** True when the video provider's API takes the speakers' voice samples as reference audio (Seedance 2's {voice_a}..{voice_c}). */
export function takesVoiceSamples(backends: Backends): boolean {
  return presetTakesVoiceSamples(backends.video.config.type);
}

/** A native shot's lines as the model is asked to speak them: speaker, a few words of look, the voice's style, the words. */
export function nativeDialogue(ep: Pick<EpisodeView, "cast" | "language">, lines: readonly Line[]): NativeDialogue {
  return {
    language: ep.language,
    lines: lines.map((l) => {
      const member = ep.cast[l.speaker];
      return { castId: l.speaker, name: member?.name ?? l.speaker, look: member?.look ?? "", text: l.text, ...(member?.voice.style ? { style: member.voice.style } : {}) };
    }),
  };
}

/** Parsed project files for one graph (never kept across graphs: a saved file must be read again). */
export type LineSources = Map<string, SourceFile | null>;

function source(sources: LineSources, file: string): SourceFile | null {
  if (!sources.has(file)) {
    let src: SourceFile | null = null;
    try {
      src = parseSource(file, readFileSync(file, "utf8"));
    } catch {
      src = null;
    }
    sources.set(file, src);
  }
  return sources.get(file)!;
}

/**
 * Each written line named for a message: `line 2 'Dad, I'm sorry.' (drama.yaml:14:9)`.
 * The position is given only where the file is found to hold that line there
 * (a scene from an included file is named without one, never at a wrong place).
 */
export function lineLabels(sources: LineSources, project: Pick<Project, "dir" | "series">, ep: { readonly id?: string; readonly file?: string }, sceneIndex: number, lines: readonly Line[]): string[] {
  const src = ep.file ? source(sources, ep.file) : null;
  return lines.map((l, i) => {
    const quoted = l.text.length > 40 ? `${l.text.slice(0, 39)}…` : l.text;
    const name = `line ${i + 1} '${quoted}'`;
    if (!src) return name;
    for (const base of candidates(src, project.series, ep.id)) {
      const path: PathSegment[] = [...base, "scenes", sceneIndex, "lines", i];
      if (!src.doc.hasIn(path)) continue;
      const span = spanAt(src, path, "value");
      if (!src.text.slice(span.offset, span.offset + span.length + l.speaker.length).includes(l.speaker)) continue;
      const { line, col } = src.lines.linePos(span.offset);
      return `${name} (${relative(project.dir, src.file).split("\\").join("/")}:${line}:${col})`;
    }
    return name;
  });
}

/** Where an episode's scenes may be in its file: the root (format 1, an episode file) or under `episodes.<k>`. */
function candidates(src: SourceFile, series: boolean, id: string | undefined): PathSegment[][] {
  if (!series) return [[]];
  const list = src.doc.get("episodes", true) as { items?: unknown[] } | undefined;
  const out: PathSegment[][] = [[]];
  if (list && Array.isArray(list.items)) {
    list.items.forEach((item, k) => {
      const m = item as { get?: (key: string) => unknown };
      if (typeof m.get === "function" && String(m.get("id")) === id) out.unshift(["episodes", k]);
    });
  }
  return out;
}
