/**
 * The builder (ninja's build.cc, wireit's executor): plan first (budget is
 * checked before a cent is spent), then walk the graph, each step starting as
 * soon as its inputs are settled and its pool has room. A finished step is
 * recorded in the action cache at once, so a failed or killed build resumes
 * where it stopped. Early cutoff: a step whose input re-ran but produced the
 * same bytes keeps its key and stays cached.
 */
import { availableParallelism } from "node:os";
import { join } from "node:path";
import type { StepSpec } from "./step.js";
import { err, ok, type Result } from "../result.js";
import type { CheckedGraph, EngineGraph } from "./graph.js";
import type { BuildSummary, EngineEvent, GroupSummary } from "./events.js";
import { openWorkspace, planIn, type Plan, type PlanFailure } from "./plan.js";
import { sum } from "./money.js";
import type { RemoteCacheOptions } from "./cache/endpoint.js";
import type { HitFailure } from "./cache/cache.js";
import { Workspace, type Resolution } from "./workspace.js";
import { layout } from "./layout.js";
import { acquireProjectLock, type LockFailure } from "./project-lock.js";
import { touchActions, type ActionHit, type ActionRecord, type OutputRef } from "./actions.js";
import { writeLockfile, type LockEntry } from "./lockfile.js";
import { LocalExecutor } from "./execute/local.js";
import { FileJournalStore } from "./execute/journal-store.js";
import { isRefused, RefusalMemory } from "./refusals.js";
import type { Executor, StepJob } from "./execute/types.js";
import { linkedAlready, materialize, safeBuildPath } from "./materialize.js";
import { describeReasons, type Reason } from "./reasons.js";
import { dropNoopSnapshot, writeNoopSnapshot, type NoopIdentity } from "./noop.js";
import { dropActionIndex, writeActionIndex } from "./action-index.js";
import { failureOf, isCancellation, redactFailure, StepFailed, type Failure } from "./step-failure.js";
import { sweepScratch } from "./scratch.js";
import { criticalPath, PriorityPool } from "./priority-pool.js";

export interface BuildOptions {
  /**
   * Runs the steps that must run. Default: this process (execute/local.ts over
   * the project's store). Another executor (a queue) gets each step as a
   * StepJob and must leave its outputs in the project's store before it
   * answers; a step without a registered op (StepSpec.run only) can run only
   * in this process, so such an executor hands those to a local one.
   */
  readonly executor?: Executor;
  /** Build every branch a failure does not block instead of stopping at the first. */
  readonly keepGoing?: boolean;
  /** At most this many steps at once, across pools. */
  readonly jobs?: number;
  /** Abort: local steps are cancelled, running remote (paid) steps finish and are cached. */
  readonly signal?: AbortSignal;
  /** USD; overrides the graph's budget. */
  readonly budget?: number;
  /** Step ids or id prefixes to run even when cached. */
  readonly force?: readonly string[];
  /** Step ids or id prefixes to build (their cone only); every other step is neither run nor forgotten. */
  readonly targets?: readonly string[];
  /** Fail at once instead of waiting when another build holds the project. */
  readonly noWait?: boolean;
  readonly onEvent: (event: EngineEvent) => void;
  /** When set, a fully successful build records the no-op snapshot for this identity. */
  readonly noop?: NoopIdentity;
  /**
   * Step keys known to fail, with the failure to report (`watch` remembers
   * the keys of failed steps). A step whose key is listed is reported failed
   * without running, and does not stop the build: it is old news, and an
   * unrelated edit should still build. A changed key, or --force, runs it.
   */
  readonly knownFailures?: ReadonlyMap<string, KnownFailure>;
  /** Send again the steps a provider refused before (engine/refusals.ts); without it they are reported failed, unsent. */
  readonly retryFailed?: boolean;
  /**
   * A shared cache (Bazel's HTTP protocol) consulted after the local one and
   * filled after steps run. It never fails the build: trouble is one notice.
   */
  readonly remoteCache?: RemoteCacheOptions;
}

