/**
 * Running the real CLI on a copy of a fixture project, and reading its
 * `--json` events. Shared by the build test files.
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: "1", ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface StepEvent {
  readonly event: "step";
  readonly id: string;
  readonly state: "ran" | "cached" | "failed" | "skipped";
  readonly reason?: string;
}

/** Every line of stdout must be JSON: `--json` prints nothing else there. */
export function events(stdout: string): Record<string, unknown>[] {
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function stepsIn(stdout: string, state: StepEvent["state"]): string[] {
  return (events(stdout).filter((e) => e.event === "step") as unknown as StepEvent[])
    .filter((e) => e.state === state)
    .map((e) => e.id)
    .sort();
}

/** A fresh copy of `test/fixtures/<name>` in a temp dir. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-build-"));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Replace one exact string in the project's drama.yaml (it must be there exactly once). */
export async function editProject(dir: string, from: string, to: string): Promise<void> {
  const file = join(dir, "drama.yaml");
  const text = await readFile(file, "utf8");
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`'${from}' is not in ${file} exactly once`);
  await writeFile(file, text.slice(0, at) + to + text.slice(at + from.length));
}
