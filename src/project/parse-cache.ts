/**
 * The YAML of a project file as plain data, remembered across commands. The
 * `yaml` library's parse (kept for its positions and its precise errors) is
 * most of what loading a big project costs: ~0.5 s for the 300 KB drama.yaml
 * of 10,000 steps. A file that parsed without any YAML problem has its data
 * kept in `.dramake/parsed/`, one entry per project file, under a hash of its
 * text, dramake's code and the library's version; the next command that reads
 * the same bytes takes the data from there and parses the document only if a
 * diagnostic needs a position in it (source.ts parses lazily).
 * Only where `.dramake/` exists already (a project that was planned or built):
 * looking at a fresh project leaves no trace in it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { createRequire } from "node:module";
import path from "node:path";
import { writeFileAtomic } from "../atomic.js";
import { codeStamp } from "../code-stamp.js";
import { ok, type Result } from "../result.js";
import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "./source.js";
import { toData, yamlDiagnostics } from "./yaml-problems.js";

export interface YamlData {
  readonly errors: Diagnostic[];
  readonly warnings: Diagnostic[];
  /** Undefined when there are syntax errors (the tree is then unreliable). */
  readonly data: Result<unknown, Diagnostic[]> | undefined;
  /** A schema's successful parse of `data`, as remembered with it by `rememberValid`, by the schema's name. */
  readonly valid?: Readonly<Record<string, unknown>>;
}

interface Entry {
  readonly key: string;
  readonly data: unknown;
  readonly valid?: Readonly<Record<string, unknown>>;
}

let version: string | undefined;
function cacheVersion(): string {
  if (version === undefined) {
    const yaml = (createRequire(import.meta.url)("yaml/package.json") as { version: string }).version;
    version = `1:${yaml}:${codeStamp()}`;
  }
  return version;
}

/** `projectDir` is where `.dramake/` is; undefined: no cache. */
export async function yamlData(src: SourceFile, projectDir: string | undefined): Promise<YamlData> {
  const { cache, key } = cacheOf(src, projectDir);
  if (cache) {
    try {
      const entry = JSON.parse(readFileSync(cache, "utf8")) as Entry;
      if (entry.key === key) return { errors: [], warnings: [], data: ok(entry.data), ...(entry.valid ? { valid: entry.valid } : {}) };
    } catch {
      // No entry yet, or an unreadable one: parse.
    }
  }
  const yaml = yamlDiagnostics(src);
  if (yaml.errors.length) return { ...yaml, data: undefined };
  const data = toData(src);
  // Only a clean parse is remembered: anything to report needs the document.
  if (cache && key && data.ok && yaml.warnings.length === 0) {
    await writeFileAtomic(cache, JSON.stringify({ key, data: data.value } satisfies Entry)).catch(() => undefined);
  }
  return { ...yaml, data };
}

/**
 * Remembers `value`, the schema `schema`'s successful parse of the file's
 * data, in the file's entry: validating the scenes of 10,000 steps is most of
 * what a load costs once the YAML comes from here. The caller passes only
 * data that came from the bytes alone (nothing from the environment: an entry
 * never holds a value of a variable, nor a key); a value that JSON would not
 * give back exactly is not kept.
 */
export async function rememberValid(src: SourceFile, projectDir: string | undefined, yaml: YamlData, schema: string, value: unknown): Promise<void> {
  const { cache, key } = cacheOf(src, projectDir);
  if (!cache || !key || !yaml.data?.ok) return;
  const text = JSON.stringify({ key, data: yaml.data.value, valid: { ...yaml.valid, [schema]: value } } satisfies Entry);
  if (!isDeepStrictEqual((JSON.parse(text) as Entry).valid?.[schema], value)) return;
  await writeFileAtomic(cache, text).catch(() => undefined);
}

function cacheOf(src: SourceFile, projectDir: string | undefined): { cache: string | undefined; key: string | undefined } {
  const dramake = projectDir === undefined ? undefined : path.join(projectDir, ".dramake");
  const cache = dramake !== undefined && existsSync(dramake) ? cacheFile(dramake, src.file) : undefined;
  const key = cache && createHash("sha256").update(cacheVersion()).update("\0").update(src.text).digest("hex");
  return { cache, key };
}

function cacheFile(dramake: string, file: string): string {
  const name = createHash("sha256").update(path.resolve(file)).digest("hex").slice(0, 16);
  return path.join(dramake, "parsed", `${name}.json`);
}
