/**
 * `dramake watch [dir] [--serve] [--port N] [--offline] [--json] [-j N] [--keep-going] [--budget USD]`:
 * build, then rebuild on every save of the project file, `.env` or a file
 * the project references (DESIGN §3, Watch).
 *
 * - Saves are debounced (src/cli/save-debounce.ts): a build starts
 *   DEBOUNCE_MS after the last save, and no sooner than MIN_GAP_MS after the
 *   previous build started, so a burst of saves within a second costs at
 *   most two builds. The project
 *   directory is watched recursively and events are filtered against the
 *   wanted files, so saves by rename (vim, VS Code), files deleted and
 *   recreated, and references that do not exist yet all arrive as events.
 * - dramake's own outputs (build/, .dramake/, drama.lock) never trigger a build.
 * - A save during a build aborts it: local steps stop at once, paid remote
 *   steps finish and are cached (the engine's rule); then the project is
 *   loaded again and the new plan runs.
 * - A save that makes the project invalid prints the diagnostics and keeps
 *   watching; build/ keeps the last good outputs. While the project is
 *   invalid, any file saved in the project retries (the fix may be a file
 *   the last good project did not reference yet).
 * - A step that failed is not retried on the next save unless its inputs
 *   changed: its key is remembered and the engine reports it failed without
 *   running it. Type `r` and Enter to retry every failed step.
 * - Ctrl-C (or SIGTERM) stops cleanly: the running build is aborted and
 *   waited for, the watcher and the preview server are closed, exit code 0.
 *   A second Ctrl-C quits at once with 130.
 *
 * With --json, stdout carries the build's JSON events plus
 * `{"event":"watch","state":…}` lines: serving, building (with the changed
 * files and the time since the save), aborting, invalid, idle, stopped; an
 * invalid save's problems come first as `{"event":"error",…}` lines, the
 * shape of `validate --json`.
 */
import { relative, resolve, sep } from "node:path";
import type { FSWatcher } from "chokidar";
import { defineCommand, EXIT_OK, EXIT_USAGE } from "../command.js";
import { BUILD_FLAGS, PROJECT_ARG } from "../flags.js";
import { numberFlag, portFlag, projectTarget, usageError } from "../options.js";
import { remoteCacheFrom } from "../remote-cache.js";
import type { RemoteCacheOptions } from "../../engine/cache/endpoint.js";
import { shownProjectPath } from "../paths.js";
import { codeStamp, printLoadFailure } from "../graph-loading.js";
import type { Reporter } from "../../report/reporter.js";
import type { EngineEvent } from "../../engine/events.js";
import type { KnownFailure } from "../../engine/build.js";
import type { Failure } from "../../engine/step-failure.js";
import type { PreviewServer } from "../../report/preview/index.js";
import { SaveDebounce } from "../save-debounce.js";

/** Paths (relative to the project, `/`-separated) dramake writes itself: never a reason to build. */
function ownOutput(rel: string): boolean {
  return rel === "drama.lock" || rel === "build" || rel.startsWith("build/") || rel === ".dramake" || rel.startsWith(".dramake/");
}

/** Not worth a look at all: version control, dependencies. */
function neverWatched(rel: string): boolean {
  return /(^|\/)(\.git|node_modules)(\/|$)/.test(rel);
}

/** Editor droppings (swap and backup files, vim's 4913 probe): not a save of anything. */
function editorScratch(rel: string): boolean {
  const base = rel.slice(rel.lastIndexOf("/") + 1);
  return (base.startsWith(".") && base !== ".env") || base.endsWith("~") || /\.sw[a-p]$/.test(base) || base === "4913";
}

interface Settings {
  readonly target: string;
  readonly root: string;
  readonly offline: boolean;
  readonly json: boolean;
  readonly keepGoing: boolean;
  readonly jobs: number | undefined;
  readonly budget: number | undefined;
  readonly verbose: boolean;
  readonly quiet: boolean;
  readonly remoteCache: RemoteCacheOptions | undefined;
  /** `--queue` / DRAMAKE_QUEUE: every build is a coordinator, as `build --queue` (cli/queue-build.ts). */
  readonly queueUrl: string | undefined;
}

type Trigger = "start" | "change" | "retry";

class WatchSession {
  private watcher: FSWatcher | undefined;
  /** Project-relative files whose saves rebuild: the last good project's, plus the project file and .env. */
  private wanted = new Set<string>();
  private invalid = false;
  private changed = new Set<string>();
  private readonly debounce = new SaveDebounce(() => this.schedule("change"));
  private busy: Promise<void> | undefined;
  private again: Trigger | undefined;
  private controller: AbortController | undefined;
  private stopping = false;
  /** Step key -> the message to report instead of running it again. */
  private readonly knownFailures = new Map<string, KnownFailure>();
  /** Steps the last build reported failed, for the idle line. */
  private failedLast = 0;
  private readonly projectFile: string;

