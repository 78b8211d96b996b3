/**
 * Filling a job mapping's request: `{model}`, `{prompt}`, `{image}`,
 * `{seconds}`, `{aspect}`, `{size}`, `{format}` in the body template and the
 * path, `{id}` in the poll path. A string that is exactly one placeholder
 * takes the value's own type, so `duration: "{seconds}"` sends a number.
 */
import type { JobPlaceholder } from "../../project/job-api.js";

export type Fill = Partial<Record<JobPlaceholder | "id", string | number>>;

const ONE = /^\{([a-z_]+)\}$/;
const ANY = /\{([a-z_]+)\}/g;

export function fillBody(template: unknown, fill: Fill): unknown {
  if (typeof template === "string") {
    const whole = ONE.exec(template);
    if (whole && fill[whole[1] as keyof Fill] !== undefined) return fill[whole[1] as keyof Fill];
    return template.replace(ANY, (m, name: string) => String(fill[name as keyof Fill] ?? m));
  }
  if (Array.isArray(template)) return template.map((t) => fillBody(t, fill));
  if (template !== null && typeof template === "object") {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, fillBody(v, fill)]));
  }
  return template;
}

/** Placeholders in a path are URL-encoded: a job id with a slash must not change the route. */
export function fillPath(path: string, fill: Fill): string {
  return path.replace(ANY, (m, name: string) => {
    const v = fill[name as keyof Fill];
    return v === undefined ? m : encodeURIComponent(String(v));
  });
}
