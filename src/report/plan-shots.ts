/**
 * `plan`'s view of shots (issue 27): each scene's shots with their size,
 * clip length and price, and the planner's notices (a long scene left whole
 * because its video model's lengths are unknown). Prices are the plan's own
 * step estimates grouped by the shot's steps, so the shots' prices and the
 * plan's total can never disagree. Read from the layout the graph made; this
 * decides nothing about shots itself.
 */
import type { Plan } from "../engine/plan.js";
import type { DramaLayout, SceneLayout } from "../graph/layout.js";
import { sum } from "../engine/money.js";

export interface PlannedShotView {
  readonly id: string;
  readonly index: number;
  readonly size: string;
  readonly on: readonly string[];
  /** The clip length asked of the video model. */
  readonly seconds: number;
  readonly transition: string;
  /** What the shot's steps that would run cost (USD); cached steps cost nothing. */
  readonly estimate: number;
  /** Of the shot's steps, how many would run... */
  readonly run: number;
  /** ...and which. */
  readonly running: readonly string[];
  /** Steps whose price is unknown. */
  readonly unpriced: number;
  readonly steps: readonly string[];
}

export interface PlannedSceneView {
  /** The scene's step-id prefix (`scene/x`, `episode/e/scene/x`). */
  readonly prefix: string;
  readonly scene: string;
  readonly episode?: string;
  /** One shot with the format-1 step ids. */
  readonly formatOne: boolean;
  readonly transition: string;
  /** The shots' clip lengths added. */
  readonly seconds: number;
  readonly shots: readonly PlannedShotView[];
  /** The planner's notices (a long scene left one clip, a shot past the longest clip). */
  readonly notices: readonly string[];
}

export function plannedScenes(layout: DramaLayout, plan: Plan): PlannedSceneView[] {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const out: PlannedSceneView[] = [];
  for (const episode of layout.episodes) {
    for (const place of episode.scenes) {
      // A scene outside the plan's targets (-t episode/02) is not shown: it would not run.
      if (!place.steps.some((id) => byId.has(id))) continue;
      const shots = place.shots.map((shot): PlannedShotView => {
        const planned = shot.steps.map((id) => byId.get(id)).filter((s) => s !== undefined);
        const running = planned.filter((s) => s.action === "run");
        return {
          id: shot.id,
          index: shot.index,
          size: shot.size,
          on: shot.on,
          seconds: shot.seconds,
          transition: shot.transition,
          estimate: sum(running.map((s) => s.estimate)),
          run: running.length,
          running: running.map((s) => s.id),
          unpriced: running.filter((s) => s.unpriced !== undefined).length,
          steps: shot.steps,
        };
      });
      out.push({
        prefix: place.stepPrefix,
        scene: place.scene.id,
        ...(episode.view.id !== undefined ? { episode: episode.view.id } : {}),
        formatOne: place.formatOne,
        transition: place.transition,
        seconds: sum(shots.map((s) => s.seconds)),
        shots,
        notices: place.notices ?? [],
      });
    }
  }
  return out;
}

/**
 * The multi-shot scenes a step pattern names (`scene/x`, `episode/e/scene/x`,
 * with or without a trailing slash): where `explain` and `status` print a
 * scene, they add its shots.
 */
export function scenesNamed(scenes: readonly PlannedSceneView[], pattern: string): PlannedSceneView[] {
  const name = pattern.replace(/\/+$/, "");
  return scenes.filter((s) => !s.formatOne && s.prefix === name);
}
