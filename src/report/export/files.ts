/**
 * Filling an export directory: each medium the timelines reference, hard
 * linked from the cache (a copy across file systems), the music fitted to the
 * episode as the soundtrack fitted it, and the timeline texts. Whatever is
 * already there with the same bytes is left alone, so re-exporting an
 * unchanged episode rewrites nothing (mtimes stay, an editor's relink holds).
 */
import { copyFile, link, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { tempBeside, writeFileAtomic } from "../../atomic.js";
import { fitMusic } from "../../media/index.js";
import type { MediaFailure } from "../../media/failure.js";
import { err, ok, type Result } from "../../result.js";
import type { ExportMedia } from "./timeline.js";

export interface Written {
  /** Files written (new or changed), export-relative. */
  readonly written: string[];
  readonly unchanged: string[];
}

async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  if (!sa || !sb) return false;
  if (sa.ino === sb.ino && sa.dev === sb.dev) return true;
  if (sa.size !== sb.size) return false;
  const [ba, bb] = await Promise.all([readFile(a), readFile(b)]);
  return ba.equals(bb);
}

/** `from` at `to`: a hard link (the cache's objects are never written in place), else a copy; atomic either way. */
async function place(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  const tmp = tempBeside(to);
  try {
    await link(from, tmp);
  } catch {
    await copyFile(from, tmp);
  }
  await rename(tmp, to);
}

export async function writeMedia(dir: string, media: readonly ExportMedia[], signal: AbortSignal, into: Written): Promise<Result<void, MediaFailure>> {
  for (const m of media) {
    const to = join(dir, ...m.name.split("/"));
    if (m.object) {
      if (await sameFile(m.object, to)) into.unchanged.push(m.name);
      else {
        await place(m.object, to);
        into.written.push(m.name);
      }
    } else if (m.fitted) {
      // Fitting is deterministic (bit-exact ffmpeg): fit beside, keep the old file when the bytes agree.
      await mkdir(dirname(to), { recursive: true });
      const tmp = `${tempBeside(to)}.wav`;
      const r = await fitMusic(m.fitted.music, m.fitted.seconds, tmp, { signal });
      if (!r.ok) {
        await rm(tmp, { force: true });
        return err(r.error);
      }
      if (await sameFile(tmp, to)) {
        await rm(tmp, { force: true });
        into.unchanged.push(m.name);
      } else {
        await rename(tmp, to);
        into.written.push(m.name);
      }
    }
  }
  return ok(undefined);
}

/** A text file, written only when its content differs. */
export async function writeText(dir: string, name: string, text: string, into: Written): Promise<void> {
  const to = join(dir, name);
  const old = await readFile(to, "utf8").catch(() => undefined);
  if (old === text) {
    into.unchanged.push(name);
    return;
  }
  await mkdir(dirname(to), { recursive: true });
  await writeFileAtomic(to, text);
  into.written.push(name);
}