  constructor(
    private readonly s: Settings,
    private readonly server: PreviewServer | undefined,
  ) {
    this.projectFile = s.target === s.root ? "drama.yaml" : this.rel(s.target);
    this.wanted = new Set([this.projectFile, ".env"]);
  }

  private rel(path: string): string {
    return relative(this.s.root, resolve(this.s.root, path)).split(sep).join("/");
  }

  /** One line for people (none when `text` is empty), or one JSON object for scripts. */
  private say(state: string, fields: Record<string, unknown>, text: string): void {
    if (this.s.json) process.stdout.write(`${JSON.stringify({ event: "watch", state, ...fields })}\n`);
    else if (text !== "") process.stdout.write(`watch: ${text}\n`);
  }

  async start(): Promise<void> {
    const { watch } = await import("chokidar");
    const root = this.s.root;
    this.watcher = watch(root, {
      ignoreInitial: true,
      // Saves by rename arrive as one change, not unlink + add.
      atomic: true,
      ignored: (path: string, stats) => {
        const rel = this.rel(path);
        if (rel === "") return false;
        if (ownOutput(rel) || neverWatched(rel)) return true;
        // Directories are walked (a reference may appear in a new folder); files only when wanted.
        return stats?.isFile() === true && !this.wanted.has(rel) && !this.invalid;
      },
    });
    const onEvent = (path: string): void => this.saved(this.rel(path));
    this.watcher.on("add", onEvent).on("change", onEvent).on("unlink", onEvent);
    this.watcher.on("error", (error: unknown) => this.say("error", { message: String(error) }, `watcher error: ${String(error)}`));
    await new Promise<void>((ready) => this.watcher!.once("ready", () => ready()));
    this.schedule("start");
  }

  private saved(rel: string): void {
    if (this.stopping || ownOutput(rel)) return;
    if (!this.wanted.has(rel) && !(this.invalid && !editorScratch(rel))) return;
    this.changed.add(rel);
    this.debounce.saved();
  }

  /** `r` + Enter: forget every remembered failure and build again. */
  retry(): void {
    this.knownFailures.clear();
    this.schedule("retry");
  }

  private schedule(trigger: Trigger): void {
    if (this.stopping) return;
    if (this.busy) {
      // One build at a time: stop this one (remote steps finish and are kept), then plan afresh.
      this.again = trigger;
      if (this.controller && !this.controller.signal.aborted) {
        this.say("aborting", { changed: [...this.changed] }, `${describeChanged([...this.changed], trigger)}; stopping the running build`);
        this.controller.abort();
      }
      return;
    }
    this.busy = this.cycle(trigger).finally(() => (this.busy = undefined));
  }

  private async cycle(first: Trigger): Promise<void> {
    let trigger: Trigger | undefined = first;
    while (trigger !== undefined && !this.stopping) {
      this.again = undefined;
      await this.buildOnce(trigger);
      trigger = this.again;
    }
    // After an invalid save the last line already says it is waiting for a fix.
    const failed = this.failedLast > 0 ? `; ${this.failedLast} failed step(s) wait for their inputs to change, r + Enter retries them` : "";
    if (!this.stopping) this.say("idle", {}, this.invalid ? "" : `waiting for changes${failed} (Ctrl-C stops)`);
  }

