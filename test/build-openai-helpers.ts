/**
 * The real CLI against the fake OpenAI-compatible server (in this process, on
 * 127.0.0.1, a random port) for the build-openai tests. Every CLI run is
 * checked for the API key on stdout and stderr, and `assertNoKeyUnder` checks
 * every byte of every file a build left behind.
 */
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { CLI, copyFixture, events, runCli, type CliRun } from "./build-helpers.js";
import { startOpenAIServer, type LogEntry, type OpenAIServer, type Route } from "./fixtures/openai-server/server.js";

export { copyFixture, editProject, events, stepsIn } from "./build-helpers.js";
export { startOpenAIServer } from "./fixtures/openai-server/server.js";

/** Distinctive, so a leak is unmistakable; the same key the provider tests use. */
export const KEY = "sk-test-SECRET-123";

export const CLOUD = "projects/cloud";

/**
 * For a whole test file: a fake server and a fresh copy of the cloud project,
 * made before the file's tests (handed over through `use`) and closed after.
 */
export function cloudProjectPerFile(use: (server: OpenAIServer, dir: string) => void): void {
  let server: OpenAIServer | undefined;
  before(async () => {
    server = await startOpenAIServer();
    use(server, await copyFixture(CLOUD));
  });
  after(() => server?.close());
}

/** What the CLI needs to reach the fake server, with timings shrunk for tests. */
export function cloudEnv(server: OpenAIServer): NodeJS.ProcessEnv {
  return {
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: KEY,
    DRAMAKE_OPENAI_POLL_MS: "20",
    DRAMAKE_OPENAI_BACKOFF_MS: "20",
  };
}

export function assertNoKeyIn(text: string, where: string): void {
  assert.ok(!text.includes(KEY), `the API key leaked into ${where}`);
}

/** `dramake <args>` with the server's env (plus `env`); stdout and stderr are checked for the key. */
export async function dramake(server: OpenAIServer, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const r = await runCli(args, { env: { ...cloudEnv(server), ...env } });
  assertNoKeyIn(r.stdout, `stdout of dramake ${args.join(" ")}`);
  assertNoKeyIn(r.stderr, `stderr of dramake ${args.join(" ")}`);
  return r;
}

/** The same as a child process the test can kill; output is collected and checked once it exits. */
export function spawnDramake(server: OpenAIServer, args: readonly string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: "1", ...cloudEnv(server), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      assertNoKeyIn(stdout + stderr, `the output of dramake ${args.join(" ")}`);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, done };
}

/** Every file under `dir` (the project, its .dramake/ cache, build/ and drama.lock), byte by byte. */
export async function assertNoKeyUnder(dir: string): Promise<number> {
  const key = Buffer.from(KEY);
  let files = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    assert.ok(!(await readFile(path)).includes(key), `the API key is stored in ${path}`);
    files++;
  }
  return files;
}

/** Requests per route in a slice of the log, e.g. `{ "audio.speech": 1 }`; routes with none are left out. */
export function routes(log: readonly LogEntry[]): Partial<Record<Route | "unknown", number>> {
  const counts: Partial<Record<Route | "unknown", number>> = {};
  for (const e of log) counts[e.route] = (counts[e.route] ?? 0) + 1;
  return counts;
}

/** The log entries since a mark: `const mark = server.log.length; ...; since(server, mark)`. */
export function since(server: OpenAIServer, mark: number): LogEntry[] {
  return server.log.slice(mark);
}

/** A step event of `build --json`: `failure` is the data behind `reason` when the step failed. */
export interface BuildStep {
  readonly state: string;
  readonly reason?: string;
  readonly cost?: number;
  readonly failure?: { readonly kind: string; readonly [field: string]: unknown };
}

export interface BuildResult extends CliRun {
  readonly steps: ReadonlyMap<string, BuildStep>;
  readonly summary: {
    steps: { total: number; ran: number; cached: number; failed: number; skipped: number };
    cost: { estimated: number; spent: number; saved: number };
    output: string | null;
  };
  readonly notices: readonly string[];
}

/** `dramake build <dir> --json ...`, its step events by id and its summary. */
export async function build(server: OpenAIServer, dir: string, ...more: string[]): Promise<BuildResult> {
  const r = await dramake(server, ["build", dir, "--json", ...more]);
  return parseBuild(r);
}

export function parseBuild(r: CliRun): BuildResult {
  const all = events(r.stdout);
  const steps = new Map<string, BuildStep>();
  for (const e of all) if (e.event === "step") steps.set(e.id as string, e as unknown as BuildStep);
  const summary = all.find((e) => e.event === "summary") as BuildResult["summary"] | undefined;
  return {
    ...r,
    steps,
    summary: summary ?? { steps: { total: 0, ran: 0, cached: 0, failed: 0, skipped: 0 }, cost: { estimated: 0, spent: 0, saved: 0 }, output: null },
    notices: all.filter((e) => e.event === "notice").map((e) => e.message as string),
  };
}

/** Ids of the steps in a given state, sorted. */
export function inState(b: BuildResult, state: string): string[] {
  return [...b.steps].filter(([, e]) => e.state === state).map(([id]) => id).sort();
}

/** Poll a condition every 10 ms, at most `ms`; the test fails with `what` if it never holds. */
export async function waitUntil(what: string, ms: number, ready: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) assert.fail(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
