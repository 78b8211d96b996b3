/**
 * `dramake import script.fountain [dir]`: a screenplay's scenes and speakers
 * into drama.yaml, appended after what is there (--force replaces the
 * scenes), or a new drama.yaml when the directory has none. What the format
 * has and drama.yaml does not (transitions, parentheticals, notes) is listed
 * with its line, never silently lost.
 */
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Diagnostic } from "../project/diagnostic.js";
import { loadProject, PROJECT_FILE } from "../project/load.js";
import { readText } from "../project/read-text.js";
import { OFFLINE } from "../project/schema.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import { applyDraft, type ApplyProblem, type DraftOutcome } from "./apply.js";
import { normalizeDraft } from "./normalize.js";
import { parseScreenplay, type Unmapped } from "./screenplay.js";

export interface ImportOptions {
  readonly force?: boolean;
  readonly dryRun?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type ImportProblem =
  | { readonly kind: "usage"; readonly message: string }
  | { readonly kind: "project"; readonly diagnostics: readonly Diagnostic[] }
  | ApplyProblem;

export interface ImportOutcome extends DraftOutcome {
  /** A new drama.yaml was made (the directory had none). */
  readonly created: boolean;
  /** What had no place in drama.yaml, by line of the screenplay. */
  readonly unmapped: readonly Unmapped[];
}

/** Seconds a scene gets when its words give no length (the schema's default). */
const FALLBACK_SECONDS = 6;

async function projectFileIn(target: string): Promise<{ file: string; exists: boolean }> {
  const absolute = path.resolve(target);
  const info = await stat(absolute).catch(() => undefined);
  if (info?.isFile()) return { file: absolute, exists: true };
  const file = path.join(absolute, PROJECT_FILE);
  return { file, exists: (await stat(file).catch(() => undefined))?.isFile() ?? false };
}

function header(title: string, script: string, language: string): string {
  return `# Imported from ${path.basename(script)} by \`dramake import\`. Check it: dramake validate\ndramake: 1\ntitle: ${JSON.stringify(title)}\nlanguage: ${language}\n`;
}

export async function importScreenplay(script: string, target: string, options: ImportOptions = {}): Promise<Result<ImportOutcome, ImportProblem>> {
  const env = options.env ?? process.env;
  const source = await readText(path.resolve(script));
  if (!source.ok) return err({ kind: "usage", message: `cannot read ${script}: ${source.error[0]?.message ?? "unreadable"}` });
  const screenplay = parseScreenplay(script, source.value);
  if (!screenplay.draft.scenes.length) {
    return err({ kind: "usage", message: `no scenes in ${script}: expected Fountain (scene headings such as INT. KITCHEN - NIGHT, character cues, dialogue) or lines of NAME: text` });
  }

  const { file, exists } = await projectFileIn(target);
  let before: string | undefined;
  let text: string;
  let existingCast: Record<string, { name: string }> = {};
  let takenSceneIds: string[] = [];
  let language = "en";
  let speechProvider: string | undefined;
  let replacing = false;
  if (exists) {
    const loaded = await loadProject(file, { env, draft: true, keysOptional: true });
    if (!loaded.ok) return err({ kind: "project", diagnostics: loaded.error });
    const project = loaded.value;
    const read = await readText(file);
    if (!read.ok) return err({ kind: "project", diagnostics: read.error });
    before = read.value;
    text = before;
    existingCast = Object.fromEntries(Object.entries(project.cast).map(([k, c]) => [k, { name: c.name }]));
    replacing = (options.force ?? false) && project.scenes.length > 0;
    takenSceneIds = replacing ? [] : project.scenes.map((s) => s.id);
    language = project.language;
    speechProvider = project.use.speech === OFFLINE ? undefined : project.use.speech;
  } else {
    const title = screenplay.title ?? path.basename(script).replace(/\.[^.]+$/, "");
    // A screenplay in Chinese or Japanese script gets its language, so voices and subtitles fit; anything else starts as English.
    language = /[\u3040-\u30ff]/.test(source.value) ? "ja" : /\p{Script=Han}/u.test(source.value) ? "zh-CN" : "en";
    text = header(title || "Imported", script, language);
  }

  const normalized = normalizeDraft(screenplay.draft, { existingCast, takenSceneIds, language, speechProvider, secondsPerScene: FALLBACK_SECONDS, seconds: "draft" });
  // The draft is built from the file: a reason here is about the screenplay, shown as such.
  if (!normalized.ok) return err({ kind: "usage", message: `${script}: ${normalized.error}` });
  const { cast, scenes, notes } = normalized.value;
  // A new project's directory is made when it is written; a dry run checks the text in a scratch directory instead.
  const scratch = !exists && options.dryRun && !(await stat(path.dirname(file)).catch(() => undefined)) ? await mkdtemp(path.join(tmpdir(), "dramake-import-")) : undefined;
  if (!exists && !options.dryRun) await mkdir(path.dirname(file), { recursive: true });
  const after = await applyDraft({
    file: scratch ? path.join(scratch, PROJECT_FILE) : file,
    before,
    text,
    cast,
    scenes,
    replaceScenes: replacing,
    comment: `imported from ${path.basename(script)} by \`dramake import\``,
    dryRun: options.dryRun ?? false,
    env,
  });
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (!after.ok) return after;
  return ok({
    file,
    created: !exists,
    written: !options.dryRun,
    before,
    after: after.value,
    addedCast: Object.keys(cast),
    addedScenes: scenes.map((s) => s.id),
    unmapped: screenplay.unmapped,
    notes,
  });
}
