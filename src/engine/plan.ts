/**
 * Plan: for every step, cached or run and why, its key when already known,
 * what running it is expected to cost and what reusing it saves. Runs
 * nothing and writes nothing except stat-cache entries.
 */
import type { StepSpec } from "./step.js";
import { err, ok, type Result } from "../result.js";
import { checkGraph, matchSteps, type CheckedGraph, type EngineGraph, type GraphFailure } from "./graph.js";
import { Workspace, type Resolution } from "./workspace.js";
import type { Reason } from "./reasons.js";
import type { ActionHit } from "./actions.js";
import type { CacheSource } from "./cache/cache.js";
import { remoteEndpoint, type RemoteCacheOptions } from "./cache/endpoint.js";
import { sum } from "./money.js";
import { RefusalMemory } from "./refusals.js";
import { groupCosts, targetCone, type GroupCost, type TargetFailure } from "./targets.js";

export interface PlanStep {
  readonly id: string;
  readonly action: "cached" | "run";
  readonly reasons: readonly Reason[];
  /** Undefined when an input step runs first (the key depends on its new output). */
  readonly key: string | undefined;
  /** Expected cost of running it (0 when cached). */
  readonly estimate: number;
  /** When running it is paid at an unknown price: how to set one (see StepSpec.unpriced). */
  readonly unpriced?: string;
  /** What reusing the cached result saves: its recorded cost, else its estimate. */
  readonly savedCost: number;
  readonly pool: string;
  readonly remote: boolean;
  /** Where a cached step's outputs are: here, or on the remote cache (downloaded when built). */
  readonly source: CacheSource | undefined;
  /** The take this step is (StepSpec.take), when it has takes. */
  readonly take?: number;
  /** The provider refused this very request before (engine/refusals.ts): its message. A build reports it failed unsent unless --retry-failed. */
  readonly refused?: string;
}

export interface Plan {
  /** In topological order. */
  readonly steps: readonly PlanStep[];
  readonly run: number;
  readonly cached: number;
  readonly estimate: number;
  readonly saved: number;
  /** Cost per step group (a series' episodes), for the groups with steps in the plan. */
  readonly groups: Readonly<Record<string, GroupCost>>;
}

export type PlanFailure =
  | GraphFailure
  | TargetFailure
  | { readonly kind: "unknown-force"; readonly pattern: string }
  | { readonly kind: "bad-remote-cache"; readonly message: string };

export interface PlanOptions {
  /** Step ids (or id prefixes such as `scene/a`) to run even when cached. */
  readonly force?: readonly string[];
  /** Step ids or id prefixes to build: only they and what they read are planned. Default: every step. */
  readonly targets?: readonly string[];
  /** A shared cache to consult after the local one (and, in a build, to fill). */
  readonly remoteCache?: RemoteCacheOptions;
  /** Warnings about the remote cache (down, refusing, a bad object). */
  readonly onNotice?: (message: string) => void;
}

/** The project's workspace, with the remote cache when one is configured. */
export async function openWorkspace(root: string, options: PlanOptions): Promise<Result<Workspace, PlanFailure>> {
  const rc = options.remoteCache;
  if (!rc) return ok(await Workspace.open(root));
  const endpoint = remoteEndpoint(rc.url, rc.token);
  if (!endpoint.ok) return err({ kind: "bad-remote-cache", message: endpoint.error });
  return ok(await Workspace.open(root, { endpoint: endpoint.value, options: rc, onNotice: options.onNotice ?? (() => undefined) }));
}

/** Internal: the plan plus each step's resolution, which `build` goes on from. */
export interface PlanState {
  readonly plan: Plan;
  readonly checked: CheckedGraph;
  readonly resolutions: ReadonlyMap<string, Resolution>;
  readonly forced: ReadonlySet<string>;
  /** The planned steps in topological order: all of them, or the targets' cone. */
  readonly order: readonly StepSpec[];
}

export function forcedSteps(steps: readonly StepSpec[], patterns: readonly string[]): Result<Set<string>, PlanFailure> {
  const forced = new Set<string>();
  const ids = steps.map((s) => s.id);
  for (const p of patterns) {
    const hit = matchSteps(ids, p);
    if (hit.length === 0) return err({ kind: "unknown-force", pattern: p });
    for (const id of hit) forced.add(id);
  }
  return ok(forced);
}

