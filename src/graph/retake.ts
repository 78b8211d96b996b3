/**
 * Choosing a take, as `dramake retake` and the storyboard's buttons do it:
 * check that the step is one of the project's steps with takes, write `take:`
 * in place, and for a new take price the build it asks for first. Errors are
 * data; the callers print them (the CLI) or answer them as JSON (the preview
 * server). Nothing here builds: the CLI runs the build afterwards, and under
 * `watch` the edit itself is what rebuilds.
 */
import { basename } from "node:path";
import { computePlan } from "../engine/plan.js";
import { overBudget, type BuildFailure } from "../engine/build.js";
import { describeFailure } from "../engine/failures.js";
import { chosenTakes, nextTake, type Take } from "../engine/takes.js";
import { replaceFile } from "../project/edit.js";
import { loadBuildGraph, type BuildGraph, type LoadOptions } from "./load.js";
import { chooseTake, takeableSteps } from "./takes.js";
import { err, ok, type Result } from "../result.js";

export type TakeRefusal =
  /** The project does not load: `message` is the formatted diagnostics. */
  | { readonly kind: "invalid-project"; readonly message: string }
  | { readonly kind: "unknown-step"; readonly id: string; readonly allowed: readonly string[]; readonly message: string }
  | { readonly kind: "unknown-take"; readonly id: string; readonly take: number; readonly made: readonly number[]; readonly message: string }
  | { readonly kind: "edit-failed"; readonly message: string }
  | { readonly kind: "plan-failed"; readonly message: string }
  /** Over budget (or unpriced under a budget): nothing was sent and the file is as it was. */
  | { readonly kind: "refused"; readonly take: number; readonly failure: Extract<BuildFailure, { kind: "over-budget" | "unpriced" }>; readonly message: string }
  /** Estimated above what the user agreed to (`confirmed`): put back, nothing sent; ask, then try again with the estimate. */
  | { readonly kind: "unconfirmed"; readonly take: number; readonly estimate: number; readonly message: string };

export interface TakeChosen {
  readonly id: string;
  readonly take: number;
  /** The project file that was edited (absolute). */
  readonly file: string;
  /** The graph loaded after the edit, with the take in place. */
  readonly graph: BuildGraph;
  /** USD the build the edit asks for is estimated to cost (0 for a take already made). */
  readonly estimate: number;
}

export interface TakeOptions extends LoadOptions {
  /** `--budget`: instead of the project's. */
  readonly budget?: number;
  /** USD the user agreed to spend on this choice; a build estimated above it is refused as "unconfirmed". */
  readonly confirmed?: number;
}

/** The graph, and the step checked to be one of its steps the project's files choose a take of. */
async function takeable(target: string, id: string, options: LoadOptions): Promise<Result<BuildGraph, TakeRefusal>> {
  const loaded = await loadBuildGraph(target, options);
  if (!loaded.ok) return err({ kind: "invalid-project", message: loaded.error.message });
  const graph = loaded.value;
  const allowed = graph.project ? takeableSteps(graph.project, graph.steps) : [];
  if (!allowed.includes(id)) {
    const step = graph.steps.some((s) => s.id === id);
    const what = step ? `step '${id}' has no takes (it is not a generation)` : `no step '${id}'`;
    return err({ kind: "unknown-step", id, allowed, message: `${what}; steps with takes: ${allowed.join(", ")}` });
  }
  return ok(graph);
}

/**
 * A new generation of step `id`: take n+1, written into the project file,
 * priced, and put back (nothing sent) when the build it asks for is over
 * budget.
 */
export async function newTake(target: string, id: string, options: TakeOptions = {}): Promise<Result<TakeChosen, TakeRefusal>> {
  const checked = await takeable(target, id, options);
  if (!checked.ok) return checked;
  const graph = checked.value;
  const step = graph.steps.find((s) => s.id === id)!;
  const take = nextTake((await chosenTakes(graph.root, [id])).get(id)?.all ?? [], step.take ?? 1);
  return chooseAndPrice(target, graph, id, take, options);
}

/**
 * Choose take `take` of step `id`, one that was made from the step's inputs
 * as they are now (so the build restores it for nothing): the storyboard's
 * "use this take".
 */
export async function useTake(target: string, id: string, take: number, options: TakeOptions = {}): Promise<Result<TakeChosen, TakeRefusal>> {
  const checked = await takeable(target, id, options);
  if (!checked.ok) return checked;
  const graph = checked.value;
  const made = (await chosenTakes(graph.root, [id])).get(id)?.family.map((t: Take) => t.take) ?? [];
  if (!made.includes(take)) {
    const list = made.length > 0 ? `takes made from its inputs as they are now: ${made.join(", ")}` : "no take of it is built yet (run dramake build)";
    return err({ kind: "unknown-take", id, take, made, message: `${id} has no take ${take}; ${list}` });
  }
  return chooseAndPrice(target, graph, id, take, options);
}

async function chooseAndPrice(target: string, graph: BuildGraph, id: string, take: number, options: TakeOptions): Promise<Result<TakeChosen, TakeRefusal>> {
  const project = graph.project!;
  const place = await chooseTake(project, id, take);
  if (!place.ok) return err({ kind: "edit-failed", message: place.error });
  const putBack = () => replaceFile(place.value.file, place.value.after, place.value.before);
  // Priced with the take in place; over budget, the file goes back and nothing is spent.
  const edited = await loadBuildGraph(target, options);
  if (!edited.ok) {
    await putBack();
    return err({ kind: "invalid-project", message: edited.error.message });
  }
  const plan = await computePlan(edited.value);
  if (!plan.ok) {
    await putBack();
    return err({ kind: "plan-failed", message: describeFailure(plan.error) });
  }
  const refused = overBudget(edited.value, plan.value, options.budget);
  if (refused) {
    await putBack();
    return err({ kind: "refused", take, failure: refused, message: `take ${take} of ${id}: ${describeFailure(refused)}; ${basename(place.value.file)} is unchanged` });
  }
  if (options.confirmed !== undefined && plan.value.estimate > options.confirmed + 1e-9) {
    await putBack();
    return err({ kind: "unconfirmed", take, estimate: plan.value.estimate, message: `take ${take} of ${id} is estimated at $${plan.value.estimate.toFixed(2)}; nothing was sent and ${basename(place.value.file)} is unchanged` });
  }
  return ok({ id, take, file: place.value.file, graph: edited.value, estimate: plan.value.estimate });
}
