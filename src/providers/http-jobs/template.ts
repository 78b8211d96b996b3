/**
 * Filling a job mapping's request. Body templates are typed:
 *  - a string that is exactly one placeholder takes the value's own type
 *    (`duration: "{seconds}"` sends a number, `"{references}"` an array);
 *    `{seconds:text}` sends it as text (Kling wants "5");
 *  - a key (or array element) whose whole placeholder has no value is left
 *    out, so one preset serves a clip with and without a last frame;
 *  - an object with `$if: <placeholder>` is kept only when that placeholder
 *    has a value (the `$if` key itself is never sent): a content part such as
 *    `{ type: image_url, image_url: { url: "{last_image}" }, role: last_frame }`
 *    must go as a whole or not at all.
 * Placeholders inside longer strings are replaced as text (`"{seconds}s"`).
 */
import type { JobPlaceholder } from "../../project/job-api.js";

export type FillValue = string | number | boolean | readonly unknown[];
export type Fill = Partial<Record<JobPlaceholder | "id" | "value", FillValue>>;

const ONE = /^\{([a-z_]+)(?::([a-z]+))?\}$/;
const ANY = /\{([a-z_]+)(?::([a-z]+))?\}/g;
const DROP = Symbol("drop");

const present = (v: FillValue | undefined): v is FillValue => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);

export function fillBody(template: unknown, fill: Fill): unknown {
  const out = fillValue(template, fill);
  return out === DROP ? undefined : out;
}

function fillValue(template: unknown, fill: Fill): unknown {
  if (typeof template === "string") {
    const whole = ONE.exec(template);
    if (whole) {
      const v = fill[whole[1] as keyof Fill];
      if (!present(v)) return DROP;
      return whole[2] === "text" ? String(v) : v;
    }
    return template.replace(ANY, (m, name: string) => {
      const v = fill[name as keyof Fill];
      return present(v) ? String(v) : m;
    });
  }
  if (Array.isArray(template)) return template.map((t) => fillValue(t, fill)).filter((v) => v !== DROP);
  if (template !== null && typeof template === "object") {
    const cond = (template as Record<string, unknown>)["$if"];
    if (typeof cond === "string" && !present(fill[cond as keyof Fill])) return DROP;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) {
      if (k === "$if") continue;
      const filled = fillValue(v, fill);
      if (filled !== DROP) out[k] = filled;
    }
    return out;
  }
  return template;
}

/**
 * Placeholders in a path are URL-encoded: a job id with a slash must not
 * change the route. `{name:raw}` is inserted as is (Veo's operation name is
 * itself a path), and `{model}` keeps its slashes (fal's and Replicate's
 * model ids are paths: fal-ai/kling-video/..., owner/name).
 */
export function fillPath(path: string, fill: Fill): string {
  return path.replace(ANY, (m, name: string, mod: string | undefined) => {
    const v = fill[name as keyof Fill];
    if (v === undefined) return m;
    if (mod === "raw") return String(v);
    const encoded = encodeURIComponent(String(v));
    return name === "model" ? encoded.replace(/%2F/gi, "/") : encoded;
  });
}
