/**
 * loadProject: drama.yaml on disk -> a validated Project, or every problem
 * in it as positioned diagnostics. Never throws for bad input: whatever the
 * bytes (binary, huge, tabs, duplicate keys, alias bombs), the answer is a
 * Result.
 */
import { open, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { visit, type Node } from "yaml";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";
import { checkFiles, checkFormat, checkProviders, checkScenes, checkVoices } from "./checks.js";
import type { Diagnostic } from "./diagnostic.js";
import { displayPath } from "./diagnostic.js";
import type { Env, TreeProblem } from "./env.js";
import { interpolateTree, loadDotEnv } from "./env.js";
import { issuesToDiagnostics } from "./issues.js";
import type { Project } from "./project.js";
import { resolveProject } from "./project.js";
import { projectSchema, MODALITIES, OFFLINE } from "./schema.js";
import type { SourceFile } from "./source.js";
import { diagnosticAt, diagnosticAtSpan, fileDiagnostic, parseSource } from "./source.js";

export const PROJECT_FILE = "drama.yaml";
/** A project file is hand-written text; anything larger is a mistake, not a drama. */
export const MAX_PROJECT_BYTES = 10 * 1024 * 1024;
/** Alias expansions allowed when building the value ("billion laughs" protection). */
export const MAX_ALIAS_COUNT = 100;

export interface LoadProjectOptions {
  /** Environment for `${VAR}`; default process.env. Wins over `.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Treat `use:` as offline for everything (`build --offline`): unset keys of unused providers are then fine. */
  readonly offline?: boolean;
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
    const info = await stat(file);
    if (info.isFile()) return ok(file);
  } catch {
    // fall through
  }
  return err([fileDiagnostic(file, { code: "not-found", message: `no ${PROJECT_FILE} in ${target}`, allowed: `run 'dramake init ${target}' to start one` })]);
}

/** Where the first byte that is not UTF-8 is, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlongs and surrogates: the strict decoder will catch them; point at the lead byte.
    i += need + 1;
  }
  return -1;
}

function positionInBytes(bytes: Uint8Array, index: number): { line: number; col: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const col = new TextDecoder().decode(bytes.subarray(lineStart, index)).length + 1;
  const offset = new TextDecoder().decode(bytes.subarray(0, index)).length;
  return { line, col, offset };
}

async function readText(file: string): Promise<Loaded<string>> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return err([fileDiagnostic(file, { code: "not-found", message: `cannot read ${path.basename(file)}` })]);
  }
  if (size > MAX_PROJECT_BYTES) {
    return err([
      fileDiagnostic(file, {
        code: "file-too-large",
        message: `${path.basename(file)} is ${(size / 1024 / 1024).toFixed(1)} MB; a project file may be at most ${MAX_PROJECT_BYTES / 1024 / 1024} MB`,
        allowed: "a hand-written project file; keep media in separate files it references",
      }),
    ]);
  }
  let bytes: Buffer;
  try {
    // Read at most the cap even if the file grew since stat.
    const handle = await open(file, "r");
    try {
      const buffer = Buffer.alloc(Math.min(size, MAX_PROJECT_BYTES) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      bytes = buffer.subarray(0, Math.min(bytesRead, MAX_PROJECT_BYTES));
    } finally {
      await handle.close();
    }
  } catch (e) {
    return err([fileDiagnostic(file, { code: "unreadable", message: `cannot read ${path.basename(file)} (${(e as NodeJS.ErrnoException).code ?? "error"})` })]);
  }
  const nul = bytes.indexOf(0);
  const invalid = firstInvalidUtf8(bytes);
  const bad = nul !== -1 && (invalid === -1 || nul < invalid) ? nul : invalid;
  let text: string | undefined;
  if (bad === -1) {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      text = undefined;
    }
  }
  if (text === undefined) {
    const at = bad === -1 ? { line: 1, col: 1, offset: 0 } : positionInBytes(bytes, bad);
    return err([
      fileDiagnostic(
        file,
        {
          code: "not-text",
          message: `${path.basename(file)} is not UTF-8 text (${nul !== -1 && bad === nul ? "a NUL byte" : "an invalid byte"} at line ${at.line})`,
          allowed: "a UTF-8 text file",
        },
        at,
      ),
    ]);
  }
  return ok(text.startsWith("\ufeff") ? text.slice(1) : text);
}

interface YamlExplanation {
  readonly message?: string;
  readonly allowed: string;
}

const YAML_EXPLANATIONS: Partial<Record<string, (src: SourceFile, pos: [number, number]) => YamlExplanation>> = {
  DUPLICATE_KEY: (src, pos) => {
    const key = src.text.slice(pos[0], pos[0] + 200).split(/:(?:\s|$)|\n/)[0]?.trim();
    return {
      message: key ? `duplicate key '${key}' (each key may appear once in a map)` : "duplicate key (each key may appear once in a map)",
      allowed: "each key once per map: rename one, or merge the two entries",
    };
  },
  TAB_AS_INDENT: () => ({ message: "tabs are not allowed for indentation in YAML; indent with spaces", allowed: "spaces for indentation (tabs only inside text)" }),
  MULTIPLE_DOCS: () => ({ message: "the file holds more than one YAML document ('---'); a project is one document", allowed: "a single document: remove the '---' line and what follows, or merge it" }),
  RESOURCE_EXHAUSTION: () => ({ message: "the file nests too deeply to read", allowed: "the shallow structure of a project file" }),
};

/** `{ api_key: ${KEY} }`: inside { } or [ ] the braces of ${...} are YAML syntax. */
const UNQUOTED_VARIABLE: YamlExplanation = {
  message: "${...} inside { } or [ ] must be in quotes",
  allowed: 'a quoted reference such as "${NAME}", or the key on its own line (block style)',
};

