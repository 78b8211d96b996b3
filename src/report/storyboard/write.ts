import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { err, ok, type Result } from "../../result.js";
import { renderStoryboard } from "./render.js";
import type { StoryboardModel } from "./model.js";

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
  const target = join(buildDir, STORYBOARD_FILE);
  // Unique per process and call: two builds or two writes never share a temp file.
  const temp = join(buildDir, `.${STORYBOARD_FILE}.${process.pid}.${++writes}.tmp`);
  try {
    await mkdir(buildDir, { recursive: true });
    await writeFile(temp, renderStoryboard(model), "utf8");
    await rename(temp, target);
    return ok(target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    return err({ kind: "storyboard-write-failed", path: target, message: error instanceof Error ? error.message : String(error) });
  }
}
