/**
 * What a build produced, read back for reports: the lines the text model wrote
 * for beat-only scenes. Reports ask here rather than reading the lockfile and
 * the store themselves, so the output formats stay the step modules' business.
 */
import { layout as engineLayout, objectPath } from "../engine/layout.js";
import { readLockfile } from "../engine/lockfile.js";
import type { Line } from "../providers/types.js";
import type { DramaLayout } from "./layout.js";
import { LINES_OUTPUT, readLines } from "./ops/lines.js";
import { readFile } from "node:fs/promises";
import { NATIVE_DIALOGUE_OUTPUT } from "./ops/native-dialogue.js";
import type { SaidOtherwise } from "./plan/native-timing.js";

export interface GeneratedLines {
  readonly lines: readonly Line[];
  /** Written by a provider without a writer (offline): placeholders, not dialogue. */
  readonly standIn: boolean;
}

/**
 * The lines of every beat-only scene whose lines were written in this build
 * (ran or reused), by scene key (SceneLayout.stepPrefix). `finished` says which steps
 * did: the lockfile keeps entries of steps that failed since, so only this
 * build's finished steps are trusted. The spoken lines (the polish) come first;
 * when the polish did not finish, the drafts stand in. An unreadable object
 * (collected by gc) is left out: the scene then shows its placeholders.
 */
export async function builtLines(root: string, drama: DramaLayout, finished: (step: string) => boolean): Promise<Map<string, GeneratedLines>> {
  const l = engineLayout(root);
  const lock = await readLockfile(l.lockfile);
  const found = new Map<string, GeneratedLines>();
  const scenes = drama.episodes.flatMap((ep) => ep.scenes).filter((s) => s.generated !== undefined);
  await Promise.all(
    scenes.map(async (scene) => {
      const g = scene.generated!;
      const step = [g.spoken, g.drafts].find((id) => finished(id) && lock.has(id));
      const digest = step === undefined ? undefined : lock.get(step)?.outputs[LINES_OUTPUT]?.digest;
      if (digest === undefined) return;
      const lines = await readLines(objectPath(l, digest));
      if (lines) found.set(scene.stepPrefix, { lines, standIn: g.standIn });
    }),
  );
  return found;
}

/**
 * Native scenes (issue 29) whose video model said some line otherwise than
 * written: what it said, by scene key, from this build's finished dialogue
 * steps. A scene said as written is left out; an unreadable object too.
 */
export async function builtSaid(root: string, drama: DramaLayout, finished: (step: string) => boolean): Promise<Map<string, readonly SaidOtherwise[]>> {
  const l = engineLayout(root);
  const lock = await readLockfile(l.lockfile);
  const found = new Map<string, readonly SaidOtherwise[]>();
  const scenes = drama.episodes.flatMap((ep) => ep.scenes).filter((s) => s.shots[0]?.dialogue?.voiced === "native");
  await Promise.all(
    scenes.map(async (scene) => {
      const step = `${scene.stepPrefix}/dialogue`;
      const digest = finished(step) ? lock.get(step)?.outputs[NATIVE_DIALOGUE_OUTPUT.said]?.digest : undefined;
      if (digest === undefined) return;
      try {
        const said = JSON.parse(await readFile(objectPath(l, digest), "utf8")) as SaidOtherwise[];
        if (Array.isArray(said) && said.length > 0) found.set(scene.stepPrefix, said);
      } catch {
        // Collected or unreadable: the card shows the lines as written.
      }
    }),
  );
  return found;
}
