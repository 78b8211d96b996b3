/**
 * What the storyboard's take buttons do, for `preview` and `watch --serve`:
 * the same choice `dramake retake` makes (graph/retake.ts: the step checked,
 * `take:` written in place, a new take priced first and refused over
 * budget), one at a time.
 *
 * Under `watch` the edit is all: the watcher sees the project file change
 * and rebuilds, and the rebuilt page reloads. Under plain `preview` nothing
 * else would build, and a director who clicked "use this take" expects to see
 * it used: the desk builds then and there (restoring a take already made
 * costs nothing; a new take costs what it was priced at), prints the build as
 * `dramake build` does, and reloads the page when the storyboard is written.
 */
import { relative, sep } from "node:path";
import type { TakeChosen, TakeRefusal } from "../graph/retake.js";
import type { DeskRefusal, TakeDesk, TakeDone } from "../report/preview/take-posts.js";
import { err, ok, type Result } from "../result.js";
import { codeStamp } from "./graph-loading.js";
import { shownProjectPath } from "./paths.js";

export interface DeskSettings {
  /** The project (dir or drama.yaml) and its directory. */
  readonly target: string;
  readonly root: string;
  readonly offline: boolean;
  /** `--budget`, instead of the project's. */
  readonly budget?: number;
  /** True under `preview`: build after the edit. False under `watch`, which rebuilds on the edit itself. */
  readonly build: boolean;
  /** After a build the desk ran has written the storyboard. */
  readonly built?: () => void;
}

export function takeDesk(s: DeskSettings): TakeDesk {
  let busy: string | undefined;
  const options = { offline: s.offline, ...(s.budget !== undefined ? { budget: s.budget } : {}) };

  const once = async (what: string, choose: () => Promise<Result<TakeChosen, TakeRefusal>>): Promise<Result<TakeDone, DeskRefusal>> => {
    if (busy !== undefined) return err({ kind: "busy", message: `${busy} is still under way; try again when it is done` });
    busy = what;
    let building = false;
    try {
      const chosen = await choose();
      if (!chosen.ok) return chosen;
      const { id, take, file, estimate, graph } = chosen.value;
      const where = relative(s.root, file).split(sep).join("/");
      const cost = estimate > 0 ? ` (estimated $${estimate.toFixed(2)})` : "";
      process.stderr.write(`take ${take} of ${id} chosen in ${shownProjectPath(s.root, file)}\n`);
      if (s.build) {
        building = true;
        buildNow(graph)
          .catch((e: unknown) => process.stderr.write(`dramake preview: the build stopped: ${e instanceof Error ? e.message : String(e)}\n`))
          .finally(() => (busy = undefined));
      }
      const next = s.build ? `building${cost}; the page reloads when it is done` : `watch rebuilds${cost}; the page reloads when it is done`;
      return ok({ step: id, take, file: where, estimate, building: s.build, message: `take ${take} of ${id} chosen in ${where}; ${next}` });
    } finally {
      if (!building) busy = undefined;
    }
  };

  const buildNow = async (graph: TakeChosen["graph"]): Promise<void> => {
    const [{ runBuild }, { terminalReporter }, { describeFailure }] = await Promise.all([
      import("./build-run.js"),
      import("../report/terminal.js"),
      import("../engine/failures.js"),
    ]);
    const reporter = terminalReporter(process.stdout, { showPath: (p) => shownProjectPath(s.root, p) });
    const { result, storyboard } = await runBuild(graph, {
      budget: s.budget,
      onEvent: (e) => reporter.event(e),
      noop: { target: s.target, variant: s.offline ? "offline" : "default", stamp: codeStamp() },
    });
    reporter.close();
    if (!result.ok) process.stderr.write(`dramake preview: ${describeFailure(result.error)}\n`);
    if (storyboard !== undefined) s.built?.();
  };

  return {
    async use(step, take) {
      const { useTake } = await import("../graph/retake.js");
      return once(`choosing take ${take} of ${step}`, () => useTake(s.target, step, take, options));
    },
    async renew(step, confirmed) {
      const { newTake } = await import("../graph/retake.js");
      return once(`a new take of ${step}`, () => newTake(s.target, step, { ...options, confirmed }));
    },
  };
}