  private async buildOnce(trigger: Trigger): Promise<void> {
    const changed = [...this.changed].sort();
    this.changed.clear();
    const { loadBuildGraph } = await import("../../graph/load.js");
    const color = this.s.json ? false : (await import("../../report/terminal.js")).colorFor(process.stderr);
    // A coordinator needs no provider keys: its workers hold them.
    const loaded = await loadBuildGraph(this.s.target, { offline: this.s.offline, color, keysOptional: this.s.queueUrl !== undefined });
    if (!loaded.ok) {
      this.invalid = true;
      await printLoadFailure(this.s.target, loaded.error, { offline: this.s.offline, spends: true, json: this.s.json });
      this.say("invalid", { changed, message: loaded.error.message }, "the project is invalid (above); build/ keeps the last good outputs; watching for a fix");
      return;
    }
    const graph = loaded.value;
    this.invalid = false;
    await this.follow(graph.configFiles);
    if (this.stopping || this.again !== undefined) return;

    const sinceSave = this.debounce.building();
    const sinceChangeMs = trigger === "change" ? sinceSave : undefined;
    this.say(
      "building",
      { trigger, changed, ...(sinceChangeMs === undefined ? {} : { sinceChangeMs, debounceMs: this.debounce.quietMs }), at: Date.now() },
      trigger === "change" ? `${describeChanged(changed, trigger)}; building (${sinceChangeMs} ms after the save)` : trigger === "retry" ? "retrying failed steps" : "building",
    );
    const controller = new AbortController();
    this.controller = controller;
    const reporter = await this.reporter();
    const failed: { key: string; message: string; failure: Failure }[] = [];
    const { runBuild } = await import("../build-run.js");
    let queued: import("../queue-build.js").QueueBuild | undefined;
    if (this.s.queueUrl !== undefined) {
      // One coordinator per build: its payload checks are the graph's (its secrets, its root).
      const opened = await (await import("../queue-build.js")).openQueueBuild(graph, this.s.queueUrl, this.s.remoteCache, (message) => reporter.event({ type: "notice", message }), () => controller.abort());
      if (!opened.ok) {
        reporter.close();
        this.controller = undefined;
        process.stderr.write(`dramake watch: ${opened.error}\n`);
        this.say("error", { message: opened.error }, "the build could not start (above); the next save tries again");
        return;
      }
      queued = opened.value;
    }
    // Saving only an episode's own file rebuilds that episode (the rest of a series is left as it is).
    const { savedEpisodeTargets } = await import("../../graph/episode.js");
    const targets = trigger === "change" && graph.project ? savedEpisodeTargets(graph.project, changed) : [];
    const { result, storyboard } = await runBuild(graph, {
      targets,
      keepGoing: this.s.keepGoing,
      jobs: this.s.jobs,
      budget: this.s.budget,
      remoteCache: this.s.remoteCache,
      signal: controller.signal,
      knownFailures: this.knownFailures,
      noop: { target: this.s.target, variant: this.s.offline ? "offline" : "default", stamp: codeStamp() },
      onEvent: (e: EngineEvent) => {
        // A step failed because Redis went away is not a failure of its inputs: not remembered.
        if (e.type === "failed" && e.key !== undefined && e.failure.kind !== "queue-lost") failed.push({ key: e.key, message: e.message, failure: e.failure });
        reporter.event(e);
      },
      ...(queued ? { executor: queued.executor } : {}),
    }).finally(() => queued?.close());
    reporter.close();
    if (queued?.lost() && result.ok) {
      const { lostMessage } = await import("../queue-build.js");
      process.stderr.write(`dramake watch: ${lostMessage(queued.url, result.value.summary.ran)}; the next save tries again\n`);
    }
    this.controller = undefined;
    this.failedLast = failed.length;
    if (!result.ok) {
      // A refused build (over budget, locked, a bad graph): said as `dramake build` says it.
      const { describeFailure } = await import("../../engine/failures.js");
      const message = describeFailure(result.error);
      if (this.s.json) process.stdout.write(`${JSON.stringify({ event: "error", ...result.error, message })}\n`);
      process.stderr.write(`dramake watch: ${message}\n`);
    } else if (!result.value.summary.aborted) {
      // Failures of an aborted build may be the abort itself (a killed ffmpeg): only a full build's count.
      for (const f of failed) {
        if (!this.knownFailures.has(f.key)) {
          this.knownFailures.set(f.key, { message: `failed before with these inputs, not retried until they change (r + Enter retries): ${f.message}`, failure: f.failure });
        }
      }
    }
    if (storyboard !== undefined && this.server) this.server.notifyReload();
  }

  /** Watch the files the project now references; a new reference is added explicitly (it may have been ignored so far). */
  private async follow(configFiles: readonly string[]): Promise<void> {
    // chokidar's add() reopens a closed watcher: never after stop().
    if (this.stopping) return;
    const next = new Set([this.projectFile, ".env", ...configFiles.map((f) => this.rel(f))].filter((f) => !ownOutput(f)));
    const added = [...next].filter((f) => !this.wanted.has(f));
    this.wanted = next;
    if (added.length > 0) this.watcher?.add(added.map((f) => resolve(this.s.root, f)));
  }

  private async reporter(): Promise<Reporter> {
    if (this.s.json) return (await import("../../report/json.js")).jsonReporter(process.stdout);
    return (await import("../../report/terminal.js")).terminalReporter(process.stdout, {
      verbose: this.s.verbose,
      quiet: this.s.quiet,
      showPath: (p) => shownProjectPath(this.s.root, p),
    });
  }

