/**
 * Human output. On a TTY: finished steps scroll above a live block with one
 * line per running step and a counts/cost line, redrawn in place. In a pipe:
 * plain lines, one per step that ran, failed or was skipped (cached steps only
 * count, or a no-op of 10,000 steps would print 10,000 lines). NO_COLOR,
 * TERM=dumb and pipes get no colour.
 */
import kleur from "kleur";
import type { BuildSummary, EngineEvent } from "../engine/events.js";
import type { Plan, PlanStep } from "../engine/plan.js";
import { describeReason, describeReasons } from "../engine/reasons.js";
import { sum, usd } from "../engine/money.js";
import type { Reporter, Sink } from "./reporter.js";
import { fitColumns } from "./terminal-width.js";
import type { PlannedSceneView } from "./plan-shots.js";

export function colorFor(out: Sink, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  return Boolean(out.isTTY) && env.TERM !== "dumb";
}

type Paint = (s: string) => string;
interface Palette {
  ok: Paint;
  bad: Paint;
  dim: Paint;
  warn: Paint;
  bold: Paint;
}
function palette(color: boolean): Palette {
  const k = kleur;
  k.enabled = color;
  return { ok: (s) => k.green(s), bad: (s) => k.red(s), dim: (s) => k.dim(s), warn: (s) => k.yellow(s), bold: (s) => k.bold(s) };
}

const secs = (ms: number): string => (ms < 1000 ? `${ms}ms` : `${(ms / 1000).toFixed(1)}s`);

export function summaryLine(s: BuildSummary, p: Palette = palette(false), showPath: (projectRelative: string) => string = (x) => x): string {
  const parts = [`${s.total} steps`, `${s.ran} ran`, `${s.cached} cached${s.remote?.hits ? ` (${s.remote.hits} from the remote cache)` : ""}`];
  if (s.failed) parts.push(p.bad(`${s.failed} failed`));
  if (s.skipped) parts.push(p.warn(`${s.skipped} skipped`));
  const money = `spent ${usd(s.spent)}, saved ${usd(s.saved)}`;
  const head = s.failed || s.aborted ? p.bad(s.aborted ? "stopped" : "failed") : s.ran === 0 ? p.ok("up to date") : p.ok("built");
  const out = s.output && !s.failed ? ` -> ${showPath(s.output)}` : "";
  const episodes = groupLines(s.groups, (g) => `spent ${usd(g.spent)}, saved ${usd(g.saved)}${g.output ? ` -> ${showPath(g.output)}` : ""}`);
  const shared = sharedLine(s.groups, (gs) => `spent ${usd(rest(s.spent, gs.map((g) => g.spent)))}, saved ${usd(rest(s.saved, gs.map((g) => g.saved)))}`);
  return `${head}: ${parts.join(", ")}; ${money} (${secs(s.ms)})${out}\n${episodes}${shared}`;
}

/** One indented line per episode of a series (step groups), under the totals. */
function groupLines<G>(groups: Readonly<Record<string, G>> | undefined, describe: (g: G) => string): string {
  return Object.entries(groups ?? {})
    .map(([name, g]) => `  episode ${name}: ${describe(g)}\n`)
    .join("");
}

/** The total less the episodes' own amounts: what steps every episode shares cost (in micro-dollars, so the lines add up exactly). */
const rest = (total: number, parts: readonly number[]): number => Math.max(0, sum([total, ...parts.map((x) => -x)]));

/**
 * The series' own line under its episodes: portraits and the series' music
 * belong to no one episode, so without it the episodes' costs did not add up
 * to the total ($1.79 of $2.03).
 */
function sharedLine<G>(groups: Readonly<Record<string, G>> | undefined, describe: (gs: G[]) => string): string {
  const gs = Object.values(groups ?? {});
  return gs.length ? `  series (shared: portraits, music): ${describe(gs)}\n` : "";
}

export interface TerminalOptions {
  readonly color?: boolean;
  /** Show cached steps too (plain lines). */
  readonly verbose?: boolean;
  /** Only what went wrong: failed steps and notices; no progress, no summary. */
  readonly quiet?: boolean;
  /** A project-relative path (the summary's output) as the reader should see it, e.g. relative to their cwd. */
  readonly showPath?: (projectRelative: string) => string;
}

