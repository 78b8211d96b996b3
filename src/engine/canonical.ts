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
  // Most of a key's material is already in order (digests by output name, small requests): one native call.
  if (printsCanonically(value)) return JSON.stringify(value);
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
  for (const k of sortedKeys(object)) {
    const v = object[k];
    if (v === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + canonicalJson(v);
    first = false;
  }
  return `${out}}`;
}

/**
 * Object.keys in code-unit order (what Array.prototype.sort gives strings), by
 * insertion sort in place for the usual handful of keys: the built-in sort's
 * scratch copy per object was a tenth of a 10,000-step plan's garbage.
 */
function sortedKeys(object: object): string[] {
  const keys = Object.keys(object);
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/**
 * Whether JSON.stringify already prints `value` canonically: nothing but JSON
 * in plain objects and arrays, finite numbers (JSON.stringify prints -0 as 0
 * too, and drops undefined members or prints undefined items as null the same
 * way), and every object's keys in code-unit order. Walked with for...in, which
 * allocates nothing.
 */
function printsCanonically(value: unknown): boolean {
  switch (typeof value) {
    case "undefined":
    case "boolean":
    case "string":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!printsCanonically(value[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  for (const k in value) {
    if (previous !== undefined && !(previous < k)) return false;
    previous = k;
    if (!printsCanonically((value as Record<string, unknown>)[k])) return false;
  }
  return true;
}