  /** Stop watching, abort the build and wait for it (paid remote steps finish), close everything. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.debounce.cancel();
    this.controller?.abort();
    await this.watcher?.close();
    await this.busy;
    await this.server?.close();
    this.say("stopped", {}, "stopped");
  }
}

function describeChanged(changed: readonly string[], trigger: Trigger): string {
  if (trigger === "retry") return "retry asked";
  if (changed.length === 0) return "changed";
  return `${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ` and ${changed.length - 3} more` : ""} changed`;
}

const command = defineCommand({
  name: "watch",
  summary: "build, then rebuild on every save",
  details: "Type r and Enter to retry failed steps; Ctrl-C stops cleanly.",
  args: [PROJECT_ARG],
  flags: {
    ...BUILD_FLAGS,
    serve: { description: "also serve the storyboard page on 127.0.0.1 and reload it after every build" },
    port: { short: "p", value: "N", description: "the --serve port (default 4173; 0 picks a free one)" },
    queue: { value: "URL", description: "every build is a coordinator: steps go to `dramake worker`s through Redis (default: $DRAMAKE_QUEUE); needs --remote-cache" },
  },
  async run(input): Promise<number> {
    const v = input.flags;
    const jobs = numberFlag(v.jobs, "-j", { integer: true, min: 1 });
    if (!jobs.ok) return usageError(command, jobs.error.message);
    const budget = numberFlag(v.budget, "--budget");
    if (!budget.ok) return usageError(command, budget.error.message);
    const port = portFlag(v.port);
    if (!port.ok) return usageError(command, port.error.message);
    if (v.port !== undefined && !v.serve) return usageError(command, "--port is for --serve");
    const where = projectTarget(input.args[0]);
    if (!where.ok) return usageError(command, where.error.message);
    const remoteCache = remoteCacheFrom({ url: v["remote-cache"], mode: v["remote-cache-mode"] });
    if (!remoteCache.ok) return usageError(command, remoteCache.error.message);
    const json = v.json;
    const { queueUrlFrom } = await import("../queue-build.js");
    const queueUrl = queueUrlFrom(v.queue);
    if (queueUrl !== undefined) {
      // Said at once, as `build --queue` says it, rather than after the first save.
      if (!remoteCache.value || remoteCache.value.mode === "read") return usageError(command, "a queued build needs a remote cache it can write (--remote-cache URL or DRAMAKE_REMOTE_CACHE): workers fetch inputs and leave outputs there");
      const { openCoordinator } = await import("../../engine/execute/queue/coordinator.js");
      const probe = await openCoordinator({ url: queueUrl });
      if (!probe.ok) {
        process.stderr.write(`dramake watch: ${probe.error.message}\n`);
        return EXIT_USAGE;
      }
      await probe.value.close();
    }

    let server: PreviewServer | undefined;
    if (v.serve) {
      const preview = await import("../../report/preview/index.js");
      // The page's take buttons only edit the project file: this watch sees the save and rebuilds.
      const { takeDesk } = await import("../take-desk.js");
      const takes = takeDesk({ target: where.value.target, root: where.value.root, offline: v.offline, budget: budget.value, build: false });
      const started = await preview.startPreviewServer({
        buildDir: resolve(where.value.root, "build"),
        port: port.value ?? preview.DEFAULT_PREVIEW_PORT,
        host: "127.0.0.1",
        takes,
      });
      if (!started.ok) {
        process.stderr.write(`dramake watch: ${preview.describePreviewError(started.error)}\n`);
        return EXIT_USAGE;
      }
      server = started.value;
      if (json) process.stdout.write(`${JSON.stringify({ event: "watch", state: "serving", url: server.url })}\n`);
      else process.stdout.write(`storyboard: ${server.url}\n`);
    }

    const session = new WatchSession(
      {
        target: where.value.target,
        root: where.value.root,
        offline: v.offline,
        json,
        keepGoing: v["keep-going"],
        jobs: jobs.value,
        budget: budget.value,
        verbose: input.verbose,
        quiet: input.quiet,
        remoteCache: remoteCache.value,
        queueUrl,
      },
      server,
    );

    const { createInterface } = await import("node:readline");
    const keys = createInterface({ input: process.stdin, terminal: false });
    keys.on("line", (line) => {
      if (line.trim().toLowerCase() === "r") session.retry();
    });

    let stopping: Promise<void> | undefined;
    const stopped = new Promise<void>((done) => {
      const onSignal = (): void => {
        if (stopping) process.exit(130);
        stopping = session.stop().then(done);
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
    });
    await session.start();
    await stopped;
    keys.close();
    process.stdin.destroy();
    return EXIT_OK;
  },
});

export default command;
