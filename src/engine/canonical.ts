/**
 * Canonical JSON: the one byte string a key is hashed from. Object members are
 * sorted by code unit, `undefined` members dropped, numbers printed by the
 * shortest round-trip form (and -0 as 0), so equal values always hash equal
 * no matter how a graph builder happened to construct them.
 */
import type { Json } from "./step.js";

export function canonicalJson(value: Json | undefined): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
      return Object.is(value, -0) ? "0" : JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    default:
      break;
  }
  // Plain concatenation, no intermediate arrays: this runs over every step's parameters on every plan.
  if (Array.isArray(value)) {
    const items = value as readonly (Json | undefined)[];
    let out = "[";
    for (let i = 0; i < items.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(items[i]);
    return `${out}]`;
  }
  const object = value as { readonly [k: string]: Json | undefined };
  let out = "{";
  let first = true;
  for (const k of Object.keys(object).sort()) {
    const v = object[k];
    if (v === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}
