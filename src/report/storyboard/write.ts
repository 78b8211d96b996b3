import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../../result.js";
import { renderStoryboard, renderStoryboardIndex } from "./render.js";
import type { StoryboardIndex, StoryboardModel } from "./model.js";

export const STORYBOARD_FILE = "storyboard.html";

export interface StoryboardWriteFailed {
  readonly kind: "storyboard-write-failed";
  readonly path: string;
  readonly message: string;
}

let writes = 0;

/**
 * Writes build/storyboard.html via a temp file and a rename, so an open page
 * reloading mid-write (or a killed build) never sees half a page.
 * Returns the path written.
 */
export async function writeStoryboard(buildDir: string, model: StoryboardModel): Promise<Result<string, StoryboardWriteFailed>> {
  return writePage(buildDir, STORYBOARD_FILE, renderStoryboard(model));
}

/**
 * A series' pages: each episode's page, then the index (build/storyboard.html)
 * last, so an open index that reloads finds the episode pages it links to.
 * Returns the path of the index, or of the last page written.
 */
export async function writeStoryboardPages(
  buildDir: string,
  pages: readonly { readonly file: string; readonly model: StoryboardModel }[],
  index: StoryboardIndex | undefined,
): Promise<Result<string, StoryboardWriteFailed>> {
  let last: Result<string, StoryboardWriteFailed> = ok(join(buildDir, STORYBOARD_FILE));
  for (const page of pages) {
    last = await writePage(buildDir, page.file, renderStoryboard(page.model));
    if (!last.ok) return last;
  }
  return index ? writePage(buildDir, STORYBOARD_FILE, renderStoryboardIndex(index)) : last;
}

async function writePage(buildDir: string, file: string, html: string): Promise<Result<string, StoryboardWriteFailed>> {
  const target = join(buildDir, file);
  // Unique per process and call: two builds or two writes never share a temp file.
  const temp = join(buildDir, `.${file}.${process.pid}.${++writes}.tmp`);
  try {
    await mkdir(buildDir, { recursive: true });
    await writeFile(temp, html, "utf8");
    await rename(temp, target);
    return ok(target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    return err({ kind: "storyboard-write-failed", path: target, message: error instanceof Error ? error.message : String(error) });
  }
}
