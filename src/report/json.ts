/**
 * `--json`: one JSON object per line on stdout, the shapes of DESIGN §5.
 * Scripts depend on them: extend, never rename.
 */
import type { EngineEvent } from "../engine/events.js";
import type { Plan } from "../engine/plan.js";
import { describeReasons } from "../engine/reasons.js";
import type { Reporter, Sink } from "./reporter.js";
import type { Diagnostic } from "../project/diagnostic.js";
import type { PlannedSceneView } from "./plan-shots.js";

/** The JSON line for one event. */
export function jsonEvent(e: EngineEvent): Record<string, unknown> {
  switch (e.type) {
    case "started":
      return { event: "started", id: e.id, reason: describeReasons(e.reasons), remote: e.remote };
    case "progress":
      return { event: "progress", id: e.id, fraction: e.fraction, ...(e.message === undefined ? {} : { message: e.message }) };
    case "cached":
      return { event: "step", id: e.id, state: "cached", ms: 0, cost: 0, reason: "cached", saved: e.saved, source: e.source ?? "local" };
    case "finished":
      return { event: "step", id: e.id, state: "ran", ms: e.ms, cost: e.cost, reason: describeReasons(e.reasons), ...(e.worker === undefined ? {} : { worker: e.worker }) };
    case "failed":
      // `reason` for people (and scripts written before `failure`), `failure` for programs.
      return { event: "step", id: e.id, state: "failed", ms: e.ms, cost: e.cost, reason: e.message, failure: e.failure };
    case "skipped":
      return { event: "step", id: e.id, state: "skipped", ms: 0, cost: 0, reason: e.why };
    case "notice":
      return { event: "notice", ...(e.id === undefined ? {} : { id: e.id }), message: e.message };
    case "summary": {
      const s = e.summary;
      return {
        event: "summary",
        // `cached` counts every cache hit; `remote` is how many of them came from the remote cache.
        steps: { total: s.total, ran: s.ran, cached: s.cached, failed: s.failed, skipped: s.skipped, ...(s.remote ? { remote: s.remote.hits } : {}) },
        cost: { estimated: s.estimated, spent: s.spent, saved: s.saved },
        output: s.output ?? null,
        ms: s.ms,
        ...(s.remote ? { remote: { hits: s.remote.hits, downloaded: s.remote.downloaded, uploaded: s.remote.uploaded, rejected: s.remote.rejected } } : {}),
        ...(s.aborted ? { aborted: true } : {}),
        // A series: cost and output per episode (the totals above are the series').
        ...(s.groups
          ? {
              episodes: Object.fromEntries(
                Object.entries(s.groups).map(([name, g]) => [name, { cost: { estimated: g.estimated, spent: g.spent, saved: g.saved }, output: g.output ?? null }]),
              ),
            }
          : {}),
      };
    }
  }
}

export function jsonReporter(out: Sink): Reporter {
  return {
    event: (e) => out.write(`${JSON.stringify(jsonEvent(e))}\n`),
    close: () => undefined,
  };
}

/**
 * `plan --json`: one line per step (typed reasons and their sentence), one per
 * scene with its shots (`event: "plan-scene"`, when the caller has the
 * layout), then the totals.
 */
export function writePlanJson(plan: Plan, out: Sink, scenes: readonly PlannedSceneView[] = []): void {
  for (const s of plan.steps) {
    out.write(
      `${JSON.stringify({
        event: "plan",
        id: s.id,
        action: s.action,
        reason: s.action === "cached" ? "cached" : describeReasons(s.reasons),
        reasons: s.reasons,
        key: s.key ?? null,
        ...(s.source ? { source: s.source } : {}),
        estimate: s.estimate,
        ...(s.unpriced !== undefined ? { price: "unknown", how: s.unpriced } : {}),
        saved: s.savedCost,
        ...(s.refused !== undefined ? { state: "failed", refused: s.refused } : {}),
      })}\n`,
    );
  }
  for (const scene of scenes) out.write(`${JSON.stringify(planSceneJson(scene))}\n`);
  out.write(
    `${JSON.stringify({
      event: "plan-summary",
      steps: { total: plan.steps.length, run: plan.run, cached: plan.cached, remote: plan.steps.filter((s) => s.source === "remote").length },
      cost: { estimated: plan.estimate, saved: plan.saved },
      ...(Object.keys(plan.groups).length > 0
        ? { episodes: Object.fromEntries(Object.entries(plan.groups).map(([name, g]) => [name, { cost: { estimated: g.estimated, saved: g.saved } }])) }
        : {}),
    })}\n`,
  );
}

/** A scene's shots as `plan --json` prints them: ids, sizes, clip lengths, prices. */
export function planSceneJson(scene: PlannedSceneView): Record<string, unknown> {
  return {
    event: "plan-scene",
    id: scene.prefix,
    scene: scene.scene,
    ...(scene.episode !== undefined ? { episode: scene.episode } : {}),
    format_one: scene.formatOne,
    transition: scene.transition,
    seconds: scene.seconds,
    shots: scene.shots.map((s) => ({
      id: s.id,
      index: s.index,
      size: s.size,
      on: s.on,
      seconds: s.seconds,
      transition: s.transition,
      estimate: s.estimate,
      run: s.run,
      ...(s.unpriced ? { unpriced: s.unpriced } : {}),
      steps: s.steps,
    })),
    ...(scene.notices.length > 0 ? { notices: scene.notices } : {}),
  };
}

/**
 * One problem in a project file as one JSON line: the stable shape of
 * `validate --json` and of `build --json` (and plan, watch) on an invalid
 * project, documented in the README. `event` is the severity; `file` is shown
 * as the caller wants it (the CLI: relative to where the command ran).
 */
export function diagnosticJson(d: Diagnostic, showFile: (file: string) => string): Record<string, unknown> {
  return {
    event: d.severity,
    file: showFile(d.file),
    line: d.line,
    col: d.col,
    length: d.length,
    code: d.code,
    message: d.message,
    ...(d.allowed === undefined ? {} : { allowed: d.allowed }),
  };
}
