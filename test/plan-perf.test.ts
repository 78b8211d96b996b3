/**
 * Issue 27's series-size plan (bench/shots-series): what a plan pays for that
 * scales, or that it does not need. Each test fails on the code before its fix.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = path.join(root, "dist", "cli", "main.js");
const noSdk = path.join(root, "test", "fixtures", "no-sdk", "register.mjs");

// The bench's shape: offline providers, written shots (the openai type is not used, only declared).
const PROJECT = `dramake: 1
title: Lazy
providers:
  cloud:
    type: openai
    base_url: http://127.0.0.1:9/v1
    api_key: \${OPENAI_API_KEY}
    models: { text: gpt-4.1-mini }
cast:
  ann: { name: Ann, look: a woman }
scenes:
  - id: one
    setting: a kitchen
    cast: [ann]
    shots:
      - size: wide
        action: She waits.
        seconds: 2
      - size: close-up
        lines:
          - ann: Hello there.
`;

test("plan of an offline project never loads the openai SDK (~150 modules, ~0.1 s of CPU): the graph binds the retry policy and the transcriber without it", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-plan-lazy-"));
  await writeFile(path.join(dir, "drama.yaml"), PROJECT);
  const env = { ...process.env, NO_COLOR: "1", OPENAI_API_KEY: "" };
  // The control: the hook does stop a process that imports the SDK.
  const control = spawnSync(process.execPath, ["--import", noSdk, "--input-type=module", "-e", 'await import("openai")'], { encoding: "utf8", env });
  assert.notEqual(control.status, 0);
  assert.match(control.stderr, /the openai SDK was imported/);
  const r = spawnSync(process.execPath, ["--import", noSdk, cli, "plan", "--json", dir], { encoding: "utf8", env });
  assert.equal(r.status, 0, r.stderr);
  const ids = r.stdout.trim().split("\n").map((l) => (JSON.parse(l) as { id?: string }).id).filter((id) => id !== undefined);
  assert.ok(ids.includes("scene/one/shot/2/clip") && ids.includes("final"), r.stdout);
});

test("a never-built project's records are looked up without a failed open each, and a record or refusal written later in the same process is found", async () => {
  const { layout } = await import("../src/engine/layout.js");
  const { readAction, writeAction } = await import("../src/engine/actions.js");
  const { RefusalMemory } = await import("../src/engine/refusals.js");
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-plan-records-"));
  const l = layout(dir);
  const key = "0123456789abcdef";
  const refusals = new RefusalMemory(l.refusals);
  assert.equal(readAction(l, key), undefined);
  assert.equal(refusals.get(key), undefined);
  const record = { v: 1, key, id: "cast/a/portrait", kind: "image", version: 1, params: {}, inputs: {}, files: {}, outputs: { png: { digest: "d".repeat(16), size: 3 } }, cost: 0.04, ms: 1, journal: {}, created: "2026-01-01T00:00:00.000Z" } as const;
  await writeAction(l, record);
  assert.deepEqual(readAction(l, key), record);
  await refusals.set(key, { message: "refused: content", failure: { kind: "provider", message: "refused: content", refused: true } as never });
  assert.equal(refusals.get(key)?.message, "refused: content");
});
