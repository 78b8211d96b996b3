/** The build-family commands' argument handling and the reporters' output shapes. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonEvent } from "../src/report/json.js";
import { summaryLine, terminalReporter } from "../src/report/terminal.js";
import type { BuildSummary } from "../src/engine/index.js";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const dramake = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

test("usage errors exit 2 with a sentence and the usage, never a stack", () => {
  const cases: [string[], RegExp][] = [
    [["build", "--budget", "lots"], /--budget wants a number/],
    [["build", "-j", "0"], /-j wants a whole number of at least 1/],
    [["build", "--bogus"], /unknown option '--bogus'/i],
    [["build", "/no/such/dir"], /no such project/],
    [["gc", "--max-size", "huge"], /--max-size wants a size such as 500M/],
    [["explain"], /missing required argument 'step'/],
    [["plan", "a", "b"], /too many arguments for 'plan'/],
  ];
  for (const [args, message] of cases) {
    const r = dramake(...args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /usage: dramake/);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
  }
});

test("clean and gc work on a project that never built", () => {
  const dir = mkdtempSync(join(tmpdir(), "dramake-cli-"));
  const c = dramake("clean", dir);
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stdout, /nothing to clean/);
  const g = dramake("gc", dir, "--max-size", "500M");
  assert.equal(g.status, 0, g.stderr);
  assert.match(g.stdout, /removed 0 action record\(s\) and 0 object\(s\)/);
});

const summary: BuildSummary = { total: 3, ran: 1, cached: 1, failed: 1, skipped: 0, estimated: 0.5, spent: 0.25, saved: 0.1, output: "build/x.mp4", ms: 12, aborted: false };

test("--json lines have exactly the DESIGN §5 shapes", () => {
  assert.deepEqual(jsonEvent({ type: "finished", id: "scene/a/clip", ms: 5, cost: 0.25, reasons: [{ kind: "new" }] }), {
    event: "step", id: "scene/a/clip", state: "ran", ms: 5, cost: 0.25, reason: "new step",
  });
  assert.deepEqual(Object.keys(jsonEvent({ type: "cached", id: "a", saved: 1 })).slice(0, 7), ["event", "id", "state", "ms", "cost", "reason", "saved"]);
  assert.equal(jsonEvent({ type: "failed", id: "a", ms: 1, cost: 0, message: "boom" }).state, "failed");
  assert.equal(jsonEvent({ type: "skipped", id: "a", why: "blocked by b" }).state, "skipped");
  const s = jsonEvent({ type: "summary", summary });
  assert.deepEqual(s, {
    event: "summary",
    steps: { total: 3, ran: 1, cached: 1, failed: 1, skipped: 0 },
    cost: { estimated: 0.5, spent: 0.25, saved: 0.1 },
    output: "build/x.mp4",
    ms: 12,
  });
  // With a remote cache: how many hits came from it, and the bytes moved; cached step events say where from.
  assert.deepEqual(jsonEvent({ type: "summary", summary: { ...summary, remote: { hits: 1, downloaded: 10, uploaded: 20, rejected: 0 } } }), {
    event: "summary",
    steps: { total: 3, ran: 1, cached: 1, failed: 1, skipped: 0, remote: 1 },
    cost: { estimated: 0.5, spent: 0.25, saved: 0.1 },
    output: "build/x.mp4",
    ms: 12,
    remote: { hits: 1, downloaded: 10, uploaded: 20, rejected: 0 },
  });
  assert.equal(jsonEvent({ type: "cached", id: "a", saved: 1, source: "remote" }).source, "remote");
  assert.equal(jsonEvent({ type: "cached", id: "a", saved: 1 }).source, "local");
});

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, columns: 80, write: (t: string) => chunks.push(t) } };
}

test("terminal reporter: plain lines in a pipe, live redraws on a TTY, colour only when allowed", () => {
  const pipe = sink(false);
  const r = terminalReporter(pipe.out, { color: false });
  r.event({ type: "started", id: "a", reasons: [{ kind: "new" }], remote: false });
  r.event({ type: "cached", id: "b", saved: 0 });
  r.event({ type: "finished", id: "a", ms: 3, cost: 0, reasons: [] });
  r.event({ type: "summary", summary: { ...summary, failed: 0 } });
  r.close();
  const text = pipe.chunks.join("");
  assert.doesNotMatch(text, /\x1b\[/);
  assert.match(text, /run +a: new step\n/);
  assert.match(text, /done +a/);
  assert.doesNotMatch(text, /\bb\b/, "cached steps only count in a pipe");
  assert.match(text, /built: 3 steps, 1 ran, 1 cached; spent \$0\.25, saved \$0\.10 \(12ms\) -> build\/x\.mp4/);
  assert.match(summaryLine({ ...summary, failed: 0, remote: { hits: 1, downloaded: 9, uploaded: 0, rejected: 0 } }), /1 cached \(1 from the remote cache\)/);

  const tty = sink(true);
  const t = terminalReporter(tty.out, { color: true });
  t.event({ type: "started", id: "scene/a/clip", reasons: [{ kind: "new" }], remote: true });
  t.event({ type: "finished", id: "scene/a/clip", ms: 1500, cost: 0.2, reasons: [] });
  t.event({ type: "summary", summary });
  t.close();
  const live = tty.chunks.join("");
  assert.match(live, /… scene\/a\/clip/);
  assert.match(live, /\x1b\[\d+F\x1b\[0J/, "the live block is redrawn in place");
  assert.match(live, /\x1b\[3\dm/, "colour on a TTY");
});
