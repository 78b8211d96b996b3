/** Joining cuts: the concat demuxer with stream copy, so no cut is re-encoded. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { BITEXACT } from "./encoding.js";
import { concatListPath } from "./escape.js";
import { runFfmpeg, writeAtomically, type MediaRun } from "./run.js";

/** Cuts must share one encoding setting (cutScene guarantees it). */
export async function concatCuts(cuts: readonly string[], out: string, run: MediaRun): Promise<Result<void, MediaFailure>> {
  if (cuts.length === 0) return err({ kind: "invalid-input", message: "nothing to concatenate" });
  const work = await mkdtemp(join(tmpdir(), "dramake-concat-"));
  try {
    const list = join(work, "list.txt");
    await writeFile(list, "ffconcat version 1.0\n" + cuts.map((c) => `file ${concatListPath(resolve(c))}\n`).join(""));
    return await writeAtomically(out, async (tmp) => {
      const r = await runFfmpeg(["-f", "concat", "-safe", "0", "-i", list, "-map", "0", "-c", "copy", ...BITEXACT, tmp], run);
      return r.ok ? ok(undefined) : r;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