const YAML_GENERIC_ALLOWED = "valid YAML: check this line and the one above for an unclosed bracket or quote, a missing ':' or wrong indentation";

function yamlDiagnostics(src: SourceFile): { errors: Diagnostic[]; warnings: Diagnostic[] } {
  const convert = (e: (typeof src.doc.errors)[number], severity: "error" | "warning"): Diagnostic => {
    const explained = src.text.startsWith("${", e.pos[0] - 1) ? UNQUOTED_VARIABLE : YAML_EXPLANATIONS[e.code]?.(src, e.pos);
    const first = e.message.split("\n")[0] ?? e.message;
    const message = explained?.message ?? `YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    const length = Math.max(1, Math.min(e.pos[1] - e.pos[0], (src.text.indexOf("\n", e.pos[0]) + 1 || src.text.length + 1) - 1 - e.pos[0]));
    return diagnosticAtSpan(src, { offset: e.pos[0], length }, {
      code: `yaml-${e.code.toLowerCase().replace(/_/g, "-")}`,
      message,
      allowed: explained?.allowed ?? YAML_GENERIC_ALLOWED,
      severity,
    });
  };
  // One syntax mistake trips the parser on every line after it: report the first,
  // plus duplicate keys, which never cascade and are worth fixing in one go.
  const errors = src.doc.errors.filter((e, i) => i === 0 || e.code === "DUPLICATE_KEY");
  const firstPerLine = (diags: Diagnostic[]): Diagnostic[] => diags.filter((d, i) => diags.findIndex((o) => o.line === d.line) === i);
  return {
    errors: firstPerLine(errors.map((e) => convert(e, "error"))),
    warnings: firstPerLine(src.doc.warnings.map((e) => convert(e, "warning"))),
  };
}

/** The document as plain data; aliases are expanded at most MAX_ALIAS_COUNT times. */
function toData(src: SourceFile): Loaded<unknown> {
  try {
    return ok(src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }));
  } catch (e) {
    const firstAlias = findAlias(src);
    const span = firstAlias?.range ? { offset: firstAlias.range[0], length: Math.max(1, firstAlias.range[1] - firstAlias.range[0]) } : { offset: 0, length: 1 };
    const message = e instanceof Error ? e.message : String(e);
    const problem = /Excessive alias count/.test(message)
      ? { code: "alias-limit", message: `aliases expand too much (more than ${MAX_ALIAS_COUNT} expansions)`, allowed: "a few anchors and aliases (*name), not nested repetitions" }
      : /Unresolved alias/.test(message)
        ? { code: "bad-alias", message: "an alias (*name) refers to no anchor (&name) defined before it", allowed: "an alias of an anchor defined earlier in the file" }
        : { code: "yaml-invalid", message: "the YAML cannot be turned into data" };
    const unresolved = problem.code === "bad-alias" ? findAlias(src, true) : undefined;
    const where = unresolved?.range ? { offset: unresolved.range[0], length: Math.max(1, unresolved.range[1] - unresolved.range[0]) } : span;
    return err([diagnosticAtSpan(src, where, problem)]);
  }
}

function findAlias(src: SourceFile, unresolvedOnly = false): Node | undefined {
  let found: Node | undefined;
  visit(src.doc, {
    Alias(_key, node) {
      if (unresolvedOnly && node.resolve(src.doc) !== undefined) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  return found;
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

function envDiagnostics(src: SourceFile, problems: readonly TreeProblem[], used: ReadonlySet<string>): Diagnostic[] {
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
    out.push(
      diagnosticAt(src, at, "value", {
        code: "unset-env",
        message: `environment variable ${problem.name} is not set`,
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
  const yaml = yamlDiagnostics(src);
  // A syntax error leaves the tree unreliable: report the syntax, not its consequences.
  if (yaml.errors.length) return err(unique([...yaml.errors, ...yaml.warnings].sort(byPosition)));
  const parsed = toData(src);
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
  const interpolated = interpolateTree(parsed.value, env);
  const data = interpolated.data;
  const ctx = { src, dir, data, fromEnv: interpolated.fromEnv };

  const result = projectSchema.safeParse(data);
  if (!result.success) {
    // Thousands of broken scenes give thousands of issues; the first ones are what a writer fixes first.
    const issues = result.error.issues.slice(0, MAX_DIAGNOSTICS * 2);
    append(diagnostics, issuesToDiagnostics(issues, { src, schema: projectSchema, data, fromEnv: interpolated.fromEnv }));
  }
  for (const check of [checkScenes, checkFormat, checkProviders, checkVoices]) append(diagnostics, check(ctx));
  const files = await checkFiles(ctx);
  append(diagnostics, files.diagnostics);
  // An unset variable is the cause; an empty value complained about at the same spot is its echo.
  const envProblems = envDiagnostics(src, interpolated.problems, usedProviders(data, options.offline ?? false));
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
      referencedFiles: files.files,
      normalizedFiles: files.normalized,
      warnings: all,
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
    try {
      if ((await stat(file)).size > MAX_PROJECT_BYTES) continue;
      const text = await readFile(file, "utf8");
      sources.set(file, text.startsWith("\ufeff") ? text.slice(1) : text);
    } catch {
      // No frame for an unreadable file; the message still stands.
    }
  }
  return sources;
}

export { displayPath };
