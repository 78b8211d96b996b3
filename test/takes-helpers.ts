/** Shared by the takes tests: what an in-place edit of a project file added, and talking to a served storyboard. */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { get } from "node:http";

/** The lines `after` has that `before` has not, when `after` is `before` with lines inserted in one place (asserted). */
export function insertedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  let j = 0;
  while (j < a.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) j++;
  assert.equal(i + j, a.length, "every line of the file before is still there, in order");
  return b.slice(i, b.length - j);
}

/** The storyboard URL a `dramake preview` child prints (`storyboard: http://127.0.0.1:N/`). */
export function servedUrl(child: ChildProcess): Promise<string> {
  let out = "";
  return new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding("utf8").on("data", (c: string) => {
      out += c;
      const m = /storyboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on("exit", () => reject(new Error(`preview ended: ${out}`)));
  });
}

/**
 * Connects to the reload channel a page listens on; resolves once connected
 * (the server said hello) with a promise of the next `reload`, so a reload
 * sent after this returned is never missed.
 */
export function reloadChannel(url: string): Promise<{ readonly reloaded: Promise<void> }> {
  return new Promise((connected, fail) => {
    let reload!: () => void;
    let lost!: (e: Error) => void;
    const reloaded = new Promise<void>((resolve, reject) => ((reload = resolve), (lost = reject)));
    const timer = setTimeout(() => lost(new Error("no reload within 90 s")), 90_000);
    const req = get(new URL("/__dramake/events?page=%2F", url), (res) => {
      let seen = "";
      res.setEncoding("utf8").on("data", (chunk: string) => {
        seen += chunk;
        if (seen.includes("event: hello")) connected({ reloaded });
        if (seen.includes("event: reload")) {
          clearTimeout(timer);
          req.destroy();
          reload();
        }
      });
    });
    // Destroying the request once the reload arrived ends it with a hang-up: not a failure.
    req.on("error", (e) => (e.message.includes("socket hang up") || e.message.includes("aborted") ? undefined : (fail(e), lost(e))));
  });
}

/** POST a take request as the storyboard page makes it. */
export function postTake(url: string, path: "use" | "new", body: unknown, token: string): Promise<Response> {
  return fetch(new URL(`/__dramake/takes/${path}`, url), {
    method: "POST",
    headers: { "content-type": "application/json", origin: new URL(url).origin, "x-dramake-token": token },
    body: JSON.stringify(body),
  });
}

/** The token a served page carries. */
export function tokenOf(page: string): string {
  const token = /<meta name="dramake-token" content="([^"]+)">/.exec(page)?.[1];
  assert.ok(token, "the served page carries its token");
  return token;
}
