/**
 * Scratch directories of running steps, `.dramake/tmp/run-<pid>-<random>`.
 * A step's directory is removed when the step ends, but a killed build never
 * gets there: the pid in the name lets the next build tell the leftovers of a
 * dead process from the directories of a live one and remove only the former.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { layout } from "./layout.js";

const NAME = /^run-(\d+)-/;

export function scratchDir(tmp: string): string {
  mkdirSync(tmp, { recursive: true });
  return mkdtempSync(join(tmp, `run-${process.pid}-`));
}

/**
 * Removes the scratch directories of processes that no longer run, and the
 * object store's temp files (`objects/xx/.tmp-*`) they left: a kill between
 * a temp file's write and its rename would otherwise keep it for ever, since
 * only `gc` looked for them. Returns how many were removed.
 */
export async function sweepScratch(tmp: string): Promise<number> {
  // build() hands over only `tmp`; the store sits beside it in the same layout.
  const root = dirname(dirname(tmp));
  const [scratch, temps] = await Promise.all([sweepScratchDirs(tmp), layout(root).tmp === tmp ? sweepObjectTemps(layout(root).objects) : 0]);
  return scratch + temps;
}

/** `.tmp-<name>-<pid>-<random>`, as tempBeside names them (src/atomic.ts). */
const TEMP = /^\.tmp-.*-(\d+)-[0-9a-f]+$/;

/** Temp files of dead processes in `objects/xx/`; a live process's (a build, a download) are left alone. */
export async function sweepObjectTemps(objects: string): Promise<number> {
  let fans: string[];
  try {
    fans = await readdir(objects);
  } catch {
    return 0;
  }
  const removed = await Promise.all(
    fans.map(async (fan) => {
      let names: string[];
      try {
        names = await readdir(join(objects, fan));
      } catch {
        return 0; // a file, or gone meanwhile
      }
      const stale = names.filter((name) => {
        if (!name.startsWith(".tmp-")) return false;
        const pid = TEMP.exec(name)?.[1];
        return pid === undefined || !alive(Number(pid));
      });
      await Promise.all(stale.map((name) => rm(join(objects, fan, name), { force: true })));
      return stale.length;
    }),
  );
  return removed.reduce((a, b) => a + b, 0);
}

async function sweepScratchDirs(tmp: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tmp);
  } catch {
    return 0;
  }
  const stale = names.filter((name) => {
    if (!name.startsWith("run-")) return false;
    const pid = NAME.exec(name)?.[1];
    // Named before pids were part of the name: written by an older dramake, long gone.
    return pid === undefined || !alive(Number(pid));
  });
  await Promise.all(stale.map((name) => rm(join(tmp, name), { recursive: true, force: true })));
  return stale.length;
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; only ESRCH means gone.
    return (error as { code?: string }).code === "EPERM";
  }
}
