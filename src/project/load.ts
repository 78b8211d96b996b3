/**
 * loadProject: drama.yaml on disk -> a validated Project, or every problem
 * in it as positioned diagnostics. Never throws for bad input: whatever the
 * bytes (binary, huge, tabs, duplicate keys, alias bombs), the answer is a
 * Result.
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import { checkDialogue, checkFiles, checkFormat, checkProviders, checkScenes, checkVoices } from "./checks.js";
import { checkFinishing, checkSeriesCover } from "./finishing.js";
import { loadSeries } from "./series.js";
import { checkKeyOrigins } from "./key-origins.js";
import type { Diagnostic } from "./diagnostic.js";
import { displayPath } from "./diagnostic.js";
import type { Env, TreeProblem } from "./env.js";
import { interpolateTree, loadDotEnv } from "./env.js";
import { issuesToDiagnostics, mistypedKeys } from "./issues.js";
import type { Project } from "./project.js";
import { resolveProject } from "./project.js";
import { draftProjectSchema, projectSchema, MODALITIES, OFFLINE } from "./schema.js";
import type { SourceFile } from "./source.js";
import { diagnosticAt, fileDiagnostic, parseSource } from "./source.js";
import { MAX_PROJECT_BYTES, readRegularFile, readText } from "./read-text.js";
import { rememberValid, yamlData } from "./parse-cache.js";

export { MAX_PROJECT_BYTES } from "./read-text.js";
export { MAX_ALIAS_COUNT } from "./yaml-problems.js";

export const PROJECT_FILE = "drama.yaml";

export interface LoadProjectOptions {
  /** Environment for `${VAR}`; default process.env. Wins over `.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Treat `use:` as offline for everything (`build --offline`): unset keys of unused providers are then fine. */
  readonly offline?: boolean;
  /**
   * For commands that spend nothing (plan, status, explain, graph): an unset
   * API key is a warning, so a writer can price a build before having a key.
   */
  readonly keysOptional?: boolean;
  /** A project being written (`write`, `import`): `scenes:` may be missing or empty. */
  readonly draft?: boolean;
}

type Loaded<T> = Result<T, Diagnostic[]>;

/** `target` is a project directory (holding drama.yaml) or the file itself. */
async function findProjectFile(target: string): Promise<Loaded<string>> {
  const absolute = path.resolve(target);
  try {
    const info = await stat(absolute);
    if (!info.isDirectory()) return ok(absolute);
  } catch {
    return err([fileDiagnostic(absolute, { code: "not-found", message: `no such file or directory: ${target}`, allowed: `a project directory holding ${PROJECT_FILE}, or the file itself` })]);
  }
  const file = path.join(absolute, PROJECT_FILE);
  try {
    // Whatever it is, readText says what is wrong with it (a FIFO, a device) at its path.
    await stat(file);
    return ok(file);
  } catch {
    // fall through
  }
  return err([fileDiagnostic(file, { code: "not-found", message: `no ${PROJECT_FILE} in ${target}`, allowed: `run 'dramake init ${target}' to start one` })]);
}

/** Which provider names `use:` picks, for deciding whether an unset variable matters. */
function usedProviders(data: unknown, offline: boolean): Set<string> {
  const used = new Set<string>();
  if (offline || data === null || typeof data !== "object") return used;
  const use = (data as Record<string, unknown>).use;
  if (use === null || typeof use !== "object") return used;
  for (const m of MODALITIES) {
    const name = (use as Record<string, unknown>)[m];
    if (typeof name === "string" && name !== OFFLINE) used.add(name);
  }
  return used;
}

