/**
 * Reading a job API's JSON answer by the dotted paths of a mapping
 * (`data.taskId`, `data.videos.0.url`); a list of paths takes the first that
 * is present, so one preset covers relays that say `id` and those that say
 * `task_id`.
 */

export type Paths = string | readonly string[];

export const pathList = (paths: Paths): readonly string[] => (typeof paths === "string" ? [paths] : paths);

/** The value at one dotted path; undefined when any step is missing. Numeric steps index arrays. */
export function valueAt(root: unknown, path: string): unknown {
  let here: unknown = root;
  for (const step of path.split(".")) {
    if (here === null || typeof here !== "object") return undefined;
    here = Array.isArray(here) ? (/^\d+$/.test(step) ? here[Number(step)] : undefined) : Object.hasOwn(here, step) ? (here as Record<string, unknown>)[step] : undefined;
  }
  return here;
}

/** The first present (non-null, non-empty) value among the paths. */
export function firstAt(root: unknown, paths: Paths): unknown {
  for (const p of pathList(paths)) {
    const v = valueAt(root, p);
    if (v !== undefined && v !== null && v !== "") return v;
  }
  return undefined;
}

/** A scalar as text (ids are numbers on some relays), else undefined. */
export function textAt(root: unknown, paths: Paths): string | undefined {
  const v = firstAt(root, paths);
  return typeof v === "string" ? v : typeof v === "number" && Number.isFinite(v) ? String(v) : undefined;
}

/** Progress as a fraction 0..1 from 0-100 or "45%"; undefined when absent or unreadable. */
export function progressAt(root: unknown, paths: Paths): number | undefined {
  const v = firstAt(root, paths);
  const n = typeof v === "number" ? v : typeof v === "string" ? Number(v.trim().replace(/%$/, "")) : NaN;
  return Number.isFinite(n) && n >= 0 ? Math.min(1, n / 100) : undefined;
}