export type BuildFailure =
  | PlanFailure
  | LockFailure
  /** `group`: the step group (episode) whose own budget is exceeded; absent for the build's budget. */
  | { readonly kind: "over-budget"; readonly estimate: number; readonly budget: number; readonly steps: number; readonly group?: string }
  /** A budget is set and some paid step to run has no known price; `how` says how to give it one. */
  | { readonly kind: "unpriced"; readonly budget: number; readonly steps: readonly string[]; readonly how: string }
  | { readonly kind: "bad-output-path"; readonly id: string; readonly path: string };

export interface StepFailure {
  readonly id: string;
  readonly message: string;
  readonly failure: Failure;
}

export interface KnownFailure {
  readonly message: string;
  readonly failure: Failure;
}

export interface BuildReport {
  readonly summary: BuildSummary;
  readonly failures: readonly StepFailure[];
}

type Outcome =
  | { readonly state: "ran" | "cached"; readonly key: string; readonly outputs: Readonly<Record<string, OutputRef>> }
  | { readonly state: "failed" | "skipped" };

export async function build(graph: EngineGraph, options: BuildOptions): Promise<Result<BuildReport, BuildFailure>> {
  const started = performance.now();
  const emit = options.onEvent;
  const held = await acquireProjectLock(layout(graph.root).dramake, {
    noWait: options.noWait,
    signal: options.signal,
    onWait: (h) => emit({ type: "notice", message: `waiting for another dramake build (process ${h.pid}) to finish with this project` }),
  });
  if (!held.ok) return held;
  try {
    // Opened under the lock: a build we waited for has changed the lockfile and caches.
    const opened = await openWorkspace(graph.root, { remoteCache: options.remoteCache, onNotice: (message) => emit({ type: "notice", message }) });
    if (!opened.ok) return opened;
    const ws = opened.value;
    dropActionIndex(ws.l);
    await Promise.all([dropNoopSnapshot(ws.l), sweepScratch(ws.l.tmp)]);
    const planned = await planIn(ws, graph, { force: options.force, targets: options.targets });
    if (!planned.ok) return planned;
    const { plan, checked, resolutions, forced, order } = planned.value;
    const refused = overBudget(graph, plan, options.budget);
    if (refused) {
      await ws.stats.save().catch(() => undefined);
      return err(refused);
    }
    for (const s of graph.steps) {
      for (const rel of Object.values(s.materialize ?? {})) {
        if (!safeBuildPath(ws.l.buildDir, rel)) return err({ kind: "bad-output-path", id: s.id, path: rel });
      }
    }
    const run = new Run(ws, graph, options, resolutions, forced, checked);
    await Promise.all(order.map((s) => run.settle(s)));
    // What other machines may reuse goes up before we leave (bounded: a slow cache only costs its drain time).
    await ws.remote?.drain();

    // Entries of steps outside the graph go; those outside a targeted build's cone stay as they were.
    const lock = new Map<string, LockEntry>(ws.previous);
    for (const id of lock.keys()) if (!checked.byId.has(id)) lock.delete(id);
    for (const [id, o] of run.outcomes) {
      if (o.state === "ran" || o.state === "cached") lock.set(id, { key: o.key, outputs: o.outputs, ...takeOf(checked.byId.get(id)!) });
    }
    const now = new Date();
    await Promise.all([
      writeLockfile(ws.l.lockfile, lock),
      // The stat cache only saves re-hashing: a disk that refuses it (EIO, ENOSPC) costs the next build time, not this one its result.
      ws.stats.save().catch(() => undefined),
    ]);
    touchActions(ws.l, run.usedKeys, now);
    const count = (state: Outcome["state"]) => [...run.outcomes.values()].filter((o) => o.state === state).length;
    const finalStep = graph.output === undefined ? undefined : graph.steps.find((s) => Object.values(s.materialize ?? {}).includes(graph.output!));
    const outputBuilt = finalStep === undefined || ["ran", "cached"].includes(run.outcomes.get(finalStep.id)?.state ?? "");
    const built = (id: string) => ["ran", "cached"].includes(run.outcomes.get(id)?.state ?? "");
    const groups = groupSummary(graph, plan, run, built);
    const summary: BuildSummary = {
      total: order.length,
      ran: count("ran"),
      cached: count("cached"),
      failed: count("failed"),
      skipped: count("skipped"),
      estimated: plan.estimate,
      spent: sum(run.costs),
      saved: sum([...run.savedById.values()]),
      output: graph.output !== undefined && outputBuilt ? `build/${graph.output}` : undefined,
      ms: Math.round(performance.now() - started),
      aborted: options.signal?.aborted ?? false,
      ...(ws.remote ? { remote: ws.remote.tally() } : {}),
      ...(groups ? { groups } : {}),
    };
    // A targeted build has not checked the whole graph: it is no evidence that everything is up to date.
    const whole = order.length === checked.order.length;
    if (whole && summary.failed === 0 && summary.skipped === 0 && !summary.aborted) {
      const records = [...run.outcomes.values()].flatMap((o) => (o.state === "ran" || o.state === "cached" ? [ws.local.seen(o.key)] : []));
      await writeActionIndex(ws.l, records.filter((r) => r !== undefined)).catch(() => undefined);
      if (options.noop) await writeNoopSnapshot(ws.l, options.noop, graph, summary, run.worthById).catch(() => undefined);
    }
    emit({ type: "summary", summary });
    return ok({ summary, failures: run.failures });
  } finally {
    await held.value.release();
  }
}

