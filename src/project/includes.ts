/**
 * Reading a file another project file names with `include:`. The path is
 * relative to the file that names it and must stay inside the project; a
 * missing file or a cycle is reported at the `include` that names it, in the
 * file that has the problem. The included file is parsed and validated on
 * its own (its own schema, its own positions), so "did you mean" and code
 * frames work there exactly as in drama.yaml.
 */
import path from "node:path";
import { z } from "zod";
import type { Diagnostic } from "./diagnostic.js";
import type { Env } from "./env.js";
import { interpolateTree } from "./env.js";
import { resolveReference } from "./files.js";
import { issuesToDiagnostics } from "./issues.js";
import { readText } from "./read-text.js";
import type { AnySchema } from "./schema-walk.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt, parseSource, spanAt } from "./source.js";
import { yamlData } from "./parse-cache.js";

export const INCLUDE_EXTENSIONS = [".yaml", ".yml"] as const;

/**
 * What all included files of one project may add up to. With each file read
 * at most once (below) this bounds the work linearly; without it, seven files
 * each including the next six times made `validate` expand 6^6 copies (60 s, 376 MB).
 */
export const MAX_INCLUDED_BYTES = 10 * 1024 * 1024;
export const MAX_INCLUDED_FILES = 500;

/** Shared by every include of one project load: which files were read, from where, and how much. */
export interface IncludeTally {
  readonly first: Map<string, { readonly src: SourceFile; readonly at: readonly PathSegment[] }>;
  bytes: number;
}

export function newIncludeTally(): IncludeTally {
  return { first: new Map(), bytes: 0 };
}

/** An included file, parsed and checked against its schema. */
export interface IncludedFile {
  readonly file: string;
  readonly src: SourceFile;
  /** The data after interpolation; undefined when the file could not be parsed. */
  readonly data: unknown;
  readonly fromEnv: ReadonlySet<string>;
  /** Whether its schema accepted it (its problems are in the diagnostics either way). */
  readonly valid: boolean;
  readonly envNames: readonly string[];
}

export interface IncludeRequest {
  readonly dir: string;
  /** The file holding the `include`, and where in it the path is written. */
  readonly from: SourceFile;
  readonly at: readonly PathSegment[];
  readonly ref: string;
  /** Absolute files on the way here, the project file first: a cycle returns to one of them. */
  readonly chain: readonly string[];
  readonly schema: AnySchema;
  readonly env: Env;
  readonly tally: IncludeTally;
}

export async function readIncluded(req: IncludeRequest, diagnostics: Diagnostic[]): Promise<IncludedFile | undefined> {
  const fromDir = path.relative(req.dir, path.dirname(req.from.file)).split(path.sep).join("/");
  const joined = path.posix.isAbsolute(req.ref) ? req.ref : path.posix.join(fromDir || ".", req.ref);
  const resolved = await resolveReference(req.dir, joined, INCLUDE_EXTENSIONS, `'${req.ref}'`);
  if (!resolved.ok) {
    diagnostics.push(diagnosticAt(req.from, req.at, "value", { ...resolved.error, allowed: `a YAML file (.yaml, .yml) relative to ${path.basename(req.from.file)}, inside the project` }));
    return undefined;
  }
  const file = path.join(req.dir, resolved.value);
  if (req.chain.includes(file)) {
    const shown = [...req.chain.slice(req.chain.indexOf(file)), file].map((f) => path.relative(req.dir, f) || path.basename(f));
    diagnostics.push(
      diagnosticAt(req.from, req.at, "value", {
        code: "include-cycle",
        message: `including '${req.ref}' makes a cycle: ${shown.join(" -> ")}`,
        allowed: "a file not already being included on the way here",
      }),
    );
    return undefined;
  }
  // A file included a second time anywhere adds nothing a project can use (its cast
  // and episodes would be duplicates) and is how includes grow exponentially.
  const earlier = req.tally.first.get(file);
  if (earlier) {
    const line = earlier.src.lines.linePos(spanAt(earlier.src, earlier.at, "value").offset).line;
    const shown = `${path.relative(req.dir, earlier.src.file) || path.basename(earlier.src.file)}:${line}`;
    diagnostics.push(
      diagnosticAt(req.from, req.at, "value", {
        code: "include-repeated",
        message: `'${req.ref}' is already included (at ${shown}); a file is included once per project`,
        allowed: "each file included once: remove this entry, or include it only where it is first needed",
      }),
    );
    return undefined;
  }
  if (req.tally.first.size >= MAX_INCLUDED_FILES) {
    diagnostics.push(
      diagnosticAt(req.from, req.at, "value", {
        code: "include-limit",
        message: `including '${req.ref}' goes past ${MAX_INCLUDED_FILES} included files`,
        allowed: `at most ${MAX_INCLUDED_FILES} included files per project`,
      }),
    );
    return undefined;
  }
  req.tally.first.set(file, { src: req.from, at: req.at });
  const text = await readText(file);
  if (!text.ok) {
    diagnostics.push(...text.error);
    return undefined;
  }
  req.tally.bytes += Buffer.byteLength(text.value);
  if (req.tally.bytes > MAX_INCLUDED_BYTES) {
    diagnostics.push(
      diagnosticAt(req.from, req.at, "value", {
        code: "include-limit",
        message: `including '${req.ref}' makes the included files add up to more than ${MAX_INCLUDED_BYTES / 1024 / 1024} MB`,
        allowed: `included files of at most ${MAX_INCLUDED_BYTES / 1024 / 1024} MB together; keep media in files they reference`,
      }),
    );
    return undefined;
  }
  const src = parseSource(file, text.value);
  const yaml = await yamlData(src, req.dir);
  diagnostics.push(...yaml.warnings, ...yaml.errors);
  const parsed = yaml.errors.length ? undefined : yaml.data;
  if (parsed === undefined || !parsed.ok) {
    if (parsed && !parsed.ok) diagnostics.push(...parsed.error);
    return { file, src, data: undefined, fromEnv: new Set(), valid: false, envNames: [] };
  }
  const interpolated = interpolateTree(parsed.value, req.env, req.schema);
  const checked = z.safeParse(req.schema, interpolated.data);
  if (!checked.success) {
    diagnostics.push(...issuesToDiagnostics(checked.error.issues, { src, schema: req.schema, data: interpolated.data, fromEnv: interpolated.fromEnv }));
  }
  return { file, src, data: interpolated.data, fromEnv: interpolated.fromEnv, valid: checked.success, envNames: interpolated.names };
}