function envDiagnostics(src: SourceFile, problems: readonly TreeProblem[], used: ReadonlySet<string>, keysOptional: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path: at, problem } of problems) {
    if (problem.kind === "malformed") {
      out.push(
        diagnosticAt(src, at, "value", {
          code: "bad-interpolation",
          message: "malformed ${...} reference",
          allowed: "${NAME} or ${NAME:-default} with NAME of letters, digits and _; write $$ for a literal $",
        }),
      );
      continue;
    }
    // A provider nobody uses may lack its key: the project still builds.
    if (at[0] === "providers" && typeof at[1] === "string" && !used.has(at[1])) continue;
    const isKey = (at[2] === "api_key" && at.length === 3) || (at[2] === "endpoints" && at[4] === "api_key" && at.length === 5);
    if (keysOptional && at[0] === "providers" && isKey) {
      out.push(
        diagnosticAt(src, at, "value", {
          code: "unset-env",
          severity: "warning",
          message: `environment variable ${problem.name} is not set (or empty): fine for looking, but a build will need it`,
          allowed: `set ${problem.name} in the environment or in .env beside ${path.basename(src.file)}`,
        }),
      );
      continue;
    }
    out.push(
      diagnosticAt(src, at, "value", {
        code: "unset-env",
        message: `environment variable ${problem.name} is not set (or empty)`,
        allowed: `set ${problem.name} in the environment or in .env beside ${path.basename(src.file)}, or give a default: \${${problem.name}:-value}`,
      }),
    );
  }
  return out;
}

/** Beyond this many, a list of problems stops helping; the rest are summed up in one line. */
export const MAX_DIAGNOSTICS = 100;

function capped(diags: Diagnostic[]): Diagnostic[] {
  if (diags.length <= MAX_DIAGNOSTICS) return diags;
  const next = diags[MAX_DIAGNOSTICS]!;
  return [
    ...diags.slice(0, MAX_DIAGNOSTICS),
    { ...next, code: "more", allowed: undefined, message: `and ${diags.length - MAX_DIAGNOSTICS} more problems from here on (fix the ones above first)` },
  ];
}