/** The build's budget (the option, else the graph's) over everything planned, then each group's own budget. */
export function overBudget(graph: EngineGraph, plan: Plan, option: number | undefined): Extract<BuildFailure, { kind: "over-budget" | "unpriced" }> | undefined {
  const budget = option ?? graph.budget;
  const unpriced = plan.steps.filter((s) => s.action === "run" && s.unpriced !== undefined);
  if (budget !== undefined && unpriced.length > 0) return { kind: "unpriced", budget, steps: unpriced.map((s) => s.id), how: unpriced[0]!.unpriced! };
  if (budget !== undefined && plan.estimate > budget) return { kind: "over-budget", estimate: plan.estimate, budget, steps: plan.run };
  for (const g of graph.groups ?? []) {
    const cost = plan.groups[g.name];
    if (g.budget === undefined || cost === undefined || cost.estimated <= g.budget) continue;
    const mine = new Set(g.steps);
    const steps = plan.steps.filter((s) => s.action === "run" && mine.has(s.id)).length;
    return { kind: "over-budget", estimate: cost.estimated, budget: g.budget, steps, group: g.name };
  }
  return undefined;
}

/** Spent, estimated and saved per group, and the group's output when it was built. */
function groupSummary(graph: EngineGraph, plan: Plan, run: Run, built: (id: string) => boolean): BuildSummary["groups"] {
  if (!graph.groups || graph.groups.length === 0) return undefined;
  const out: Record<string, GroupSummary> = {};
  for (const g of graph.groups) {
    const planned = plan.groups[g.name];
    if (planned === undefined) continue;
    const producer = g.output === undefined ? undefined : graph.steps.find((s) => Object.values(s.materialize ?? {}).includes(g.output!));
    out[g.name] = {
      estimated: planned.estimated,
      spent: sum(g.steps.map((id) => run.spentById.get(id) ?? 0)),
      saved: sum(g.steps.map((id) => run.savedById.get(id) ?? 0)),
      output: producer !== undefined && built(producer.id) ? `build/${g.output}` : undefined,
    };
  }
  return out;
}

