/**
 * Scratch directories of running steps, `.dramake/tmp/run-<pid>-<random>`.
 * A step's directory is removed when the step ends, but a killed build never
 * gets there: the pid in the name lets the next build tell the leftovers of a
 * dead process from the directories of a live one and remove only the former.
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const NAME = /^run-(\d+)-/;

export function scratchDir(tmp: string): string {
  mkdirSync(tmp, { recursive: true });
  return mkdtempSync(join(tmp, `run-${process.pid}-`));
}

/** Removes the scratch directories of processes that no longer run. Returns how many. */
export async function sweepScratch(tmp: string): Promise<number> {
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
