/**
 * Calls `onChange` after each new build/storyboard.html. The project root is
 * watched, filtered down to build/ and the page, rather than the file itself:
 * the page is replaced by rename (a watch on the old inode would miss it) and
 * `dramake clean` may delete build/ altogether before the next build recreates it.
 */
import { watch } from "chokidar";
import { dirname, join, resolve } from "node:path";
import { STORYBOARD_FILE } from "../storyboard/write.js";

/** A build rewrites the page once, but a copy or an editor may touch it a few times in a row. */
const SETTLE_MS = 50;

export async function watchStoryboard(buildDir: string, onChange: () => void): Promise<() => Promise<void>> {
  const build = resolve(buildDir);
  const root = dirname(build);
  const page = join(build, STORYBOARD_FILE);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (path: string) => path !== root && path !== build && path !== page,
  });
  const changed = (path: string): void => {
    if (path !== page) return;
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