/** One build's mutable state: outcomes, pools, the stop switch. */
class Run {
  readonly outcomes = new Map<string, Outcome>();
  readonly failures: StepFailure[] = [];
  readonly costs: number[] = [];
  /** What each step that ran (or failed) spent, for the groups' totals. */
  readonly spentById = new Map<string, number>();
  readonly savedById = new Map<string, number>();
  /** What each step's output cost when it was made: what a later no-op build saves. */
  readonly worthById = new Map<string, number>();
  readonly usedKeys: string[] = [];
  private readonly settling = new Map<string, Promise<Outcome>>();
  private readonly pools = new Map<string, PriorityPool>();
  private readonly all: PriorityPool | undefined;
  /** Which waiting step a freed slot starts: the one heading the longest chain of work still to run. */
  private readonly rank: ReadonlyMap<string, number>;
  /** Aborts local steps when the build stops (failure without keep-going, or the caller's signal). */
  private readonly stop = new AbortController();
  private stopWhy: string | undefined;
  private readonly remoteRunning = new Set<string>();
  private readonly repairs = new Map<string, Promise<Outcome>>();
  /** Runs the steps that must run: in this process (execute/local.ts); a queue executor implements the same seam. */
  private readonly executor: Executor;
  private readonly refusals: RefusalMemory;

