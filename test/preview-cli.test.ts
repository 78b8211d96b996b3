/**
 * `dramake preview` as a user runs it: a real process, a real port on
 * 127.0.0.1, real chokidar events, Ctrl-C (SIGINT) to stop.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { request } from "node:http";
import { createServer } from "node:net";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeStoryboard } from "../src/report/storyboard/index.js";
import { englishModel } from "./storyboard-fixtures.js";
import { CLI } from "./build-helpers.js";

const repo = fileURLToPath(new URL("..", import.meta.url));
// The built command line (npm test builds it first), as installed: not the sources through tsx, which compiled
// the whole CLI again in every spawned process.
const dramake = (...args: string[]) => [process.execPath, [CLI, "preview", ...args]] as const;

async function projectWithStoryboard(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "dramake-preview-"));
  await writeFile(join(root, "drama.yaml"), "dramake: 1\n");
  assert.ok((await writeStoryboard(join(root, "build"), englishModel)).ok);
  return root;
}

function runToEnd(...args: string[]) {
  const [cmd, argv] = dramake(...args);
  return spawnSync(cmd, argv, { cwd: repo, encoding: "utf8", timeout: 30_000 });
}

/** Resolves with the first stdout line matching `pattern`. */
async function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let seen = "";
  for await (const chunk of child.stdout!) {
    seen += String(chunk);
    const match = pattern.exec(seen);
    if (match) return match;
  }
  throw new Error(`process ended before printing ${pattern}; stdout: ${seen}`);
}

test("without a storyboard it says to build first, exit code 2", async () => {
  const root = await mkdtemp(join(tmpdir(), "dramake-preview-"));
  const r = runToEnd(root);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /run dramake build first/);
});

test("bad arguments are usage errors, exit code 2", () => {
  const port = runToEnd(".", "--port", "http");
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port needs a port number/);
  const unknown = runToEnd("--open");
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown option '--open'/);
});

test("a taken port: 'port N is in use; try --port N', exit code 2", async () => {
  const root = await projectWithStoryboard();
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const port = (blocker.address() as { port: number }).port;
  try {
    const r = runToEnd(root, "--port", String(port));
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), `dramake preview: port ${port} is in use; try --port N`);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

test("--watch: prints the URL, reloads open pages on a new storyboard, and Ctrl-C exits cleanly", async () => {
  const root = await projectWithStoryboard();
  const [cmd, argv] = dramake(join(root, "drama.yaml"), "--port", "0", "--watch");
  const child = spawn(cmd, argv, { cwd: repo, stdio: ["ignore", "pipe", "pipe"] });
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  try {
    const [, url] = await waitForLine(child, /storyboard: (http:\/\/127\.0\.0\.1:\d+\/)\n.*\npress Ctrl-C/);
    // A page's reload channel, as the inline script opens it.
    const events = request(new URL("/__dramake/events", url!));
    events.end();
    const [res] = (await once(events, "response")) as [import("node:http").IncomingMessage];
    res.setEncoding("utf8");
    let stream = "";
    const saw = (pattern: RegExp): Promise<void> =>
      new Promise((resolve) => {
        const check = (chunk?: string): void => {
          if (chunk !== undefined) stream += chunk;
          if (pattern.test(stream)) {
            res.off("data", check);
            resolve();
          }
        };
        res.on("data", check);
        check();
      });
    await saw(/event: hello/);
    assert.ok((await writeStoryboard(join(root, "build"), { ...englishModel, title: "Edited" })).ok);
    await saw(/event: reload/);
    // `dramake clean` then a build: build/ disappears and comes back.
    stream = "";
    await rm(join(root, "build"), { recursive: true });
    assert.ok((await writeStoryboard(join(root, "build"), englishModel)).ok);
    await saw(/event: reload/);
    child.kill("SIGINT");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
  } finally {
    clearTimeout(killer);
    child.kill("SIGKILL");
  }
});

test("a path that does not exist is a usage error", () => {
  const r = runToEnd(join(dirname(repo), "no-such-project-here"));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no such project: .*no-such-project-here/);
});
