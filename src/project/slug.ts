/**
 * The output name (`build/<slug>.mp4`): ASCII kebab-case from the title, so
 * it is safe in any shell and file system; a title with no ASCII letters
 * (a Chinese title) falls back to the project directory's name.
 */
import path from "node:path";

const MAX_SLUG = 60;

export function kebab(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents: é -> e
    .toLowerCase()
    .replace(/['\u2019]/g, "") // grandpa's -> grandpas
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
}

export function projectSlug(title: string, dir: string): string {
  return kebab(title) || kebab(path.basename(dir)) || "drama";
}