export function terminalReporter(out: Sink, options: TerminalOptions = {}): Reporter {
  const p = palette(options.color ?? colorFor(out));
  const quiet = options.quiet === true;
  const live = Boolean(out.isTTY) && !quiet;
  const running = new Map<string, { since: number; note: string }>();
  let done = 0;
  let cached = 0;
  let failed = 0;
  let spent = 0;
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;

  const width = () => Math.max(40, (out.columns || 100) - 1);
  const fit = (s: string) => fitColumns(s, width());
  const erase = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[0J`);
    drawn = 0;
  };
  const draw = () => {
    if (!live) return;
    // Drawn now (a permanent line redraws at once): a redraw still pending would fire after
    // summary/close, which only clear a timer they can see, and leave a stray block behind.
    clearTimeout(timer);
    timer = undefined;
    erase();
    const now = Date.now();
    const lines = [...running].map(([id, r]) => p.dim(fit(`  … ${id} ${secs(now - r.since)}${r.note ? ` ${r.note}` : ""}`)));
    lines.push(fit(`  [${done} ran, ${cached} cached${failed ? `, ${failed} failed` : ""}, ${running.size} running] spent ${usd(spent)}`));
    out.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  const soon = () => {
    if (live && !timer) timer = setTimeout(draw, 80).unref();
  };
  /** A permanent line: above the live block on a TTY, plainly in a pipe. */
  const line = (text: string) => {
    if (live) erase();
    out.write(`${text}\n`);
    if (live) draw();
  };

  return {
    event(e: EngineEvent) {
      switch (e.type) {
        case "started":
          running.set(e.id, { since: Date.now(), note: "" });
          if (quiet) return;
          if (!live) out.write(`${p.dim("run")}   ${e.id}: ${describeReasons(e.reasons)}\n`);
          else draw();
          return;
        case "progress": {
          const r = running.get(e.id);
          if (r) r.note = `${Math.round(e.fraction * 100)}%${e.message ? ` ${e.message}` : ""}`;
          soon();
          return;
        }
        case "cached":
          cached++;
          // A download from the remote cache is news (it is what another machine paid for); a local hit is not.
          if (!quiet && (options.verbose || e.source === "remote")) line(`${p.dim(e.source === "remote" ? "remote" : "cached")} ${e.id}`);
          else soon();
          return;
        case "finished":
          running.delete(e.id);
          done++;
          spent += e.cost;
          if (!quiet) line(`${p.ok("done")}  ${e.id} ${p.dim(`(${secs(e.ms)}${e.cost ? `, ${usd(e.cost)}` : ""})`)}`);
          return;
        case "failed":
          running.delete(e.id);
          failed++;
          spent += e.cost;
          line(`${p.bad("FAIL")}  ${e.id}: ${e.message}`);
          return;
        case "skipped":
          running.delete(e.id);
          line(`${p.warn("skip")}  ${e.id}: ${e.why}`);
          return;
        case "notice":
          line(`${p.warn("note")}  ${e.id ? `${e.id}: ` : ""}${e.message}`);
          return;
        case "summary":
          if (timer) clearTimeout(timer);
          if (live) erase();
          running.clear();
          if (!quiet) out.write(summaryLine(e.summary, p, options.showPath));
          return;
      }
    },
    close() {
      if (timer) clearTimeout(timer);
      if (live) erase();
    },
  };
}

function planLine(s: PlanStep, p: Palette): string {
  if (s.action === "cached") return s.source === "remote" ? `  ${p.ok("remote: cached")} ${s.id}` : `  ${p.dim("cached")} ${s.id}`;
  if (s.refused !== undefined) {
    return `  ${p.bad("failed")} ${s.id}\n         ${p.dim(`refused by the provider: ${s.refused}`)}\n         ${p.dim("not sent again until its inputs change; 'dramake build --retry-failed' sends it")}`;
  }
  const cost = s.unpriced !== undefined ? ` ${p.warn("price unknown")}` : s.estimate ? ` ${p.dim(usd(s.estimate))}` : "";
  return `  ${p.warn("run")}    ${s.id}${cost}\n${s.reasons.map((r) => `         ${p.dim(describeReason(r))}`).join("\n")}`;
}

/** The plan for people: the steps that would run, the scenes' shots (when given), the totals last. */
export function formatPlan(plan: Plan, options: TerminalOptions = {}, scenes: readonly PlannedSceneView[] = []): string {
  const p = palette(options.color ?? false);
  // Remote hits are shown too: they cost nothing, but the build will download them.
  const shown = plan.steps.filter((s) => options.verbose || s.action === "run" || s.source === "remote");
  const lines = shown.map((s) => planLine(s, p));
  const shots = formatPlanShots(scenes, options);
  if (shots) lines.push(shots.trimEnd());
  const remote = plan.steps.filter((s) => s.source === "remote").length;
  const unpriced = plan.steps.filter((s) => s.unpriced !== undefined);
  lines.push(
    `${plan.run} to run, ${plan.cached} cached${remote ? ` (${remote} on the remote cache)` : ""}; estimated cost ${usd(plan.estimate)}` +
      (unpriced.length ? ` + ${unpriced.length} at a price unknown (${unpriced[0]!.unpriced})` : "") +
      `, saved ${usd(plan.saved)}` +
      (plan.run === 0 ? ` ${p.ok("(up to date)")}` : ""),
  );
  const episodes = groupLines(plan.groups, (g) => `estimated cost ${usd(g.estimated)}, saved ${usd(g.saved)}`);
  const shared = sharedLine(plan.groups, (gs) => `estimated cost ${usd(rest(plan.estimate, gs.map((g) => g.estimated)))}, saved ${usd(rest(plan.saved, gs.map((g) => g.saved)))}`);
  return `${lines.join("\n")}\n${episodes}${shared}`;
}

/**
 * `plan`'s shots: each multi-shot scene's shots (id, size, clip length, what
 * would run and its price), then the planner's notices. A format-1 scene is
 * one clip as before shots and is not listed. Empty when there is nothing to say.
 */
export function formatPlanShots(scenes: readonly PlannedSceneView[], options: TerminalOptions = {}): string {
  const p = palette(options.color ?? false);
  const rows: string[] = [];
  for (const scene of scenes.filter((s) => !s.formatOne)) {
    const into = scene.transition !== "cut" ? `, into it: ${scene.transition}` : "";
    rows.push(`  ${p.bold(scene.prefix)} ${p.dim(`${scene.shots.length} shot${scene.shots.length === 1 ? "" : "s"}, ${scene.seconds} s${into}`)}`);
    const idWidth = Math.max(...scene.shots.map((s) => s.id.length));
    const sizeWidth = Math.max(...scene.shots.map((s) => s.size.length));
    for (const s of scene.shots) {
      const price = s.run === 0 ? p.dim("cached") : s.unpriced ? p.warn("price unknown") : usd(s.estimate);
      const tr = s.index > 1 && s.transition !== "cut" ? p.dim(` (${s.transition})`) : "";
      const on = s.on.length ? p.dim(` on ${s.on.join(", ")}`) : "";
      rows.push(`    ${s.id.padEnd(idWidth)}  ${s.size.padEnd(sizeWidth)}  ${`${s.seconds} s`.padStart(5)}  ${price}${on}${tr}`);
    }
  }
  const notes = groupNotices(scenes).map((n) => `${p.warn("note")}  ${n}`);
  return `${rows.length ? `shots:\n${rows.join("\n")}\n` : ""}${notes.map((n) => `${n}\n`).join("")}`;
}

/**
 * The planner says the same thing of every scene whose model's lengths are
 * unknown (`scene <id>: …`): one line names them all, so an offline plan of
 * forty scenes has one note, not forty. A notice of another form is shown as it is.
 */
function groupNotices(scenes: readonly PlannedSceneView[]): string[] {
  const byText = new Map<string, string[]>();
  const single: string[] = [];
  for (const s of scenes) {
    for (const notice of s.notices) {
      const head = `scene ${s.scene}: `;
      if (!notice.startsWith(head)) {
        single.push(notice);
        continue;
      }
      const rest = notice.slice(head.length);
      byText.set(rest, [...(byText.get(rest) ?? []), s.scene]);
    }
  }
  const grouped = [...byText].map(([rest, ids]) => `${ids.length === 1 ? "scene" : "scenes"} ${ids.join(", ")}: ${rest}`);
  return [...grouped, ...single];
}

/**
 * One multi-shot scene's shots for `explain` and `status`: each shot's size,
 * clip length, and which of its steps would run (and their price) or cached.
 */
export function formatSceneShots(scene: PlannedSceneView, options: TerminalOptions = {}): string {
  const p = palette(options.color ?? false);
  const idWidth = Math.max(...scene.shots.map((s) => s.id.length));
  const sizeWidth = Math.max(...scene.shots.map((s) => s.size.length));
  const rows = scene.shots.map((s) => {
    const price = s.unpriced ? "price unknown" : usd(s.estimate);
    const what = s.run === 0 ? p.dim("cached") : `${p.warn("would run")}: ${s.running.map((id) => id.split("/").pop()).join(", ")} ${p.dim(`(${price})`)}`;
    return `  ${s.id.padEnd(idWidth)}  ${s.size.padEnd(sizeWidth)}  ${`${s.seconds} s`.padStart(5)}  ${what}`;
  });
  const stale = scene.shots.filter((s) => s.run > 0).length;
  return `${p.bold(`Shots of ${scene.prefix}`)} ${p.dim(`(${scene.shots.length} shots, ${scene.seconds} s, ${stale} to run)`)}\n${rows.join("\n")}\n`;
}

export function formatExplain(s: PlanStep, options: TerminalOptions = {}): string {
  const p = palette(options.color ?? false);
  const head = `${p.bold(s.id)}${s.take !== undefined && s.take > 1 ? ` take ${s.take}` : ""}${s.key ? p.dim(` key ${s.key}`) : ""}`;
  if (s.action === "cached") {
    const where = s.source === "remote" ? `${p.ok("remote: cached")}: the remote cache has this result` : `${p.ok("cached")}: nothing changed since it last ran`;
    return `${head}\n  ${where}${s.savedCost ? ` (reuse saves ${usd(s.savedCost)})` : ""}\n`;
  }
  const detail = s.reasons.flatMap((r) => {
    if (r.kind === "param-changed") return ["parameter changed:", ...r.fields.map((f) => `    ${f.path}: ${p.bad(f.old)} -> ${p.ok(f.new)}`)];
    return [describeReason(r)];
  });
  return `${head}\n  ${p.warn("would run")}${s.estimate ? ` (estimated ${usd(s.estimate)})` : ""}:\n${detail.map((d) => `  ${d}`).join("\n")}\n`;
}
