/**
 * `dramake write`: the missing cast and scenes of a project, from its theme,
 * written into drama.yaml in place. The text provider drafts them (priced
 * first, refused over budget); offline, a deterministic outline does. Either
 * way the draft is normalized and checked with the project schema, the file
 * is edited without touching what a person wrote, and the result is loaded
 * as a whole before it replaces the file, so a failure at any point leaves
 * drama.yaml as it was.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveBackends } from "../graph/backends.js";
import type { Diagnostic } from "../project/diagnostic.js";
import { loadProject } from "../project/load.js";
import type { Project } from "../project/project.js";
import { OFFLINE } from "../project/schema.js";
import type { CallContext, PremisesRequest, ScriptRequest } from "../providers/types.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import { applyDraft, type ApplyProblem, type DraftOutcome } from "./apply.js";
import { chunkText, DEFAULT_CHUNK_CHARS, DEFAULT_OVERLAP_CHARS, shareScenes, type Chunk } from "./chunks.js";
import { normalizeDraft, type CastEntry, type Normalized, type SceneEntry } from "./normalize.js";
import { episodeEntries, EPISODES_OUTLINE_COMMENT, MAX_EPISODES, outlinePremises, premisesMisfit, type Premise } from "./episodes.js";
import { OUTLINE_COMMENT, outlineDraft } from "./outline.js";
import { sizeFor, type Size } from "./size.js";

export interface WriteOptions {
  /** On a series: add episodes until there are this many, one premise each. */
  readonly episodes?: number | undefined;
  readonly scenes?: number | undefined;
  readonly minutes?: number | undefined;
  /** Replace scenes (and same-named cast) already in the file. */
  readonly force?: boolean;
  /** Compute and return the YAML, write nothing. */
  readonly dryRun?: boolean;
  /** USD; overrides the project's `budget`. */
  readonly budget?: number | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Chunking of a long theme (tests shrink it). */
  readonly chunkChars?: number;
  readonly overlapChars?: number;
}

export type WriteProblem =
  | { readonly kind: "usage"; readonly message: string }
  | { readonly kind: "project"; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: "nothing-to-write"; readonly message: string }
  | { readonly kind: "over-budget"; readonly estimate: number; readonly budget: number }
  /** The text provider failed or its answer stayed unusable after the repair turn. */
  | { readonly kind: "provider"; readonly message: string; readonly cost: number }
  | ApplyProblem;

export interface WriteOutcome extends DraftOutcome {
  /** An offline outline (beats only) rather than a model's script. */
  readonly outline: boolean;
  readonly before: string;
  readonly size: Size;
  readonly estimate: number;
  readonly cost: number;
  /** The model used, e.g. "cloud/gpt-4.1-mini"; undefined offline. */
  readonly model: string | undefined;
}

interface Drafted {
  readonly cast: Record<string, CastEntry>;
  readonly scenes: SceneEntry[];
  readonly notes: string[];
  readonly cost: number;
}

function callContext(signal: AbortSignal, tmpDir: string, notes: string[], spent: (usd: number) => void): CallContext {
  let job: string | undefined;
  return {
    signal,
    tmpDir,
    outFile: join(tmpDir, "answer.json"),
    progress: () => {},
    notice: (message) => notes.push(message),
    spent,
    job: { get: () => job, set: async (id) => void (job = id) },
  };
}

function withinCount(chunks: Chunk[], theme: string, scenes: number, chars: number, overlap: number): Chunk[] {
  // Never more parts than scenes: each part writes at least one.
  let size = chars;
  let parts = chunks;
  while (parts.length > scenes) {
    size = Math.ceil(size * 1.5);
    parts = chunkText(theme, size, overlap);
  }
  return parts;
}

function existingCast(project: Project): Record<string, { name: string }> {
  return Object.fromEntries(Object.entries(project.cast).map(([key, member]) => [key, { name: member.name }]));
}

