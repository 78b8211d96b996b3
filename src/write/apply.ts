/**
 * The last step `write` and `import` share: new cast and scenes into the
 * project file, in place. Added after what is there (or replacing the scenes,
 * when asked), checked by loading the whole edited file from a temp file
 * beside the real one, and only then put in its place; any failure leaves
 * drama.yaml as it was.
 */
import type { Diagnostic } from "../project/diagnostic.js";
import { editYamlText, replaceFile, type EditProblem, type YamlEdit } from "../project/edit.js";
import { loadProject } from "../project/load.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import type { EpisodeEntry } from "./episodes.js";
import type { CastEntry, SceneEntry } from "./normalize.js";

export type ApplyProblem =
  | { readonly kind: "edit"; readonly problem: EditProblem }
  /** The edited file did not load (a bug if it happens: every entry was checked). */
  | { readonly kind: "result-invalid"; readonly diagnostics: readonly Diagnostic[] };

/** What `write` and `import` both report. */
export interface DraftOutcome {
  readonly file: string;
  /** Whether the file was written (false for --dry-run). */
  readonly written: boolean;
  /** The file's text before (undefined for a new file) and with the additions. */
  readonly before: string | undefined;
  readonly after: string;
  readonly addedCast: readonly string[];
  readonly addedScenes: readonly string[];
  /** Episode ids added to a series (`write --episodes`). */
  readonly addedEpisodes?: readonly string[];
  /** Things smoothed over on the way (a name left out of a scene's cast). */
  readonly notes: readonly string[];
}

export interface ApplyInput {
  readonly file: string;
  /** The file's text as read; undefined when the file is new (then `text` is its header). */
  readonly before: string | undefined;
  readonly text: string;
  readonly cast: Readonly<Record<string, CastEntry>>;
  readonly scenes: readonly SceneEntry[];
  /** New episodes of a series, appended to `episodes:` (then `scenes` is empty). */
  readonly episodes?: readonly EpisodeEntry[];
  /** Replace `scenes:` (--force) instead of appending to it. */
  readonly replaceScenes: boolean;
  /** A YAML comment above the added scenes: where they came from. */
  readonly comment: string;
  readonly dryRun: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export async function applyDraft(input: ApplyInput): Promise<Result<string, ApplyProblem>> {
  const edits: YamlEdit[] = [];
  if (Object.keys(input.cast).length) edits.push({ kind: "add", path: ["cast"], entries: input.cast });
  if (input.episodes) edits.push({ kind: "append", path: ["episodes"], items: input.episodes, comment: input.comment });
  else edits.push(input.replaceScenes ? { kind: "set", path: ["scenes"], value: input.scenes } : { kind: "append", path: ["scenes"], items: input.scenes, comment: input.comment });
  const after = editYamlText(input.text, edits);
  if (!after.ok) return err({ kind: "edit", problem: after.error });
  const check = async (temp: string): Promise<Result<void, ApplyProblem>> => {
    const back = await loadProject(temp, { env: input.env, keysOptional: true });
    if (back.ok) return ok(undefined);
    return err({ kind: "result-invalid", diagnostics: back.error.map((d) => (d.file === temp ? { ...d, file: input.file } : d)) });
  };
  const written = await replaceFile(input.file, input.before, after.value, { check, dryRun: input.dryRun });
  if (!written.ok) return err("kind" in written.error ? written.error : { kind: "edit", problem: written.error });
  return ok(after.value);
}
