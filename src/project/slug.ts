/**
 * The output name (`build/<slug>.mp4`), kebab-case from the title. Letters
 * and digits of every script are kept (`茶馆奇缘` -> `茶馆奇缘`), so a Chinese
 * or Russian drama is named by its title, not its directory; Latin accents
 * are dropped (`Café` -> `cafe`), as they always were. Everything else
 * (spaces, punctuation, `/`, `\`, `:`, quotes, control characters) becomes
 * one '-', so the name is safe in any shell and on any file system. Only a
 * title with no letters or digits at all falls back to the directory's name.
 */
import path from "node:path";

/** Code points, not bytes: 60 CJK characters are 180 bytes in UTF-8, well under any file system's 255. */
const MAX_SLUG = 60;

/** Device names Windows will not open as files, whatever the extension. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

export function kebab(text: string): string {
  const words = text
    .normalize("NFKD") // fullwidth ＡＢ -> AB, é -> e + accent
    .toLowerCase() // before dropping accents: İ lowercases to i + a combining dot
    .replace(/(\p{Script=Latin})[\u0300-\u036f]+/gu, "$1") // Latin accents: é -> e (but Cyrillic й stays й)
    .normalize("NFC") // recompose what NFKD split and is no accent (Hangul syllables, kana voicing marks)
    .replace(/['\u2019]/g, "") // grandpa's -> grandpas
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  const slug = Array.from(words).slice(0, MAX_SLUG).join("").replace(/-+$/, "");
  return WINDOWS_RESERVED.test(slug) ? `${slug}-drama` : slug;
}

export function projectSlug(title: string, dir: string): string {
  return kebab(title) || kebab(path.basename(dir)) || "drama";
}
