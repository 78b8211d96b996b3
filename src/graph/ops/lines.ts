/**
 * `scene/<id>/lines`: the text model writes a scene's lines from its beat.
 * The model is asked for `lineCount` lines and any number in `lineRange` is
 * accepted (a good scene of 3 or 5 lines is not refused for not being 4).
 * The graph's shape must still be known before anything runs, so `plan` can
 * price it and keys stay stable: the scene gets one voice step per line the
 * range allows, and the slots past the lines actually written stay empty
 * (see voice.ts). Only `count` is hashed, and the range follows from it and
 * the cast: changing `lineRange` changes which lines are accepted, so bump
 * this step's version with it.
 *
 * This module owns the lines output format: the step writes it, `readLines`
 * is the one reader (voices, subtitles, the polish and the storyboard all
 * read through it), and `LinesFailure` lists why the step can fail.
 */
import { readFile } from "node:fs/promises";
import type { StepContext, StepSpec } from "../../engine/step.js";
import type { ResolvedScene } from "../../project/project.js";
import type { EpisodeView } from "../episode.js";
import { servedBy, type Backends } from "../backends.js";
import type { Line, LinesRequest } from "../../providers/types.js";
import { providerArgs } from "./provider.js";
import { asJson } from "../json.js";
import { sceneTake } from "../takes.js";
import { castRefs } from "../scene-cast.js";
import { stepFailure } from "../step-failure.js";
import type { Op } from "../../engine/ops.js";
import { callContext } from "../call-context.js";
import { providerFor } from "./provider.js";

/** The output name of a lines (or polish) step: `{ "lines": [{ speaker, text }] }`. */
export const LINES_OUTPUT = "json";

export type LinesFailure =
  | {
      readonly kind: "too-few-lines";
      readonly scene: string;
      readonly wrote: number;
      readonly asked: number;
      readonly min: number;
      readonly max: number;
      readonly cast: readonly string[];
    }
  | { readonly kind: "unreadable-lines"; readonly step: string };

export function describeLinesFailure(f: LinesFailure): string {
  switch (f.kind) {
    case "too-few-lines":
      return `the text model wrote ${f.wrote} usable lines for scene ${f.scene}; ${f.asked} were asked (${f.min} to ${f.max} taken), spoken by ${f.cast.join(", ")}`;
    case "unreadable-lines":
      return `the lines written by ${f.step} cannot be read (run 'dramake gc' and build again)`;
  }
}

/** Two lines per speaker, at least two and at most eight: a short-drama beat. What the model is asked for. */
export function lineCount(scene: ResolvedScene, castSize: number): number {
  return Math.min(8, Math.max(2, castSize * 2));
}

/** The line counts accepted: everyone may speak once, or a couple of lines more than asked, never past eight. */
export function lineRange(scene: ResolvedScene, castSize: number): { readonly min: number; readonly max: number } {
  return rangeFor(lineCount(scene, castSize), castSize);
}

/** The range around a count asked of a cast of this size (what the lines op accepts, from its params). */
export function rangeFor(count: number, castSize: number): { readonly min: number; readonly max: number } {
  return { min: Math.min(count, Math.max(2, castSize)), max: Math.min(8, count + 2) };
}

export function encodeLines(lines: readonly Line[]): string {
  return JSON.stringify({ lines } satisfies { lines: readonly Line[] });
}

/** The lines in a lines (or polish) output, or undefined when the file is missing or not such an output. */
export async function readLines(file: string): Promise<Line[] | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as { lines?: unknown };
    if (!Array.isArray(parsed.lines)) return undefined;
    return parsed.lines.filter((x): x is Line => typeof x?.speaker === "string" && typeof x?.text === "string");
  } catch {
    return undefined;
  }
}

/** For a step's run(): the lines of an input lines step, or the step fails saying which. */
export async function inputLines(ctx: StepContext, step: string): Promise<Line[]> {
  const lines = await readLines(ctx.inputs[step]![LINES_OUTPUT]!.path);
  if (!lines) throw stepFailure({ kind: "unreadable-lines", step }, describeLinesFailure);
  return lines;
}

/** What a lines step needs to know of its scene's place in the story: the beats around it. */
export interface LinesContext {
  readonly previousBeat?: string;
  readonly nextBeat?: string;
}

/** The beat (or, for a scene with lines, the action) that neighbouring scenes' lines hear about. */
export function beatOf(scene: ResolvedScene | undefined): string | undefined {
  return scene ? (scene.beat ?? scene.action) || undefined : undefined;
}

export function linesStep(ep: EpisodeView, backends: Backends, scene: ResolvedScene, around: LinesContext, cast: readonly string[]): StepSpec {
  const backend = backends.text;
  const request: LinesRequest & { readonly count: number } = {
    title: ep.title,
    theme: ep.theme,
    language: ep.language,
    sceneId: scene.id,
    beat: scene.beat ?? "",
    ...(scene.setting ? { setting: scene.setting } : {}),
    ...(around.previousBeat ? { previousBeat: around.previousBeat } : {}),
    ...(around.nextBeat ? { nextBeat: around.nextBeat } : {}),
    cast: castRefs(ep, cast, backend.name),
    count: lineCount(scene, cast.length),
  };
  return {
    id: ep.ids.lines(scene.id),
    kind: "text",
    version: 1,
    take: sceneTake(scene, "lines"),
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    op: "lines",
    args: providerArgs(backend.config),
  };
}

export const linesOp: Op = {
  name: "lines",
  async run(params, io, args) {
    const request = (params as unknown as { request: LinesRequest & { count: number } }).request;
    const cast = request.cast.map((c) => c.id);
    const range = rangeFor(request.count, cast.length);
    const provider = await providerFor(args, io);
    const result = await provider.lines({ ...request, range }, callContext(io, "lines.json"));
    io.cost(result.cost);
    const lines = result.lines.filter((line) => cast.includes(line.speaker)).slice(0, range.max);
    if (lines.length < range.min) {
      throw stepFailure({ kind: "too-few-lines", scene: request.sceneId, wrote: lines.length, asked: request.count, ...range, cast }, describeLinesFailure);
    }
    await io.output(LINES_OUTPUT, { bytes: encodeLines(lines) });
  },
};
