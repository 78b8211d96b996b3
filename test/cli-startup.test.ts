/**
 * Issue 26: a CLI process pays for what it loads. Help lists every command, so a command module
 * must not pull in its implementation's heavy packages at import time (the openai SDK alone is
 * ~0.2 s of CPU, more than the rest of `--help`); they load in `run`. And `<command> --help`
 * loads that command only. Read from the real dist/ CLI, with a loader hook recording each
 * module the process loads.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { CLI } from "./build-helpers.js";
import { commands } from "../src/cli/registry.js";

const HOOK = fileURLToPath(new URL("./fixtures/startup/record-loads.mjs", import.meta.url));
const SOURCE_CLI = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXAMPLE = fileURLToPath(new URL("../examples/tea-shop", import.meta.url));
const HEAVY = ["openai", "bullmq", "ioredis", "chokidar"];
const dir = mkdtempSync(join(tmpdir(), "dramake-startup-"));
let n = 0;

/** The packages (node_modules/<name>) a `dramake ...args` process loaded, and its result. */
function loads(args: readonly string[]): { packages: Set<string>; status: number | null; stdout: string } {
  const file = join(dir, `loads-${n++}.txt`);
  // NO_COLOR, and a cwd outside any project: plan reads the named example only.
  const r = spawnSync(process.execPath, ["--import", HOOK, CLI, ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, DRAMAKE_TEST_LOADS: file, NO_COLOR: "1" } });
  const urls = readFileSync(file, "utf8").split("\n").filter(Boolean);
  assert.ok(urls.some((u) => u.endsWith("/cli/main.js")), `the hook saw no CLI entry: ${urls.slice(0, 3).join(", ")}`);
  const packages = new Set(urls.flatMap((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1] ?? []));
  return { packages, status: r.status, stdout: r.stdout };
}

test("the probe sees the openai SDK loaded either way: imported, or required as sdk.ts does", () => {
  for (const code of ['await import("openai")', 'import { createRequire } from "node:module"; createRequire(import.meta.url)("openai")']) {
    const file = join(dir, `probe-${n++}.txt`);
    const r = spawnSync(process.execPath, ["--import", HOOK, "--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8", env: { ...process.env, DRAMAKE_TEST_LOADS: file } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(readFileSync(file, "utf8"), /\/node_modules\/openai\//, code);
  }
});

test("validate and plan on an example (offline provider) load no openai SDK: the providers load it on a call", () => {
  for (const args of [["validate", EXAMPLE], ["plan", EXAMPLE]]) {
    const r = loads(args);
    assert.equal(r.status, 0, args.join(" "));
    assert.ok(!r.packages.has("openai"), `dramake ${args.join(" ")} loaded openai`);
  }
});

test("--help (which reads every command's module) and help <command> load none of openai, bullmq, ioredis, chokidar", () => {
  for (const args of [["--help"], ["help", "write"], ["import", "--help"]]) {
    const r = loads(args);
    assert.equal(r.status, 0, args.join(" "));
    assert.match(r.stdout, /Usage: dramake/);
    const heavy = HEAVY.filter((p) => r.packages.has(p));
    assert.deepEqual(heavy, [], `dramake ${args.join(" ")} loaded ${heavy.join(", ")}`);
  }
});

test("<command> --help loads that command's module only (the overview loads them all)", () => {
  // Run from src/ (through tsx): one file a command there; the bundle shares chunks between them.
  const own = (urls: Set<string>) => [...urls].filter((u) => /\/src\/cli\/commands\/[a-z-]+\.ts$/.test(u));
  const run = (args: string[]) => {
    const file = join(dir, `cmds-${n++}.txt`);
    const r = spawnSync(process.execPath, ["--import", "tsx", "--import", HOOK, SOURCE_CLI, ...args], { encoding: "utf8", env: { ...process.env, DRAMAKE_TEST_LOADS: file } });
    assert.equal(r.status, 0, r.stderr);
    return own(new Set(readFileSync(file, "utf8").split("\n").filter(Boolean))).map((u) => u.replace(/.*\/commands\//, "")).sort();
  };
  assert.deepEqual(run(["export", "--help"]), ["export.ts"]);
  assert.deepEqual(run(["help", "gc"]), ["gc.ts"]);
  assert.equal(run(["--help"]).length, Object.keys(commands).length);
});
