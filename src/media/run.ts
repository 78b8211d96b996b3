/**
 * Running ffmpeg-family tools: spawn, kill on abort, progress from
 * `-progress pipe:1`, and a typed failure carrying the tail of stderr instead
 * of an exception. Everything in src/media goes through here.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { err, ok, type Result } from "../result.js";
import { tempBeside } from "../atomic.js";
import type { MediaFailure } from "./failure.js";
import { toolPath, type Tool } from "./ffmpeg-path.js";
import { processWide } from "../process-wide.js";

/** What every media function takes: cancellation and optional progress. */
export interface MediaRun {
  readonly signal: AbortSignal;
  /** Fraction 0..1 of the encode, for long work. */
  readonly progress?: (fraction: number) => void;
  /** Who runs the tools; the process-wide default (`commandRunner()`) when absent. */
  readonly runner?: CommandRunner;
  /**
   * Where a call keeps its work files (a subtitle script, converted voices,
   * a concat list): a step's own scratch directory, which the next build
   * sweeps when this one is killed. The system's temp directory when absent.
   */
  readonly scratch?: string;
}

export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Enough stderr to hold loudnorm's JSON or ebur128's summary at the end. */
const STDERR_KEEP = 256 * 1024;
const TAIL_LINES = 15;

/**
 * A line the fontconfig inside a static ffmpeg prints for each config file of
 * a newer system fontconfig (one per file in /etc/fonts/conf.d, 18 on Debian
 * 12, whenever libass starts): it ignores the element and goes on, so the
 * line says nothing about a failure, and they filled 13 of a failed cut's 15
 * tail lines. Other fontconfig lines (no config, no font) stay.
 */
const FONTCONFIG_NOISE = /^Fontconfig warning: .*unknown element/;

/** The last `lines` lines of a tool's stderr that say something, and how many noise lines were left out. */
export function tail(text: string, lines = TAIL_LINES): string {
  const all = text.trimEnd().split("\n");
  const kept = all.filter((l) => !FONTCONFIG_NOISE.test(l));
  const dropped = all.length - kept.length;
  const shown = kept.slice(-lines).join("\n");
  return dropped > 0 ? `${shown}\n(${dropped} fontconfig warning${dropped === 1 ? "" : "s"} about config elements it does not know left out)` : shown;
}

export interface SpawnOptions {
  readonly signal: AbortSignal;
  readonly stdin?: string | Uint8Array;
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each chunk of stdout as it arrives (progress parsing). */
  readonly onStdout?: (chunk: string) => void;
}

/**
 * The one door to external tools (ninja's CommandRunner): the real one spawns
 * processes; a test puts in one that records the commands, writes the output
 * it was asked for, holds a command until aborted or fails it, so tests about
 * scheduling, watch or the cache spend no encoder time.
 */
export interface CommandRunner {
  run(command: string, args: readonly string[], opts: SpawnOptions): Promise<Result<ToolOutput, MediaFailure>>;
}

/** Spawns the real executable. */
export const processRunner: CommandRunner = { run: spawnTool };

/** Process-wide (see src/process-wide.ts): a test's fake replaces it. */
const slot = processWide<CommandRunner>("dramake.commandRunner", processRunner);

/** The runner used where a caller names none: the real one unless a test replaced it. */
export function commandRunner(): CommandRunner {
  return slot.get();
}

/** Replace the process-wide runner (tests), returning the previous one so it can be put back. */
export function setCommandRunner(runner: CommandRunner): CommandRunner {
  return slot.set(runner);
}

/** Run an executable to completion through `runner` (default: the current runner). */
export function runProcess(
  command: string,
  args: readonly string[],
  opts: SpawnOptions & { readonly runner?: CommandRunner },
): Promise<Result<ToolOutput, MediaFailure>> {
  return (opts.runner ?? commandRunner()).run(command, args, opts);
}

