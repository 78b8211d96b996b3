/** Shared by the takes tests: what an in-place edit of a project file added. */
import assert from "node:assert/strict";

/** The lines `after` has that `before` has not, when `after` is `before` with lines inserted in one place (asserted). */
export function insertedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  assert.equal(i + j, a.length, "every line of the file before is still there, in order");
  return b.slice(i, b.length - j);
}
