/**
 * A long theme or source text cut into parts that fit a model's context.
 * Each part after the first carries the end of the part before it (the
 * overlap), so a scene that straddles a cut is still understood; cuts fall
 * at paragraph, then sentence, then word boundaries.
 */

export interface Chunk {
  readonly text: string;
  /** The tail of the previous part, for continuity ("" for the first). */
  readonly before: string;
}

/** About 3,000 tokens of English: fits every current chat model with room for the answer. */
export const DEFAULT_CHUNK_CHARS = 12_000;
export const DEFAULT_OVERLAP_CHARS = 600;

/** The best place to cut `text` at or before `limit`: a paragraph break, a sentence end, a space, else `limit`. */
function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit);
  const floor = Math.floor(limit / 2);
  const paragraph = window.lastIndexOf("\n\n");
  if (paragraph >= floor) return paragraph + 2;
  const sentence = Math.max(...[". ", "! ", "? ", "。", "！", "？", ".\n"].map((s) => {
    const i = window.lastIndexOf(s);
    return i < 0 ? -1 : i + s.length;
  }));
  if (sentence >= floor) return sentence;
  const space = window.lastIndexOf(" ");
  return space >= floor ? space + 1 : limit;
}

/** The end of `text`, about `chars` long, starting at a word when it can. */
function tail(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(text.length - chars);
  const space = cut.indexOf(" ");
  return (space >= 0 && space < chars / 2 ? cut.slice(space + 1) : cut).trim();
}

export function chunkText(text: string, maxChars = DEFAULT_CHUNK_CHARS, overlapChars = DEFAULT_OVERLAP_CHARS): Chunk[] {
  const chunks: Chunk[] = [];
  let rest = text.trim();
  let before = "";
  while (rest.length > maxChars) {
    const at = cutPoint(rest, maxChars);
    const part = rest.slice(0, at).trim();
    chunks.push({ text: part, before });
    before = tail(part, overlapChars);
    rest = rest.slice(at).trim();
  }
  if (rest.length || chunks.length === 0) chunks.push({ text: rest, before });
  return chunks;
}

/** `total` scenes shared out by each chunk's length, at least one each (largest remainders first). */
export function shareScenes(chunks: readonly Chunk[], total: number): number[] {
  const lengths = chunks.map((c) => Math.max(1, c.text.length));
  const sum = lengths.reduce((a, b) => a + b, 0);
  const spare = total - chunks.length;
  const exact = lengths.map((l) => (l / sum) * spare);
  const shares = exact.map((e) => 1 + Math.floor(e));
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    shares[i]! += 1;
    left--;
  }
  return shares;
}
