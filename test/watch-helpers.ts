/**
 * Driving the real `dramake watch --json` process: every stdout line is a
 * JSON event; tests wait for the one they need (bounded), never sleep.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CLI } from "./build-helpers.js";

export type Event = Record<string, unknown> & { readonly event: string };

export interface Seen {
  readonly e: Event;
  /** performance.now() in the test process when the line arrived. */
  readonly at: number;
}

export class WatchProcess {
  readonly events: Seen[] = [];
  stderr = "";
  private readonly child: ChildProcess;
  private waiters: { from: number; match: (e: Event) => boolean; done: (s: Seen) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `nodeArgs` go before the CLI (e.g. `--import` of the fake runner). */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []) {
    this.child = spawn(process.execPath, [...nodeArgs, CLI, "watch", ...args, "--json"], {
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let buffer = "";
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.trim() === "") continue;
        // Every stdout line must be JSON under --json: a stray print fails the test here.
        this.push({ e: JSON.parse(line) as Event, at: performance.now() });
      }
    });
    this.child.stderr!.setEncoding("utf8").on("data", (c: string) => (this.stderr += c));
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  private push(seen: Seen): void {
    this.events.push(seen);
    const index = this.events.length - 1;
    this.waiters = this.waiters.filter((w) => {
      if (index >= w.from && w.match(seen.e)) {
        w.done(seen);
        return false;
      }
      return true;
    });
  }

  /** Index to wait from: events before it are not considered. */
  get mark(): number {
    return this.events.length;
  }

  /** The first event at or after `from` that matches, waiting up to `ms`. */
  next(match: (e: Event) => boolean, from: number, ms = 60_000, what = "an event"): Promise<Seen> {
    const found = this.events.slice(from).find((s) => match(s.e));
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.done !== done);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}\nstderr:\n${this.stderr}\nevents:\n${this.events.slice(from).map((s) => JSON.stringify(s.e)).join("\n")}`));
      }, ms);
      const done = (s: Seen): void => {
        clearTimeout(timer);
        resolve(s);
      };
      this.waiters.push({ from, match, done });
    });
  }

  watchEvent(state: string, from: number, ms?: number): Promise<Seen> {
    return this.next((e) => e.event === "watch" && e.state === state, from, ms, `watch ${state}`);
  }

  /** Events between two indexes (end exclusive). */
  slice(from: number, to = this.events.length): Event[] {
    return this.events.slice(from, to).map((s) => s.e);
  }

  send(line: string): void {
    this.child.stdin!.write(`${line}\n`);
  }

  signal(sig: NodeJS.Signals): void {
    this.child.kill(sig);
  }

  /** Ends the process however the test went (SIGKILL only if it does not stop). */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGINT");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

/** `node --import` of this makes the child's first command matching DRAMAKE_TEST_HOLD hang until aborted. */
export const FAKE_RUNNER = ["--import", fileURLToPath(new URL("./fixtures/runner/fake-runner.mjs", import.meta.url))];

/** Ids of steps that reached `state` among events. */
export function stepIds(events: readonly Event[], state: string): string[] {
  return events.filter((e) => e.event === "step" && e.state === state).map((e) => e.id as string).sort();
}

export function startedIds(events: readonly Event[]): string[] {
  return events.filter((e) => e.event === "started").map((e) => e.id as string).sort();
}
