/**
 * HTTP Range requests (RFC 9110 §14), one range at a time: enough for
 * <video>, which asks for `bytes=0-` first and then seeks with `bytes=N-`.
 * A multi-range or malformed header is ignored (a full 200 is a valid answer).
 */
export type RangeRequest =
  | { readonly kind: "full" }
  | { readonly kind: "partial"; readonly start: number; readonly end: number }
  | { readonly kind: "unsatisfiable" };

const FULL: RangeRequest = { kind: "full" };
const UNSATISFIABLE: RangeRequest = { kind: "unsatisfiable" };

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return FULL;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return FULL;
  const [, first = "", last = ""] = match;
  if (first === "" && last === "") return FULL;
  if (first === "") {
    // Suffix range: the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return UNSATISFIABLE;
    return { kind: "partial", start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return FULL; // invalid, so ignored
  if (start >= size) return UNSATISFIABLE;
  return { kind: "partial", start, end: last === "" ? size - 1 : Math.min(Number(last), size - 1) };
}