export async function writeDrama(target: string, options: WriteOptions = {}): Promise<Result<WriteOutcome, WriteProblem>> {
  const size = sizeFor(options);
  if (!size.ok) return err({ kind: "usage", message: size.error });
  if (options.budget !== undefined && !(Number.isFinite(options.budget) && options.budget >= 0)) {
    return err({ kind: "usage", message: `--budget ${options.budget} is not allowed: a number of US dollars >= 0` });
  }
  const env = options.env ?? process.env;
  const loaded = await loadProject(target, { env, draft: true });
  if (!loaded.ok) return err({ kind: "project", diagnostics: loaded.error });
  const project = loaded.value;
  if (options.episodes !== undefined) {
    if (!project.series) return err({ kind: "usage", message: "--episodes writes the episodes of a series (episodes:); this project has scenes: (use --scenes)" });
    return writeEpisodes(project, options.episodes, options, env);
  }
  if (project.series) return err({ kind: "usage", message: "write drafts the scenes of a single-episode project (scenes:); this project has episodes: (use --episodes N to add episodes)" });
  const sceneCount = project.episodes[0]!.scenes.length;
  const replacing = sceneCount > 0;
  if (replacing && !options.force) {
    return err({
      kind: "nothing-to-write",
      message: `${sceneCount} scene${sceneCount === 1 ? " is" : "s are"} already written; nothing is missing (--force replaces them with new ones)`,
    });
  }
  const theme = project.theme.trim();
  if (!theme) return err({ kind: "usage", message: "the project has no theme to write from: add `theme:` (a sentence or two about the drama) to drama.yaml" });

  const before = await readFile(project.file, "utf8");
  const base = {
    existingCast: existingCast(project),
    takenSceneIds: [] as string[],
    language: project.language,
    speechProvider: project.use.speech === OFFLINE ? undefined : project.use.speech,
    secondsPerScene: size.value.secondsPerScene,
  };

  let drafted: Result<Drafted, WriteProblem>;
  let estimate = 0;
  let model: string | undefined;
  const outline = project.use.text === OFFLINE;
  if (outline) {
    const draft = outlineDraft({ theme, language: project.language, scenes: size.value.scenes, secondsPerScene: size.value.secondsPerScene, cast: Object.keys(project.cast) });
    const normalized = normalizeDraft(draft, { ...base, scenes: size.value.scenes, seconds: "draft" });
    // The outline is ours: a failure here is a bug, reported rather than thrown.
    drafted = normalized.ok ? ok({ cast: {}, scenes: [...normalized.value.scenes], notes: [...normalized.value.notes], cost: 0 }) : err({ kind: "provider", message: `offline outline: ${normalized.error}`, cost: 0 });
  } else {
    const backends = await resolveBackends(project, env as NodeJS.ProcessEnv);
    if (!backends.ok) return err({ kind: "usage", message: backends.error });
    const text = backends.value.text;
    const provider = text.provider;
    if (!provider.script) return err({ kind: "usage", message: `the text provider '${text.name}' cannot write scripts; use an openai provider, or offline for an outline` });
    model = `${text.name}/${project.providers[text.name]?.models.text ?? "?"}`;
    const chunkChars = options.chunkChars ?? DEFAULT_CHUNK_CHARS;
    const overlap = options.overlapChars ?? DEFAULT_OVERLAP_CHARS;
    const parts = withinCount(chunkText(theme, chunkChars, overlap), theme, size.value.scenes, chunkChars, overlap);
    const shares = shareScenes(parts, size.value.scenes);
    const requestFor = (i: number, cast: ScriptRequest["cast"], beats: readonly string[]): ScriptRequest => ({
      title: project.title,
      theme: parts[i]!.text,
      language: project.language,
      style: project.style,
      scenes: shares[i]!,
      secondsPerScene: size.value.secondsPerScene,
      wordsPerScene: size.value.wordsPerScene,
      cast,
      ...(parts[i]!.before ? { before: parts[i]!.before } : {}),
      ...(beats.length ? { beatsSoFar: beats } : {}),
      ...(parts.length > 1 ? { part: { index: i + 1, of: parts.length } } : {}),
    });
    // Priced before anything is asked; a later part also carries the beats before it (about 80 characters each).
    const knownCast = Object.entries(project.cast).map(([id, c]) => ({ id, name: c.name, look: c.look }));
    estimate = parts.reduce((sum, _, i) => {
      const earlier = shares.slice(0, i).reduce((a, b) => a + b, 0);
      return sum + provider.estimate("text", requestFor(i, knownCast, Array.from({ length: earlier }, () => "x".repeat(80))));
    }, 0);
    const budget = options.budget ?? project.budget;
    if (budget !== undefined && estimate > budget) return err({ kind: "over-budget", estimate, budget });
    drafted = await draftWithModel(project, provider.script.bind(provider), parts.length, requestFor, base, shares, options.signal ?? new AbortController().signal);
  }
  if (!drafted.ok) return drafted;
  const { cast, scenes, notes, cost } = drafted.value;

  const after = await applyDraft({
    file: project.file,
    before,
    text: before,
    cast,
    scenes,
    replaceScenes: replacing,
    comment: outline ? OUTLINE_COMMENT : `written by \`dramake write\` with ${model}: edit freely`,
    dryRun: options.dryRun ?? false,
    env,
  });
  if (!after.ok) return after;
  return ok({
    file: project.file,
    written: !options.dryRun,
    outline,
    before,
    after: after.value,
    addedCast: Object.keys(cast),
    addedScenes: scenes.map((s) => s.id),
    size: size.value,
    estimate,
    cost,
    model,
    notes,
  });
}

