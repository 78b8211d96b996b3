import { defineCommand, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "../command.js";
import { BUILD_FLAGS, FORCE_FLAG, NO_WAIT_FLAG, PROJECT_ARG, TARGET_FLAG } from "../flags.js";
import { numberFlag, projectTarget, usageError } from "../options.js";
import { shownProjectPath } from "../paths.js";
import { checkTargets, codeStamp, loadGraph } from "../graph-loading.js";
import { remoteCacheFrom } from "../remote-cache.js";
import type { Reporter } from "../../report/reporter.js";
import type { BuildFailure } from "../../engine/build.js";

const command = defineCommand({
  name: "build",
  summary: "build everything out of date",
  details: "A no-op build decides from file stats alone. With --dry-run (-n) it is 'dramake plan': runs nothing.",
  args: [PROJECT_ARG],
  flags: {
    ...BUILD_FLAGS,
    ...FORCE_FLAG,
    ...TARGET_FLAG,
    ...NO_WAIT_FLAG,
    queue: { value: "URL", description: "be a coordinator: hand steps to `dramake worker`s through Redis (redis://host:6379; default: $DRAMAKE_QUEUE); needs --remote-cache" },
    "dry-run": { short: "n", description: "show what would run, why, and the cost; run nothing (same as 'dramake plan')" },
    "retry-failed": { description: "send again the requests a provider refused before (content policy); without it they stay failed until their inputs change" },
  },
  async run(input): Promise<number> {
    const v = input.flags;
    if (v["dry-run"]) {
      const plan = (await import("./plan.js")).default;
      return plan.run({ ...input, flags: { json: v.json, offline: v.offline, force: v.force, target: v.target, all: false, "remote-cache": v["remote-cache"], "remote-cache-mode": v["remote-cache-mode"] } });
    }
    const budget = numberFlag(v.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const jobs = numberFlag(v.jobs, "-j", { integer: true, min: 1 });
    if (!jobs.ok) return usageError(command, jobs.error.message);
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const remoteCache = remoteCacheFrom({ url: v["remote-cache"], mode: v["remote-cache-mode"] });
    if (!remoteCache.ok) return usageError(command, remoteCache.error.message);
    const { queueUrlFrom } = await import("../queue-build.js");
    const queueUrl = queueUrlFrom(v.queue);
    const force = v.force;
    const offline = v.offline;
    const root = where.value.root;

    const reporter: Reporter =
      v.json
        ? (await import("../../report/json.js")).jsonReporter(process.stdout)
        : (await import("../../report/terminal.js")).terminalReporter(process.stdout, {
            verbose: input.verbose,
            quiet: input.quiet,
            showPath: (p) => shownProjectPath(root, p),
          });
    const identity = { target: where.value.target, variant: offline ? "offline" : "default", stamp: codeStamp() };

    // The no-op fast path: stat calls only, no graph code, no hashing (nor the page renderer: a missing storyboard takes the full path).
    // A targeted build takes the full path: its targets must be checked against the graph.
    const { hasStoryboard, runBuild } = await import("../build-run.js");
    if (force.length === 0 && v.target.length === 0 && queueUrl === undefined && hasStoryboard(root)) {
      const started = performance.now();
      const { checkNoop } = await import("../../engine/noop-check.js");
      const hit = await checkNoop(root, identity);
      // JSON (and --verbose) list every step; otherwise only the totals are needed.
      const steps = hit && (v.json || input.verbose) ? hit.steps() : [];
      if (hit && steps) {
        for (const [id, saved] of steps) reporter.event({ type: "cached", id, saved });
        reporter.event({
          type: "summary",
          summary: {
            total: hit.total,
            ran: 0,
            cached: hit.total,
            failed: 0,
            skipped: 0,
            estimated: 0,
            spent: 0,
            saved: hit.saved,
            output: hit.output,
            ms: Math.round(performance.now() - started),
            aborted: false,
          },
        });
        reporter.close();
        return EXIT_OK;
      }
    }

    const graph = await loadGraph(where.value.target, { offline, spends: true, json: v.json, keysOnWorkers: queueUrl !== undefined });
    if (!graph) return EXIT_USAGE;
    const unknown = await checkTargets("build", graph, v.target);
    if (unknown !== undefined) return unknown;
    const engine = await import("../../engine/index.js");
    let queued: import("../queue-build.js").QueueBuild | undefined;
    // First Ctrl-C stops cleanly (paid remote steps finish and are kept); a second one quits. A lost queue stops it too.
    const stop = new AbortController();
    if (queueUrl !== undefined) {
      const opened = await (await import("../queue-build.js")).openQueueBuild(graph, queueUrl, remoteCache.value, (message) => reporter.event({ type: "notice", message }), () => stop.abort());
      if (!opened.ok) {
        reporter.close();
        process.stderr.write(`dramake build: ${opened.error}\n`);
        return EXIT_USAGE;
      }
      queued = opened.value;
    }
    const onSigint = () => {
      if (stop.signal.aborted) process.exit(130);
      stop.abort();
    };
    process.on("SIGINT", onSigint);
    try {
      const { result } = await runBuild(graph, {
        keepGoing: v["keep-going"],
        retryFailed: v["retry-failed"],
        jobs: jobs.value,
        budget: budget.value,
        force,
        targets: v.target,
        noWait: v["no-wait"],
        signal: stop.signal,
        onEvent: (e) => reporter.event(e),
        noop: identity,
        remoteCache: remoteCache.value,
        ...(queued ? { executor: queued.executor } : {}),
      });
      reporter.close();
      if (!result.ok) {
        const message = engine.describeFailure(result.error);
        // Scripts reading --json learn why nothing ran without parsing stderr.
        if (v.json) process.stdout.write(`${JSON.stringify({ event: "error", ...result.error, message })}\n`);
        process.stderr.write(`dramake build: ${message}\n`);
        return exitFor(result.error);
      }
      const s = result.value.summary;
      if (queued?.lost()) process.stderr.write(`dramake build: ${(await import("../queue-build.js")).lostMessage(queued.url, s.ran)}\n`);
      return s.failed > 0 || s.aborted ? EXIT_FAILED : EXIT_OK;
    } finally {
      await queued?.close();
      process.off("SIGINT", onSigint);
    }
  },
});

/** A broken graph or an unknown --force target is the user's input; a budget or lock refusal is a build that did not happen. */
function exitFor(f: BuildFailure): number {
  switch (f.kind) {
    case "duplicate-step":
    case "unknown-input":
    case "cycle":
    case "unknown-force":
    case "unknown-target":
    case "bad-output-path":
    case "bad-remote-cache":
      return EXIT_USAGE;
    case "over-budget":
    case "unpriced":
    case "locked":
      return EXIT_FAILED;
  }
}

export default command;
