/**
 * Calls `onChange` after each new build/storyboard.html. The directory is
 * watched rather than the file: the page is replaced by rename, which a
 * watch on the old file's inode would miss.
 */
import { watch } from "chokidar";
import { basename } from "node:path";
import { STORYBOARD_FILE } from "../storyboard/write.js";

/** A build rewrites the page once, but an editor or a copy may touch it a few times in a row. */
const SETTLE_MS = 50;

export async function watchStoryboard(buildDir: string, onChange: () => void): Promise<() => Promise<void>> {
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(buildDir, { depth: 0, ignoreInitial: true });
  const changed = (path: string): void => {
    if (basename(path) !== STORYBOARD_FILE) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, SETTLE_MS);
  };
  watcher.on("add", changed).on("change", changed);
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