/** `write --episodes N` on a series: the missing episodes, appended to the main file's `episodes:`. */
async function writeEpisodes(project: Project, total: number, options: WriteOptions, env: Readonly<Record<string, string | undefined>>): Promise<Result<WriteOutcome, WriteProblem>> {
  if (!(Number.isInteger(total) && total >= 1 && total <= MAX_EPISODES)) return err({ kind: "usage", message: `--episodes ${total} is not allowed: a whole number from 1 to ${MAX_EPISODES}` });
  if (options.force) return err({ kind: "usage", message: "--force with --episodes is not supported: episodes already written are always kept (delete one to write it again)" });
  if (!project.theme.trim()) return err({ kind: "usage", message: "the project has no theme to write from: add `theme:` (a sentence or two about the series) to drama.yaml" });
  const have = project.episodes.length;
  if (have >= total) return err({ kind: "nothing-to-write", message: `the series has ${have} episode${have === 1 ? "" : "s"} already; nothing is missing for --episodes ${total}` });
  const outline = project.use.text === OFFLINE;
  let premises: Premise[];
  let estimate = 0;
  let cost = 0;
  let model: string | undefined;
  if (outline) premises = outlinePremises(project, total);
  else {
    const backends = await resolveBackends(project, env as NodeJS.ProcessEnv);
    if (!backends.ok) return err({ kind: "usage", message: backends.error });
    const text = backends.value.text;
    const provider = text.provider;
    if (!provider.premises) return err({ kind: "usage", message: `the text provider '${text.name}' cannot write episode premises; use an openai provider, or offline for an outline` });
    model = `${text.name}/${project.providers[text.name]?.models.text ?? "?"}`;
    const wanted = total - have;
    const request: PremisesRequest = {
      title: project.title,
      theme: project.theme,
      language: project.language,
      style: project.style,
      episodes: wanted,
      first: have + 1,
      total,
      earlier: project.episodes.map((e) => `${e.title}: ${e.premise ?? e.scenes.map((s) => s.beat ?? s.action).filter(Boolean).join(" ")}`),
    };
    estimate = provider.estimate("text", request);
    const budget = options.budget ?? project.budget;
    if (budget !== undefined && estimate > budget) return err({ kind: "over-budget", estimate, budget });
    const signal = options.signal ?? new AbortController().signal;
    const tmp = await mkdtemp(join(tmpdir(), "dramake-write-"));
    try {
      const answer = await provider.premises(request, (draft) => {
        const why = premisesMisfit(draft, wanted);
        return why === undefined ? { ok: true, value: draft.episodes.map((e) => ({ title: e.title.trim(), premise: e.premise.trim() })) } : { ok: false, why };
      }, callContext(signal, tmp, [], (usd) => (cost += usd)));
      cost += answer.cost;
      premises = answer.value;
    } catch (e) {
      if (signal.aborted) throw e;
      return err({ kind: "provider", message: e instanceof Error ? e.message : String(e), cost });
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  const episodes = episodeEntries(project, total, premises);
  if (!episodes.ok) return err({ kind: "provider", message: `episodes: ${episodes.error}`, cost });
  const before = await readFile(project.file, "utf8");
  const after = await applyDraft({ file: project.file, before, text: before, cast: {}, scenes: [], episodes: episodes.value, replaceScenes: false, comment: outline ? EPISODES_OUTLINE_COMMENT : `episodes written by \`dramake write --episodes\` with ${model}: edit freely`, dryRun: options.dryRun ?? false, env });
  if (!after.ok) return after;
  const scenes = episodes.value.flatMap((e) => e.scenes);
  return ok({
    file: project.file,
    written: !options.dryRun,
    outline,
    before,
    after: after.value,
    addedCast: [],
    addedScenes: scenes.map((s) => s.id),
    addedEpisodes: episodes.value.map((e) => e.id),
    size: { scenes: scenes.length, secondsPerScene: Number(scenes[0]?.seconds ?? 0), wordsPerScene: 0 },
    estimate,
    cost,
    model,
    notes: [],
  });
}

type Script = NonNullable<import("../providers/types.js").Provider["script"]>;

async function draftWithModel(
  project: Project,
  script: Script,
  parts: number,
  requestFor: (i: number, cast: ScriptRequest["cast"], beats: readonly string[]) => ScriptRequest,
  base: Omit<Parameters<typeof normalizeDraft>[1], "scenes" | "seconds">,
  shares: readonly number[],
  signal: AbortSignal,
): Promise<Result<Drafted, WriteProblem>> {
  const tmp = await mkdtemp(join(tmpdir(), "dramake-write-"));
  const notes: string[] = [];
  const cast: Record<string, CastEntry> = {};
  const scenes: SceneEntry[] = [];
  let cost = 0;
  try {
    for (let i = 0; i < parts; i++) {
      const known = { ...base.existingCast, ...Object.fromEntries(Object.entries(cast).map(([k, c]) => [k, { name: c.name }])) };
      const castRefs = [
        ...Object.entries(project.cast).map(([id, c]) => ({ id, name: c.name, look: c.look })),
        ...Object.entries(cast).map(([id, c]) => ({ id, name: c.name, look: c.look })),
      ];
      const ctx = { ...base, existingCast: known, takenSceneIds: scenes.map((s) => s.id), scenes: shares[i]!, seconds: "near-plan" as const };
      const beats = scenes.map((s) => String(s.beat ?? s.id));
      let answer: { value: Normalized; cost: number };
      try {
        answer = await script(requestFor(i, castRefs, beats), (draft) => {
          const r = normalizeDraft(draft, ctx);
          return r.ok ? { ok: true, value: r.value } : { ok: false, why: r.error };
        }, callContext(signal, tmp, notes, (usd) => (cost += usd)));
      } catch (e) {
        if (signal.aborted) throw e;
        return err({ kind: "provider", message: e instanceof Error ? e.message : String(e), cost });
      }
      cost += answer.cost;
      Object.assign(cast, answer.value.cast);
      scenes.push(...answer.value.scenes);
      notes.push(...answer.value.notes);
    }
    return ok({ cast, scenes, notes, cost });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
