/**
 * Why a step runs (ninja's `-d explain`, Turborepo #4494): a typed union the
 * plan carries, and one plain sentence per variant for humans.
 */
import type { Json } from "./step.js";
import type { ActionRecord } from "./actions.js";
import type { KeyInputs } from "./key.js";
import { canonicalJson } from "./canonical.js";

export interface FieldChange {
  /** JSON path such as `prompt` or `voice.style` or `cast[1]`. */
  readonly path: string;
  /** Shortened renderings; `(none)` when the field was added or removed. */
  readonly old: string;
  readonly new: string;
}

export type Reason =
  | { readonly kind: "new" }
  | { readonly kind: "forced" }
  | { readonly kind: "implementation-changed"; readonly old: string; readonly new: string }
  | { readonly kind: "param-changed"; readonly fields: readonly FieldChange[] }
  /** Another take of the step was chosen (one not made yet: it is generated). */
  | { readonly kind: "take-changed"; readonly old: number; readonly new: number }
  /** `pending` lists input steps that will run first, so their new outputs are not known yet. */
  | { readonly kind: "input-changed"; readonly steps: readonly string[]; readonly files: readonly string[]; readonly pending: readonly string[] }
  | { readonly kind: "output-missing"; readonly outputs: readonly string[] }
  | { readonly kind: "output-corrupt"; readonly outputs: readonly string[] }
  /** The previous result is known but its inputs could not be compared (e.g. its record was collected). */
  | { readonly kind: "key-changed"; readonly old: string; readonly new: string };

const MAX = 48;

/** Long values are cut in the middle: the start and the end are what a reader recognises. */
export function shorten(text: string, max = MAX): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

const render = (v: Json | undefined): string => (v === undefined ? "(none)" : shorten(typeof v === "string" ? JSON.stringify(v) : canonicalJson(v)));

function isObject(v: Json | undefined): v is { readonly [k: string]: Json | undefined } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Leaf-level differences between two parameter values. */
export function diffParams(old: Json | undefined, now: Json | undefined, path = ""): FieldChange[] {
  if (isObject(old) && isObject(now)) {
    const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
    return keys.flatMap((k) => diffParams(old[k], now[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(old) && Array.isArray(now) && old.length === now.length) {
    return (now as readonly Json[]).flatMap((v, i) => diffParams((old as readonly Json[])[i], v, `${path}[${i}]`));
  }
  if (canonicalJson(old) === canonicalJson(now) && (old === undefined) === (now === undefined)) return [];
  return [{ path: path || "(params)", old: render(old), new: render(now) }];
}

/** Compare what a step is about to hash with the record of its previous run. */
export function explainChange(
  previous: ActionRecord,
  step: { readonly kind: string; readonly version: number; readonly params: Json; readonly take?: number },
  now: KeyInputs,
  pending: readonly string[],
): Reason[] {
  const reasons: Reason[] = [];
  if (previous.kind !== step.kind || previous.version !== step.version) {
    reasons.push({ kind: "implementation-changed", old: `${previous.kind}@${previous.version}`, new: `${step.kind}@${step.version}` });
  }
  const fields = diffParams(previous.params, step.params);
  if (fields.length > 0) reasons.push({ kind: "param-changed", fields });
  if ((previous.take ?? 1) !== (step.take ?? 1)) reasons.push({ kind: "take-changed", old: previous.take ?? 1, new: step.take ?? 1 });
  const steps = new Set<string>();
  for (const id of new Set([...Object.keys(previous.inputs), ...Object.keys(now.inputs)])) {
    if (canonicalJson(previous.inputs[id]) !== canonicalJson(now.inputs[id])) steps.add(id);
  }
  for (const id of pending) steps.delete(id);
  const files = [...new Set([...Object.keys(previous.files), ...Object.keys(now.files)])]
    .filter((f) => previous.files[f] !== now.files[f])
    .sort();
  if (steps.size > 0 || files.length > 0 || pending.length > 0) {
    reasons.push({ kind: "input-changed", steps: [...steps].sort(), files, pending: [...pending].sort() });
  }
  return reasons;
}

export function describeReason(r: Reason): string {
  switch (r.kind) {
    case "new":
      return "new step";
    case "forced":
      return "forced";
    case "implementation-changed":
      return `implementation changed (${r.old} -> ${r.new})`;
    case "param-changed":
      return `parameter changed: ${r.fields.map((f) => `${f.path} ${f.old} -> ${f.new}`).join("; ")}`;
    case "take-changed":
      return `take ${r.new} chosen (was take ${r.old})`;
    case "input-changed": {
      const parts = [
        ...r.steps.map((s) => `step ${s}`),
        ...r.files.map((f) => `file ${f}`),
        ...r.pending.map((s) => `step ${s} (rebuilt first)`),
      ];
      return `input changed: ${parts.join(", ")}`;
    }
    case "output-missing":
      return `cached output missing (${r.outputs.join(", ")})`;
    case "output-corrupt":
      return `cached output corrupt: digest mismatch (${r.outputs.join(", ")})`;
    case "key-changed":
      return `inputs changed (key ${r.old} -> ${r.new})`;
  }
}

export const describeReasons = (rs: readonly Reason[]): string => rs.map(describeReason).join("; ");
