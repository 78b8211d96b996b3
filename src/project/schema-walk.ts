/**
 * Reading the zod schema itself: which schema governs a value path, what it
 * allows, and where `${VAR}` applies. Diagnostics and interpolation both ask
 * the schema rather than keeping their own lists of places, so a field added
 * to schema.ts is described and interpolated (or not) by what it declares.
 */
import { z } from "zod";
import type { PathSegment } from "./source.js";

export type AnySchema = z.core.$ZodType;

interface Def {
  readonly type: string;
  readonly [k: string]: unknown;
}

export function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function metaOf(schema: AnySchema): z.core.GlobalMeta | undefined {
  return z.globalRegistry.get(schema);
}

/** The wrapped schema of optional, default, pipe (its input side) and the like, or undefined. */
function innerOf(schema: AnySchema): AnySchema | undefined {
  const def = defOf(schema);
  if (def.type === "optional" || def.type === "default" || def.type === "nullable" || def.type === "readonly" || def.type === "prefault" || def.type === "catch") {
    return def.innerType as AnySchema;
  }
  return def.type === "pipe" ? (def.in as AnySchema) : undefined;
}

export interface Place {
  readonly schema: AnySchema | undefined;
  readonly description: string | undefined;
}

/** Strip wrappers (optional, default, pipe...), keeping the outermost description. */
export function unwrap(schema: AnySchema): { schema: AnySchema; description: string | undefined } {
  let description = metaOf(schema)?.description;
  let current = schema;
  for (let i = 0, inner = innerOf(current); i < 16 && inner; i++, inner = innerOf(current)) {
    current = inner;
    description ??= metaOf(current)?.description;
  }
  return { schema: current, description };
}

/**
 * The schema one step below `schema` (already unwrapped) for a map key or
 * list index; undefined where the data leaves the schema (an unknown key).
 * A union answers with the first option that knows the key: options that
 * share a key describe it alike.
 */
export function childSchema(schema: AnySchema, segment: PathSegment): AnySchema | undefined {
  const def = defOf(schema);
  if (def.type === "object") {
    const shape = def.shape as Record<string, AnySchema>;
    if (Object.prototype.hasOwnProperty.call(shape, String(segment))) return shape[String(segment)];
    // A strict object's catchall is `never`: no key beyond the shape.
    const catchall = def.catchall as AnySchema | undefined;
    return catchall && defOf(catchall).type !== "never" ? catchall : undefined;
  }
  if (def.type === "record") return def.valueType as AnySchema;
  if (def.type === "array") return typeof segment === "number" ? (def.element as AnySchema) : undefined;
  if (def.type === "union") {
    for (const option of def.options as AnySchema[]) {
      const next = childSchema(unwrap(option).schema, segment);
      if (next) return next;
    }
  }
  return undefined;
}

/** The schema that governs a value path, or undefined where the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly PathSegment[]): Place {
  let place = unwrap(root);
  for (const segment of path) {
    const next = childSchema(place.schema, segment);
    if (!next) return { schema: undefined, description: undefined };
    place = unwrap(next);
  }
  return place;
}

/** The keys a map at this path accepts, for "did you mean" and "allowed". */
export function keysAt(root: AnySchema, path: readonly PathSegment[]): string[] {
  const { schema } = schemaAt(root, path);
  if (!schema) return [];
  const def = defOf(schema);
  if (def.type === "object") return Object.keys(def.shape as object);
  if (def.type === "union") return [...new Set((def.options as AnySchema[]).flatMap((o) => keysAt(o, [])))];
  return [];
}

/** The description of a record's keys (e.g. what a cast id may be), for bad keys. */
export function recordKeyDescription(root: AnySchema, path: readonly PathSegment[]): string | undefined {
  const { schema } = schemaAt(root, path);
  if (!schema) return undefined;
  const def = defOf(schema);
  return def.type === "record" ? unwrap(def.keyType as AnySchema).description : undefined;
}

/**
 * How a place takes `${VAR}`, from `.meta({ interpolate: true })` on it or
 * any wrapper around it (and so on everything below it: a marked map marks
 * its values). `secret: true` as well keeps the value out of everything the
 * build stores, even as a hash.
 */
export type Interpolation = "literal" | "env" | "secret";

export function interpolationOf(schema: AnySchema): Interpolation {
  let mode: Interpolation = "literal";
  for (let current: AnySchema | undefined = schema, i = 0; current && i < 16; current = innerOf(current), i++) {
    const meta = metaOf(current);
    if (meta?.secret === true) return "secret";
    if (meta?.interpolate === true) mode = "env";
  }
  return mode;
}

const reachesInterpolation = new WeakMap<AnySchema, boolean>();

/**
 * Whether any place at or below `schema` takes `${VAR}`. Lets interpolation
 * skip whole subtrees (thousands of scenes) without visiting them.
 */
export function mayInterpolate(schema: AnySchema): boolean {
  const known = reachesInterpolation.get(schema);
  if (known !== undefined) return known;
  reachesInterpolation.set(schema, false); // a cycle (z.lazy) cannot loop
  const { schema: inner } = unwrap(schema);
  const def = defOf(inner);
  const children: AnySchema[] =
    def.type === "object"
      ? [...Object.values(def.shape as Record<string, AnySchema>), ...(def.catchall ? [def.catchall as AnySchema] : [])]
      : def.type === "record"
        ? [def.valueType as AnySchema]
        : def.type === "array"
          ? [def.element as AnySchema]
          : def.type === "union"
            ? (def.options as AnySchema[])
            : [];
  const answer = interpolationOf(schema) !== "literal" || children.some(mayInterpolate);
  reachesInterpolation.set(schema, answer);
  return answer;
}

declare module "zod/v4/core" {
  interface GlobalMeta {
    /** `${VAR}` and `${VAR:-default}` are read from the environment here (and below); elsewhere they are literal text. */
    interpolate?: true;
    /** With `interpolate`: the value is a secret (an API key), never stored, hashed or printed. */
    secret?: true;
  }
}