/** Spawn an executable and wait for it. Aborting kills it (SIGKILL) and yields `aborted`. */
function spawnTool(command: string, args: readonly string[], opts: SpawnOptions): Promise<Result<ToolOutput, MediaFailure>> {
  const tool = basename(command);
  if (opts.signal.aborted) return Promise.resolve(err({ kind: "aborted" }));
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      if (opts.onStdout) opts.onStdout(chunk);
      else stdout += chunk;
    });
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP * 2) stderr = stderr.slice(-STDERR_KEEP);
    });
    // A tool that exits before reading its stdin must not crash us with EPIPE.
    child.stdin.on("error", () => {});
    child.stdin.end(opts.stdin ?? "");
    const onAbort = () => child.kill("SIGKILL");
    opts.signal.addEventListener("abort", onAbort, { once: true });
    let settled = false;
    const finish = (r: Result<ToolOutput, MediaFailure>) => {
      if (settled) return;
      settled = true;
      opts.signal.removeEventListener("abort", onAbort);
      resolve(r);
    };
    child.on("error", (e: NodeJS.ErrnoException) =>
      finish(
        err({ kind: "tool-failed", tool, exitCode: null, signal: null, stderrTail: `${e.code ?? ""} ${e.message}`, args }),
      ),
    );
    child.on("close", (code, signal) => {
      if (opts.signal.aborted) return finish(err({ kind: "aborted" }));
      if (code === 0) return finish(ok({ stdout, stderr }));
      finish(err({ kind: "tool-failed", tool, exitCode: code, signal, stderrTail: tail(stderr), args }));
    });
  });
}

export interface FfmpegOptions extends MediaRun {
  /** Seconds of output expected; with `progress`, turns out_time into a fraction. */
  readonly expectedSeconds?: number;
}

/**
 * Run ffmpeg with `args` (inputs, filters, outputs). Adds the flags every call
 * wants: no banner, no keyboard interaction on stdin, overwrite, machine-readable progress on stdout.
 */
export async function runFfmpeg(args: readonly string[], opts: FfmpegOptions): Promise<Result<ToolOutput, MediaFailure>> {
  const bin = toolPath("ffmpeg");
  if (!bin.ok) return bin;
  const { progress, expectedSeconds } = opts;
  let buffered = "";
  const onStdout =
    progress && expectedSeconds && expectedSeconds > 0
      ? (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split("\n");
          buffered = lines.pop() ?? "";
          for (const line of lines) {
            // out_time_ms is in microseconds despite its name (ffmpeg's historical quirk).
            const m = /^out_time_(?:ms|us)=(\d+)/.exec(line);
            if (m) progress(Math.min(1, Number(m[1]) / 1e6 / expectedSeconds));
            else if (line.startsWith("progress=end")) progress(1);
          }
        }
      : () => {};
  return runProcess(bin.value, ["-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", ...args], {
    signal: opts.signal,
    onStdout,
    ...(opts.runner ? { runner: opts.runner } : {}),
  });
}

export async function runProbe(args: readonly string[], signal: AbortSignal): Promise<Result<ToolOutput, MediaFailure>> {
  return runTool("ffprobe", args, signal);
}

async function runTool(tool: Tool, args: readonly string[], signal: AbortSignal) {
  const bin = toolPath(tool);
  if (!bin.ok) return bin;
  return runProcess(bin.value, args, { signal });
}

/** A fresh directory for one call's work files, in `run.scratch`; the caller removes it. */
export function workDir(run: MediaRun, name: string): Promise<string> {
  return mkdtemp(join(run.scratch ?? tmpdir(), `dramake-${name}-`));
}

/**
 * Produce `out` atomically: `make` writes a temp file (tempBeside) in the same directory
 * (same extension, so ffmpeg infers the format), which is renamed over `out`
 * only when `make` succeeds and removed otherwise.
 */
export async function writeAtomically<T>(
  out: string,
  make: (tmp: string) => Promise<Result<T, MediaFailure>>,
): Promise<Result<T, MediaFailure>> {
  // The one temp-name rule (src/atomic.ts), keeping the extension ffmpeg reads the format from.
  const tmp = tempBeside(out, true);
  let r: Result<T, MediaFailure>;
  try {
    r = await make(tmp);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  if (!r.ok) {
    await rm(tmp, { force: true });
    return r;
  }
  try {
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    return err({ kind: "io", path: out, message: (e as Error).message });
  }
  return r;
}