/** push(...items) overflows the stack for very long arrays. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file === b.file ? a.offset - b.offset || a.message.localeCompare(b.message) : a.file.localeCompare(b.file);
}

function unique(diags: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diags.filter((d) => {
    const key = `${d.file}\0${d.offset}\0${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function load(target: string, options: LoadProjectOptions): Promise<Loaded<Project>> {
  const found = await findProjectFile(target);
  if (!found.ok) return found;
  const file = found.value;
  const dir = path.dirname(file);

  const text = await readText(file);
  if (!text.ok) return text;
  const src = parseSource(file, text.value);
  const yaml = await yamlData(src, dir);
  // A syntax error leaves the tree unreliable: report the syntax, not its consequences.
  if (yaml.errors.length || !yaml.data) return err(unique([...yaml.errors, ...yaml.warnings].sort(byPosition)));
  const parsed = yaml.data;
  if (!parsed.ok) return parsed;

  const diagnostics: Diagnostic[] = [...yaml.warnings];
  const dotEnvFile = path.join(dir, ".env");
  const dotEnv = await loadDotEnv(dotEnvFile);
  if (dotEnv.kind === "loaded") {
    // Line numbers only, no frame: a .env line may hold a secret.
    for (const p of dotEnv.problems) {
      diagnostics.push(fileDiagnostic(dotEnvFile, { code: "bad-dotenv", message: `.env line ${p.line}: ${p.message}`, allowed: "NAME=value lines and # comments" }, { line: p.line, col: 1, offset: 0 }));
    }
  } else if (dotEnv.kind === "unreadable") {
    diagnostics.push(fileDiagnostic(dotEnvFile, { code: "bad-dotenv", message: `cannot read .env (${dotEnv.reason})` }));
  }
  const env: Env = { ...(dotEnv.kind === "loaded" ? dotEnv.values : {}), ...definedOnly(options.env ?? process.env) };
  const schema = options.draft ? draftProjectSchema : projectSchema;
  const interpolated = interpolateTree(parsed.value, env, schema);
  const data = interpolated.data;

  // Data from the bytes alone (no value of a variable in it) validates as it did last time: remembered with the YAML.
  const fromBytes = interpolated.fromEnv.size === 0 && interpolated.problems.length === 0;
  const schemaName = options.draft ? "draft" : "project";
  const remembered = fromBytes ? yaml.valid?.[schemaName] : undefined;
  const result = remembered !== undefined ? ({ success: true, data: remembered } as ReturnType<typeof schema.safeParse>) : schema.safeParse(data);
  if (fromBytes && remembered === undefined && result.success) await rememberValid(src, dir, yaml, schemaName, result.data);
  const mistyped = result.success ? new Set<string>() : mistypedKeys(result.error.issues, schema, data);
  const ctx = { src, dir, data, fromEnv: interpolated.fromEnv, mistyped };
  if (!result.success) {
    // Thousands of broken scenes give thousands of issues; the first ones are what a writer fixes first.
    const issues = result.error.issues.slice(0, MAX_DIAGNOSTICS * 2);
    append(diagnostics, issuesToDiagnostics(issues, { src, schema, data, fromEnv: interpolated.fromEnv }));
  }
  // Included files and episodes, each checked where it is written; their cast joins the project's for the checks below.
  const series = await loadSeries({ src, dir, data, fromEnv: interpolated.fromEnv, env, draft: options.draft ?? false });
  append(diagnostics, series.diagnostics);
  const hasCast = Object.keys(series.castRaw).length > 0;
  const withAllCast = { ...ctx, data: data !== null && typeof data === "object" && hasCast ? { ...data, cast: series.castRaw } : data };
  append(diagnostics, checkScenes(withAllCast).filter((d) => !(series.incomplete && d.code === "unknown-cast")));
  for (const check of [checkFormat, checkProviders, checkVoices, checkDialogue]) append(diagnostics, check(ctx));
  append(diagnostics, checkFinishing(src, data));
  if (series.episodes) append(diagnostics, checkSeriesCover(src, data, series.episodes.map((e) => e.episode)));
  const files = await checkFiles(ctx);
  append(diagnostics, files.diagnostics);
  // A key from the environment goes only to an origin the user trusts: checked before anything can be sent.
  append(
    diagnostics,
    await checkKeyOrigins({ src, data, raw: parsed.value, fromEnv: interpolated.fromEnv, offline: options.offline ?? false, warnOnly: options.keysOptional ?? false, env: options.env ?? process.env }),
  );
  // An unset variable is the cause; an empty value complained about at the same spot is its echo.
  const envProblems = envDiagnostics(src, interpolated.problems, usedProviders(data, options.offline ?? false), options.keysOptional ?? false);
  const causes = new Set(envProblems.map((d) => d.offset));
  const consequences = diagnostics.filter((d) => !(d.file === file && causes.has(d.offset)));
  const all = capped(unique(consequences.concat(envProblems).sort(byPosition)));
  const errors = all.filter((d) => d.severity === "error");
  if (errors.length || !result.success) return err(all);
  return ok(
    resolveProject({
      drama: result.data,
      file,
      dir,
      referencedFiles: [...new Set([...files.files, ...series.files])].sort(),
      normalizedFiles: files.normalized,
      warnings: all,
      envNames: [...new Set([...interpolated.names, ...series.envNames])].sort(),
      included: series.included,
      includedCast: series.cast,
      ...(series.episodes ? { series: { episodes: series.episodes } } : {}),
      offline: options.offline ?? false,
    }),
  );
}

function definedOnly(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

/**
 * Loads and validates a project. `target` is a directory (its drama.yaml is
 * used) or the project file itself. Every problem comes back at once, sorted
 * by position; warnings ride along on success as `project.warnings`.
 */
export async function loadProject(target: string, opts: LoadProjectOptions = {}): Promise<Result<Project, Diagnostic[]>> {
  try {
    return await load(target, opts);
  } catch (e) {
    // A bug, not bad input; still an answer rather than a crash, and the tests assert it never happens.
    const file = path.resolve(target);
    return err([
      fileDiagnostic(file, {
        code: "internal",
        message: `internal error while reading the project (please report it): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`,
      }),
    ]);
  }
}

/**
 * The texts formatDiagnostics needs for code frames, read from disk.
 * `.env` files are never read: a frame there could show a secret.
 */
export async function readSources(diags: readonly Diagnostic[]): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const file of new Set(diags.map((d) => d.file))) {
    if (/^\.env(\..*)?$/.test(path.basename(file))) continue;
    // No frame for a file that is unreadable, too large or not a regular file; the message still stands.
    const read = await readRegularFile(file, MAX_PROJECT_BYTES);
    if (read.kind !== "read") continue;
    const text = read.bytes.toString("utf8");
    sources.set(file, text.startsWith("\ufeff") ? text.slice(1) : text);
  }
  return sources;
}

export { displayPath };
