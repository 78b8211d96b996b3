/**
 * Which environment variables a project file reads (`${NAME}`), for the
 * no-op fast path: it hashes their values so that, say, a new
 * OPENAI_BASE_URL is not answered with "up to date". Variables used for an
 * `api_key` are left out: a key is no part of any output, and not even a hash
 * of it is kept.
 */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;
/** The text before a reference ends in `api_key:` (block or flow style, maybe quoted). */
const AFTER_API_KEY = /(?:^|[\s{,])api_key\s*:\s*["']?[^"',}]*$/;

export function projectEnvNames(source: string): string[] {
  const names = new Set<string>();
  const secret = new Set<string>();
  for (const line of source.split("\n")) {
    for (const m of line.matchAll(REFERENCE)) (AFTER_API_KEY.test(line.slice(0, m.index)) ? secret : names).add(m[1]!);
  }
  return [...names].filter((n) => !secret.has(n)).sort();
}