export async function planIn(ws: Workspace, graph: EngineGraph, options: PlanOptions): Promise<Result<PlanState, PlanFailure>> {
  const checked = checkGraph(graph.steps);
  if (!checked.ok) return checked;
  const forced = forcedSteps(graph.steps, options.force ?? []);
  if (!forced.ok) return forced;
  let order = checked.value.order;
  if (options.targets !== undefined && options.targets.length > 0) {
    const cone = targetCone(checked.value, options.targets);
    if (!cone.ok) return cone;
    order = order.filter((s) => cone.value.has(s.id));
  }
  const resolutions = new Map<string, Resolution>();
  // Output name -> digest of each step that is a hit, made once and shared by every step reading it.
  const digests = new Map<string, Readonly<Record<string, string>>>();
  const outputDigests = (id: string, hit: ActionHit): Readonly<Record<string, string>> => {
    let d = digests.get(id);
    if (!d) {
      const made: Record<string, string> = {};
      for (const n in hit.outputs) made[n] = hit.outputs[n]!.digest;
      digests.set(id, (d = made));
    }
    return d;
  };
  // The no-op case first, synchronously, in topological order: every step whose inputs are all hits and
  // that is a hit by stat data alone (ws.resolveKnown). A promise per step is a fifth of a 10,000-step plan.
  for (const step of order) {
    const inputs: Record<string, Readonly<Record<string, string>>> = {};
    let ready = true;
    for (const id of step.inputs) {
      const hit = resolutions.get(id)?.hit;
      if (!hit) {
        ready = false;
        break;
      }
      inputs[id] = outputDigests(id, hit);
    }
    const r = ready ? ws.resolveKnown(step, inputs, forced.value.has(step.id)) : undefined;
    if (r) resolutions.set(step.id, r);
  }
  // The rest resolves as soon as its inputs have: I/O overlaps across the graph.
  const pending = new Map<string, Promise<Resolution>>();
  const resolveStep = (step: StepSpec): Promise<Resolution> => {
    let p = pending.get(step.id);
    if (!p) {
      const known = resolutions.get(step.id);
      p = known
        ? Promise.resolve(known)
        : Promise.all(step.inputs.map((id) => resolveStep(checked.value.byId.get(id)!))).then(async (ins) => {
            const inputs: Record<string, Readonly<Record<string, string>>> = {};
            const waiting: string[] = [];
            step.inputs.forEach((id, i) => {
              const hit = ins[i]!.hit;
              if (hit) inputs[id] = outputDigests(id, hit);
              else waiting.push(id);
            });
            const r = await ws.resolve(step, inputs, waiting, forced.value.has(step.id));
            resolutions.set(step.id, r);
            return r;
          });
      pending.set(step.id, p);
    }
    return p;
  };
  if (resolutions.size < order.length) await Promise.all(order.filter((s) => !resolutions.has(s.id)).map(resolveStep));

  const refusals = new RefusalMemory(ws.l.refusals);
  const steps: PlanStep[] = order.map((s) => {
    const r = resolutions.get(s.id)!;
    const estimate = s.estimate ?? 0;
    const refused = !r.hit && r.key !== undefined ? refusals.get(r.key)?.message : undefined;
    return {
      id: s.id,
      action: r.hit ? "cached" : "run",
      reasons: r.reasons,
      key: r.key,
      estimate: r.hit ? 0 : estimate,
      ...(!r.hit && s.unpriced !== undefined ? { unpriced: s.unpriced } : {}),
      savedCost: r.hit ? r.hit.cost || estimate : 0,
      pool: s.pool,
      remote: s.remote ?? false,
      source: r.hit ? (r.remoteHit ? "remote" : "local") : undefined,
      ...(s.take !== undefined ? { take: s.take } : {}),
      ...(refused !== undefined ? { refused } : {}),
    };
  });
  const run = steps.filter((s) => s.action === "run");
  const plan: Plan = {
    steps,
    run: run.length,
    cached: steps.length - run.length,
    estimate: sum(run.map((s) => s.estimate)),
    saved: sum(steps.map((s) => s.savedCost)),
    groups: groupCosts(graph.groups ?? [], new Map(steps.map((s) => [s.id, { estimated: s.estimate, saved: s.savedCost }]))),
  };
  return ok({ plan, checked: checked.value, resolutions, forced: forced.value, order });
}

/** What `build` would do, without doing it. Saves stat-cache entries so the next command hashes less. */
export async function computePlan(graph: EngineGraph, options: PlanOptions = {}): Promise<Result<Plan, PlanFailure>> {
  const opened = await openWorkspace(graph.root, options);
  if (!opened.ok) return opened;
  const ws = opened.value;
  const state = await planIn(ws, graph, options);
  await ws.stats.save().catch(() => undefined);
  return state.ok ? ok(state.value.plan) : state;
}
