/**
 * Checks of the finishing keys that need the episodes laid out (issue 32):
 * an episode longer than a platform takes is a clear error at `deliver:`
 * before anything is built or encoded. The length checked is the planned
 * one (scenes' seconds plus cards); dialogue can only make an episode
 * longer, and the delivery step measures the real one again before it
 * encodes.
 */
import { readFileSync } from "node:fs";
import type { Diagnostic } from "../project/diagnostic.js";
import { diagnosticAt, parseSource } from "../project/source.js";
import type { Project } from "../project/project.js";
import { lengthProblem } from "../media/index.js";
import { cardPlans, deliveries } from "./finishing.js";
import type { DramaLayout } from "./layout.js";

/** An episode's planned length: its scenes' (a multi-shot scene's: its shots') seconds and its cards' lengths. */
export function plannedSeconds(ep: DramaLayout["episodes"][number]): number {
  const { before, after } = cardPlans(ep.view);
  // A multi-shot scene lasts as long as its shots (planned from the file), not its `seconds`.
  const scene = (s: (typeof ep.scenes)[number]) => (s.formatOne ? s.scene.seconds : s.shots.reduce((n, shot) => n + shot.seconds, 0));
  return [...before, ...after].reduce((n, c) => n + c.length, 0) + ep.scenes.reduce((n, s) => n + scene(s), 0);
}

export function deliveryDiagnostics(project: Project, layout: DramaLayout): Diagnostic[] {
  if (!project.deliver) return [];
  const presets = deliveries(project.deliver);
  const out: Diagnostic[] = [];
  let src: ReturnType<typeof parseSource> | undefined;
  presets.forEach((preset, i) => {
    for (const ep of layout.episodes) {
      const problem = lengthProblem(plannedSeconds(ep), preset);
      if (!problem) continue;
      src ??= parseSource(project.file, readFileSync(project.file, "utf8"));
      out.push(
        diagnosticAt(src, ["deliver", i], "value", {
          code: "too-long-for-platform",
          message: `${ep.view.id !== undefined ? `episode ${ep.view.id}: ` : ""}${problem}`,
          allowed: preset.maxSeconds !== undefined ? `episodes of at most ${preset.maxSeconds} s for ${preset.name}` : "",
        }),
      );
      // One per delivery: the first episode over names the problem.
      break;
    }
  });
  return out;
}
