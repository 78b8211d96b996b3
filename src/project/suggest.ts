/**
 * "Did you mean" for near misses such as `scences` or `gradpa`.
 *
 * Hand-written on purpose: fastest-levenshtein and leven compute plain
 * Levenshtein, where swapped letters cost 2 (`csat` -> `cast`), which puts
 * the commonest typo in a short key out of reach. Speed does not matter
 * here (one word against a few dozen keys). test/project-suggest.test.ts.
 */

function editDistance(a: string, b: string): number {
  // Damerau (optimal string alignment): a swapped pair of letters is one typo, not two.
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a typo's reach (about a third of the word), if any. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate.length > 64) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best === undefined || best === word) return undefined;
  if (bestDistance === 0) return best; // differs only in letter case
  const reach = Math.max(1, Math.floor(Math.max(word.length, best.length) / 3));
  return bestDistance <= reach ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hint = closest(word, candidates);
  return hint === undefined ? "" : ` (did you mean '${hint}'?)`;
}
