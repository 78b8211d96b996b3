/**
 * "The diff shows additions only": every line of `before`, in order, is in
 * `after`. Greedy matching is exact for this (is `before` a subsequence of
 * `after`?). Returns the added lines, or undefined when a line of `before`
 * changed or went missing.
 */
export function addedLines(before: string, after: string): string[] | undefined {
  const old = before.split("\n");
  const added: string[] = [];
  let i = 0;
  for (const line of after.split("\n")) {
    if (i < old.length && line === old[i]) i++;
    else added.push(line);
  }
  return i === old.length ? added : undefined;
}