  constructor(
    private readonly ws: Workspace,
    private readonly graph: EngineGraph,
    private readonly options: BuildOptions,
    private readonly planned: ReadonlyMap<string, Resolution>,
    private readonly forced: ReadonlySet<string>,
    checked: CheckedGraph,
  ) {
    this.all = options.jobs ? new PriorityPool(options.jobs) : undefined;
    this.refusals = new RefusalMemory(ws.l.refusals);
    const steps = new Map(graph.steps.map((st) => [st.id, st]));
    const stepOf = (job: StepJob): StepSpec => steps.get(job.id)!;
    this.executor = options.executor ?? new LocalExecutor({
      store: ws.store,
      journals: new FileJournalStore(ws.l.journals),
      tmp: ws.l.tmp,
      fileAt: (path) => join(ws.l.root, path),
      secrets: (job) => stepOf(job).secrets ?? {},
      code: (job) => {
        const step = stepOf(job);
        return step.run ? (ctx) => step.run!(ctx) : undefined;
      },
      required: (job) => Object.keys(stepOf(job).materialize ?? {}),
    });
    this.rank = criticalPath(checked);
    const signal = options.signal;
    if (signal) {
      const onAbort = () => {
        this.halt("the build was stopped");
        if (this.remoteRunning.size > 0) {
          options.onEvent({ type: "notice", message: `stopping; letting ${this.remoteRunning.size} paid remote step(s) finish so their results are kept` });
        }
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  }

  private halt(why: string): void {
    if (this.stopWhy !== undefined) return;
    this.stopWhy = why;
    // Typed, so a step that rethrows its signal's reason is recognised as cancelled, not failed.
    this.stop.abort(new StepFailed(why, { kind: "aborted" }));
  }

  private pool(name: string): PriorityPool {
    let p = this.pools.get(name);
    if (!p) {
      const size = this.graph.pools[name] ?? availableParallelism();
      p = new PriorityPool(Math.max(1, Math.min(size, this.options.jobs ?? Infinity)));
      this.pools.set(name, p);
    }
    return p;
  }

  settle(step: StepSpec): Promise<Outcome> {
    let p = this.settling.get(step.id);
    if (!p) {
      p = this.decide(step)
        // The engine's own I/O can fail too (disk full, permissions in build/): that fails the step, not the build.
        .catch((error: unknown) => this.fail(step, 0, 0, error))
        .then((o) => {
          this.outcomes.set(step.id, o);
          return o;
        });
      this.settling.set(step.id, p);
    }
    return p;
  }

  private skip(step: StepSpec, why: string): Outcome {
    this.options.onEvent({ type: "skipped", id: step.id, why });
    return { state: "skipped" };
  }

  private async decide(step: StepSpec): Promise<Outcome> {
    const ins = await Promise.all(step.inputs.map((id) => this.settle(this.stepOf(id))));
    const blocked = step.inputs.filter((_, i) => ins[i]!.state === "failed" || ins[i]!.state === "skipped");
    if (blocked.length > 0) return this.skip(step, `blocked by ${blocked.join(", ")}`);
    if (this.stopWhy !== undefined) return this.skip(step, this.stopWhy);

    let resolution = this.planned.get(step.id)!;
    const anyRan = ins.some((o) => o.state === "ran");
    if (resolution.key === undefined || anyRan) {
      // An input re-ran: the key is only known now, and may well be cached (early cutoff).
      const inputs: Record<string, Record<string, string>> = {};
      step.inputs.forEach((id, i) => {
        const o = ins[i] as Extract<Outcome, { outputs: unknown }>;
        inputs[id] = Object.fromEntries(Object.entries(o.outputs).map(([n, r]) => [n, r.digest]));
      });
      const again = await this.ws.resolve(step, inputs, [], this.forced.has(step.id));
      // Keep the plan's explanation (it names the input that changed) when the step runs anyway.
      resolution = again.hit ? again : { ...again, reasons: again.reasons.some((r) => r.kind === "forced") ? again.reasons : resolution.reasons };
    }
    if (resolution.hit) return this.cached(step, resolution.hit, resolution);
    const known = this.forced.has(step.id) ? undefined : (this.options.knownFailures?.get(resolution.key!) ?? this.refused(resolution.key!));
    if (known !== undefined) return this.fail(step, 0, 0, new StepFailed(known.message, known.failure), { key: resolution.key!, halt: false });
    return this.inPool(step, resolution);
  }

  private inPool(step: StepSpec, resolution: Resolution): Promise<Outcome> {
    const rank = this.rank.get(step.id) ?? 0;
    const all = this.all;
    return this.pool(step.pool).run(rank, () => (all ? all.run(rank, () => this.execute(step, resolution)) : this.execute(step, resolution)));
  }

  /** Outputs about to be linked into build/ anew that fail a full digest check. */
  private async unrestorable(step: StepSpec, outputs: Readonly<Record<string, OutputRef>>): Promise<Reason[]> {
    const missing: string[] = [];
    const corrupt: string[] = [];
    for (const [name, rel] of Object.entries(step.materialize ?? {})) {
      const o = outputs[name];
      if (!o || (await linkedAlready(safeBuildPath(this.ws.l.buildDir, rel)!, this.ws.store.artifact(o.digest, o.size)))) continue;
      const state = await this.ws.store.verify(o.digest, o.size);
      if (state === "missing") missing.push(name);
      if (state === "corrupt") corrupt.push(name);
    }
    return [
      ...(missing.length ? [{ kind: "output-missing", outputs: missing } as const] : []),
      ...(corrupt.length ? [{ kind: "output-corrupt", outputs: corrupt } as const] : []),
    ];
  }

  /**
   * Before a step runs, its cached inputs get a full digest check (they are
   * about to be read). A bad one is regenerated on the spot by re-running its
   * producer, outside the pools (this step already holds a slot; waiting for
   * another could deadlock), once however many steps read it.
   */
  private async verifiedInputs(step: StepSpec): Promise<Record<string, Record<string, string>> | undefined> {
    let changed = false;
    for (const id of step.inputs) {
      const o = this.outcomes.get(id);
      if (o?.state !== "cached") continue;
      const states = await Promise.all(Object.values(o.outputs).map((r) => this.ws.store.verify(r.digest, r.size)));
      if (states.every((st) => st === "ok")) continue;
      let repair = this.repairs.get(id);
      if (!repair) {
        const producer = this.stepOf(id);
        const names = Object.keys(o.outputs).filter((_, i) => states[i] !== "ok");
        const before = this.planned.get(id)!;
        repair = this.execute(producer, { ...before, key: o.key, hit: undefined, reasons: [{ kind: states.includes("corrupt") ? "output-corrupt" : "output-missing", outputs: names }] });
        this.repairs.set(id, repair);
      }
      const fixed = await repair;
      this.outcomes.set(id, fixed);
      this.savedById.delete(id);
      if (fixed.state !== "ran") throw new StepFailed(`its input ${id} was corrupt in the cache and could not be regenerated`, { kind: "input-lost", input: id });
      changed ||= Object.entries(fixed.outputs).some(([n, r]) => o.outputs[n]?.digest !== r.digest);
    }
    if (!changed) return undefined;
    const inputs: Record<string, Record<string, string>> = {};
    for (const id of step.inputs) {
      const o = this.outcomes.get(id) as Extract<Outcome, { outputs: unknown }>;
      inputs[id] = Object.fromEntries(Object.entries(o.outputs).map(([n, r]) => [n, r.digest]));
    }
    return inputs;
  }

  private stepIndex: Map<string, StepSpec> | undefined;
  private stepOf(id: string): StepSpec {
    this.stepIndex ??= new Map(this.graph.steps.map((s) => [s.id, s]));
    return this.stepIndex.get(id)!;
  }

  private async cached(step: StepSpec, record: ActionHit, resolution: Resolution): Promise<Outcome> {
    if (resolution.remoteHit) {
      // Downloaded only now that the step is reached; what cannot be had (bad bytes, a cache gone) is run here.
      const applied = await resolution.remoteHit.apply();
      if (!applied.ok) return this.inPool(step, { ...resolution, hit: undefined, remoteHit: undefined, reasons: [fallbackReason(applied.error, record)] });
    }
    const bad = await this.unrestorable(step, record.outputs);
    if (bad.length > 0) return this.inPool(step, { ...resolution, hit: undefined, remoteHit: undefined, reasons: bad });
    const saved = record.cost || step.estimate || 0;
    this.savedById.set(step.id, saved);
    this.worthById.set(step.id, saved);
    this.usedKeys.push(record.key);
    await this.materializeOutputs(step, record.outputs);
    this.options.onEvent({ type: "cached", id: step.id, saved, ...(resolution.remoteHit ? { source: "remote" as const } : {}) });
    return { state: "cached", key: record.key, outputs: record.outputs };
  }

  private async materializeOutputs(step: StepSpec, outputs: Readonly<Record<string, OutputRef>>): Promise<void> {
    for (const [name, rel] of Object.entries(step.materialize ?? {})) {
      const o = outputs[name];
      if (o) await materialize(safeBuildPath(this.ws.l.buildDir, rel)!, this.ws.store.artifact(o.digest, o.size));
    }
  }

  /** A refusal remembered for this key, as a known failure (unless --retry-failed). */
  private refused(key: string): KnownFailure | undefined {
    if (this.options.retryFailed) return undefined;
    const r = this.refusals.get(key);
    return r && { message: `refused by the provider before, not sent again until its inputs change (--retry-failed sends it): ${r.message}`, failure: r.failure };
  }

  private fail(step: StepSpec, ms: number, cost: number, error: unknown, known: { key?: string; halt?: boolean } = {}): Outcome {
    const message = redact(error instanceof Error ? error.message : String(error), step);
    const failure = redactFailure(failureOf(error), (text) => redact(text, step));
    this.failures.push({ id: step.id, message, failure });
    this.options.onEvent({ type: "failed", id: step.id, ms, cost, message, failure, ...(known.key === undefined ? {} : { key: known.key }) });
    if (!this.options.keepGoing && known.halt !== false) this.halt(`stopped after ${step.id} failed`);
    return { state: "failed" };
  }

  private async execute(step: StepSpec, planned: Resolution): Promise<Outcome> {
    let resolution = planned;
    const emit = this.options.onEvent;
    // The build may have stopped while this step queued for its pool.
    if (this.stopWhy !== undefined) return this.skip(step, this.stopWhy);
    const newInputs = await this.verifiedInputs(step);
    if (newInputs) {
      // A regenerated input came out different: this step's key is new, and may even be cached.
      const again = await this.ws.resolve(step, newInputs, [], this.forced.has(step.id));
      if (again.hit) return this.cached(step, again.hit, again);
      resolution = { ...again, reasons: resolution.reasons };
    }
    const key = resolution.key!;
    const reasons: readonly Reason[] = resolution.reasons;
    const remote = step.remote ?? false;
    emit({ type: "started", id: step.id, reasons, remote });
    if (remote) this.remoteRunning.add(step.id);
    const job = stepJob(step, key, resolution.keyInputs.files, (id) => (this.outcomes.get(id) as Extract<Outcome, { outputs: unknown }>).outputs);
    const result = await this.executor.execute(job, {
      // Paid remote work is not cancelled by a stop: it finishes and is cached (DESIGN §3, watch).
      signal: remote ? new AbortController().signal : this.stop.signal,
      progress: (fraction, message) => emit({ type: "progress", id: step.id, fraction, ...(message === undefined ? {} : { message: redact(message, step) }) }),
      notice: (message) => emit({ type: "notice", id: step.id, message: redact(message, step) }),
    });
    if (remote) this.remoteRunning.delete(step.id);
    const { cost, ms } = result;
    if (!result.ok) {
      this.costs.push(cost);
      this.spentById.set(step.id, cost);
      if (!remote && this.stopWhy !== undefined && isCancellation(result.error, this.stop.signal)) {
        return this.skip(step, `cancelled: ${this.stopWhy}`);
      }
      const failure = failureOf(result.error);
      if (isRefused(failure)) {
        const message = redact(result.error instanceof Error ? result.error.message : String(result.error), step);
        await this.refusals.set(key, { message, failure: redactFailure(failure, (text) => redact(text, step)) });
      }
      return this.fail(step, ms, cost, result.error, { key });
    }
    if (this.options.retryFailed) await this.refusals.clear(key);
    const outputs = { ...result.outputs };
    try {
      const record: ActionRecord = {
        v: 1,
        key,
        id: step.id,
        kind: step.kind,
        version: step.version,
        params: step.params,
        inputs: resolution.keyInputs.inputs,
        files: resolution.keyInputs.files,
        outputs,
        ...takeOf(step),
        cost,
        ms,
        journal: result.journal,
        created: new Date().toISOString(),
      };
      // Recorded before anyone hears it finished: a kill after this line loses nothing.
      await this.ws.local.set(record);
      // Shared in the background: uploads never hold up the next step (the build waits for them at its end).
      // A worker that ran it shared it already (content before record): the coordinator only restores.
      if (!result.shared) void this.ws.remote?.set(record);
      await this.executor.settled?.(key);
      this.costs.push(cost);
      this.spentById.set(step.id, cost);
      this.worthById.set(step.id, cost);
      await this.materializeOutputs(step, outputs);
      emit({ type: "finished", id: step.id, ms, cost, reasons, ...(result.worker === undefined ? {} : { worker: result.worker }) });
      return { state: "ran", key, outputs };
    } catch (error) {
      this.costs.push(cost);
      this.spentById.set(step.id, cost);
      return this.fail(step, ms, cost, error, { key });
    }
  }
}

/** A step that must run, as the data an executor gets (execute/types.ts): no closure, no secret. */
export function stepJob(
  step: StepSpec,
  key: string,
  files: Readonly<Record<string, string>>,
  outputsOf: (id: string) => Readonly<Record<string, OutputRef>>,
): StepJob {
  return {
    id: step.id,
    key,
    op: step.op ?? step.kind,
    kind: step.kind,
    version: step.version,
    params: step.params,
    ...(step.args !== undefined ? { args: step.args } : {}),
    inputs: Object.fromEntries(step.inputs.map((id) => [id, outputsOf(id)])),
    files: Object.fromEntries(step.files.map((f) => [f, files[f]!])),
    take: step.take ?? 1,
    remote: step.remote ?? false,
  };
}

/** Why a step the remote had runs after all, in the plan's own vocabulary. */
function fallbackReason(f: HitFailure, record: ActionHit): Reason {
  return f.kind === "bad-object" ? { kind: "output-corrupt", outputs: [f.output] } : { kind: "output-missing", outputs: Object.keys(record.outputs).sort() };
}

function takeOf(step: StepSpec): { take?: number } {
  return step.take !== undefined && step.take > 1 ? { take: step.take } : {};
}

/** Secrets never reach a log or an error, even when a provider echoes them. */
function redact(text: string, step: StepSpec): string {
  let out = text;
  for (const value of Object.values(step.secrets ?? {})) {
    if (value.length >= 4) out = out.split(value).join("***");
  }
  return out;
}

export { describeReasons };
