import { defineCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../command.js";
import { GRAPH_FLAGS, JSON_FLAG, PROJECT_ARG, TARGET_FLAG } from "../flags.js";
import { projectTarget, usageError } from "../options.js";
import { checkTargets, loadGraph } from "../graph-loading.js";
import { usd } from "../../engine/money.js";

/** How a step differs from drama.lock, git-status style. */
type State = "new" | "modified" | "unlocked" | "removed" | "failed";
interface Row {
  readonly id: string;
  readonly state: State;
  readonly reason: string;
}

const command = defineCommand({
  name: "status",
  summary: "stale steps against drama.lock, git-status style",
  details:
    'With --json: one {"event":"status","id","state":"new"|"modified"|"unlocked"|"removed","reason"} line per differing step,\nthen {"event":"status-summary","steps","stale","estimated"}.',
  args: [PROJECT_ARG],
  flags: {
    ...GRAPH_FLAGS,
    ...JSON_FLAG,
    ...TARGET_FLAG,
    queue: { value: "URL", description: "instead: the jobs on a build queue (redis://host:6379): waiting, running and failed, per worker" },
    "exit-code": { description: "exit with 1 when any step is stale (like make -q and git diff --exit-code)" },
  },
  async run(input): Promise<number> {
    if (input.flags.queue !== undefined) return queueStatus(input.flags.queue, input.flags.json);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const v = input.flags;
    const graph = await loadGraph(where.value.target, { offline: v.offline, spends: false, json: v.json });
    if (!graph) return EXIT_USAGE;
    const targets = v.target;
    const unknown = await checkTargets("status", graph, targets);
    if (unknown !== undefined) return unknown;
    const engine = await import("../../engine/index.js");
    const [plan, lock] = await Promise.all([engine.computePlan(graph, { targets }), engine.readLockfile(engine.layout(graph.root).lockfile)]);
    if (!plan.ok) {
      process.stderr.write(`dramake status: ${engine.describeFailure(plan.error)}\n`);
      return EXIT_USAGE;
    }
    const rows: Row[] = [];
    for (const s of plan.value.steps) {
      const entry = lock.get(s.id);
      // Refused by the provider with these very inputs: a build will not send it again, so it is failed, not pending.
      if (s.refused !== undefined) rows.push({ id: s.id, state: "failed", reason: `refused by the provider: ${s.refused} (not sent again until its inputs change; 'dramake build --retry-failed' sends it)` });
      else if (!entry) rows.push({ id: s.id, state: "new", reason: "not in drama.lock" });
      else if (s.action === "run") rows.push({ id: s.id, state: "modified", reason: engine.describeReasons(s.reasons) });
      else if (s.key !== entry.key) {
        const chosen = (s.take ?? 1) !== (entry.take ?? 1);
        rows.push({ id: s.id, state: "unlocked", reason: chosen ? `take ${s.take ?? 1} chosen, restored from the cache` : "cached, but drama.lock names another result" });
      }
    }
    // Removed: in the lockfile, gone from the project (with --target, only those under a target).
    const ids = new Set(graph.steps.map((s) => s.id));
    const under = (id: string) => targets.length === 0 || targets.some((t) => engine.matchSteps([id], t).length > 0);
    for (const id of [...lock.keys()].sort()) if (!ids.has(id) && under(id)) rows.push({ id, state: "removed", reason: "in drama.lock, no longer a step" });
    const total = plan.value.steps.length;
    if (v.json) {
      for (const r of rows) process.stdout.write(`${JSON.stringify({ event: "status", ...r })}\n`);
      process.stdout.write(`${JSON.stringify({ event: "status-summary", steps: total, stale: rows.length, estimated: plan.value.estimate })}\n`);
    } else if (!input.quiet) {
      process.stdout.write(await formatRows(rows, total, plan.value.estimate));
      // A multi-shot scene as a target (`status -t scene/the-call`): which of its shots are stale.
      if (graph.layout && targets.length > 0) {
        const [{ plannedScenes, scenesNamed }, { colorFor, formatSceneShots }] = await Promise.all([import("../../report/plan-shots.js"), import("../../report/terminal.js")]);
        const scenes = plannedScenes(graph.layout, plan.value);
        for (const target of targets) for (const scene of scenesNamed(scenes, target)) process.stdout.write(formatSceneShots(scene, { color: colorFor(process.stdout) }));
      }
    }
    return rows.length > 0 && v["exit-code"] ? EXIT_FAILED : EXIT_OK;
  },
});

/** `status --queue`: what the queue holds, per worker; Redis unreachable is exit 2 naming the URL (password hidden). */
async function queueStatus(url: string, json: boolean): Promise<number> {
  const { queueStatus: read } = await import("../../engine/execute/queue/status.js");
  const r = await read({ url });
  if (!r.ok) {
    process.stderr.write(`dramake status: ${r.error.message}\n`);
    return EXIT_USAGE;
  }
  const q = r.value;
  if (json) {
    for (const [worker, w] of Object.entries(q.workers)) {
      process.stdout.write(`${JSON.stringify({ event: "queue-worker", worker, connected: w.connected, running: w.active.map((j) => j.id), failed: w.failed.map((j) => ({ id: j.id, reason: j.reason })) })}\n`);
    }
    process.stdout.write(`${JSON.stringify({ event: "queue-summary", waiting: q.waiting.map((j) => j.id), queues: q.queues.map((x) => ({ name: x.name, waiting: x.waiting.length, running: x.active.length, failed: x.failed.length })) })}\n`);
    return EXIT_OK;
  }
  const lines = [`${q.waiting.length} job(s) waiting for a worker${q.waiting.length ? `: ${q.waiting.map((j) => j.id).join(", ")}` : ""}`];
  for (const [worker, w] of Object.entries(q.workers).sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`${worker}${w.connected ? "" : " (not connected)"}: ${w.active.length} running${w.active.length ? ` (${w.active.map((j) => j.id).join(", ")})` : ""}, ${w.failed.length} failed`);
    for (const f of w.failed) lines.push(`\tfailed: ${f.id}: ${f.reason ?? "unknown"}`);
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT_OK;
}

async function formatRows(rows: readonly Row[], total: number, estimate: number): Promise<string> {
  if (rows.length === 0) return `nothing stale: drama.lock matches all ${total} steps\n`;
  const [{ default: kleur }, { colorFor }] = await Promise.all([import("kleur"), import("../../report/terminal.js")]);
  kleur.enabled = colorFor(process.stdout);
  const paint: Record<State, (s: string) => string> = { new: kleur.green, modified: kleur.red, unlocked: kleur.yellow, removed: kleur.red, failed: kleur.red };
  const lines = rows.map((r) => {
    const head = paint[r.state](`\t${`${r.state}:`.padEnd(11)}${r.id}`);
    return r.state === "modified" || r.state === "unlocked" || r.state === "failed" ? `${head}  ${kleur.dim(r.reason)}` : head;
  });
  return (
    `${rows.length} of ${total} steps differ from drama.lock:\n  (run 'dramake build' to bring them up to date, 'dramake explain <step>' for details)\n\n${lines.join("\n")}\n\n` +
    `estimated cost to rebuild ${usd(estimate)}\n`
  );
}
export default command;
