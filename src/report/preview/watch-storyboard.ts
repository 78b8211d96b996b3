/**
 * Calls `onChange` after each new build/storyboard.html. The project root is
 * watched, filtered down to build/ and the page, rather than the file itself:
 * the page is replaced by rename (a watch on the old inode would miss it) and
 * `dramake clean` may delete build/ altogether before the next build recreates it.
 *
 * A deleted and at once recreated build/ can slip between chokidar noticing
 * the deletion and re-arming its watch on the new directory, so a slow stat
 * of the page backs the events up. Both only ask "is the page a different
 * file now?", so a change is reported once whichever sees it first.
 */
import { watch } from "chokidar";
import { statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { STORYBOARD_FILE } from "../storyboard/write.js";

/** A build rewrites the page once, but a copy or an editor may touch it a few times in a row. */
const SETTLE_MS = 50;
/** The backstop: one stat a second is nothing, and a missed reload is at most this late. */
const BACKSTOP_MS = 1000;

function identity(page: string): string {
  const s = statSync(page, { bigint: true, throwIfNoEntry: false });
  return s ? `${s.ino}:${s.mtimeNs}:${s.size}` : "";
}

export async function watchStoryboard(buildDir: string, onChange: () => void): Promise<() => Promise<void>> {
  const build = resolve(buildDir);
  const root = dirname(build);
  const page = join(build, STORYBOARD_FILE);
  let seen = identity(page);
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    const now = identity(page);
    if (now === seen || now === "") return;
    seen = now;
    onChange();
  };
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (path: string) => path !== root && path !== build && path !== page,
  });
  const changed = (path: string): void => {
    if (path !== page) return;
    clearTimeout(timer);
    timer = setTimeout(check, SETTLE_MS);
  };
  watcher.on("add", changed).on("change", changed);
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  const backstop = setInterval(check, BACKSTOP_MS);
  backstop.unref();
  return async () => {
    clearTimeout(timer);
    clearInterval(backstop);
    await watcher.close();
  };
}
