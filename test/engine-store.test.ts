import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, mkdirSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { build, checkNoop, clean, computePlan, gc, describeFailure, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const past = (ms: number) => new Date(Date.now() - ms);

function project(): string {
  const root = mkdtempSync(join(tmpdir(), "dramake-store-"));
  for (const f of ["drama.yaml", "in.txt"]) {
    writeFileSync(join(root, f), `${f} v1`);
    utimesSync(join(root, f), past(60_000), past(60_000));
  }
  return root;
}

const desc = (v = 1) => ({
  steps: [
    { id: "a", params: { v }, files: ["in.txt"] },
    { id: "b", params: { k: "b" }, inputs: ["a"], materialize: { out: "out.txt" } },
  ],
  output: "out.txt",
  configFiles: ["drama.yaml"],
});
const graph = (root: string, v = 1): EngineGraph => syntheticGraph(root, desc(v));
const quiet = { onEvent: () => undefined };
const count = (dir: string): number =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && !d.name.startsWith(".tmp-")).length : 0;

test("gc removes what drama.lock no longer references and keeps what it does", async () => {
  const root = project();
  assert.ok((await build(graph(root, 1), quiet)).ok);
  assert.ok((await build(graph(root, 2), quiet)).ok);
  const actions = join(root, ".dramake/cache/actions");
  const objects = join(root, ".dramake/cache/objects");
  assert.equal(count(actions), 4);
  // Leftovers of a killed build: temp files beside the lockfile and in the store.
  writeFileSync(join(root, ".tmp-drama.lock-123-abcd"), "half");
  writeFileSync(join(actions, ".tmp-deadbeef-123-abcd"), "half");
  const r = await gc(root);
  assert.ok(r.ok);
  assert.ok(!existsSync(join(root, ".tmp-drama.lock-123-abcd")) && !existsSync(join(actions, ".tmp-deadbeef-123-abcd")));
  assert.equal(r.value.removedActions, 2);
  assert.equal(r.value.removedObjects, 2);
  assert.equal(count(actions), 2);
  assert.equal(count(objects), 2);
  const again: string[] = [];
  assert.ok((await build(graph(root, 2), { onEvent: (e) => (e.type === "finished" ? again.push(e.id) : undefined) })).ok);
  assert.deepEqual(again, []);
});

test("gc --max-size keeps unreferenced history that fits, evicting least recently used first", async () => {
  const root = project();
  for (const v of [1, 2, 3]) assert.ok((await build(graph(root, v), quiet)).ok);
  const actions = join(root, ".dramake/cache/actions");
  // Make v1's records older (least recently used) than v2's.
  const { readFileSync } = await import("node:fs");
  for (const k of readdirSync(actions)) {
    const rec = JSON.parse(readFileSync(join(actions, k), "utf8"));
    const age = rec.params?.v === 1 ? 3_600_000 : 60_000;
    utimesSync(join(actions, k), past(age), past(age));
  }
  const roomy = await gc(root, { maxSize: 1 << 30 });
  assert.ok(roomy.ok);
  assert.equal(roomy.value.removedActions, 0);
  // A cap that fits the referenced set plus a little: v1 goes first.
  const objectsBytes = roomy.value.keptBytes;
  const capped = await gc(root, { maxSize: objectsBytes + 200 });
  assert.ok(capped.ok);
  const left = readdirSync(actions).map((k) => JSON.parse(readFileSync(join(actions, k), "utf8")).params?.v ?? "b");
  assert.ok(!left.includes(1), `v1 should be evicted first, left: ${left}`);
  assert.ok(left.includes(3));
});

test("a stale lock of a dead process is taken over; a live one makes --no-wait fail clearly", async () => {
  const root = project();
  mkdirSync(join(root, ".dramake"), { recursive: true });
  const dead = spawn(process.execPath, ["-e", ""]);
  const pid = dead.pid!;
  await new Promise((r) => dead.on("close", r));
  writeFileSync(join(root, ".dramake/lock"), JSON.stringify({ pid, host: hostname() }));
  assert.ok((await build(graph(root), quiet)).ok);
  assert.ok(!existsSync(join(root, ".dramake/lock")));

  writeFileSync(join(root, ".dramake/lock"), JSON.stringify({ pid: process.pid, host: hostname() }));
  const r = await build(graph(root), { ...quiet, noWait: true });
  assert.ok(!r.ok);
  assert.equal(r.error.kind, "locked");
  assert.match(describeFailure(r.error), new RegExp(`process ${process.pid}.*--no-wait`));
  rmSync(join(root, ".dramake/lock"));
});

test("no-op snapshot: hit while nothing changed; a touched config with the same bytes still hits; edits and missing outputs miss", async () => {
  const root = project();
  const id = { target: root, variant: "default", stamp: "s1" };
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
  const hit = await checkNoop(root, id);
  assert.deepEqual(hit && { steps: hit.steps()?.map(([s]) => s), total: hit.total, output: hit.output }, { steps: ["a", "b"], total: 2, output: "build/out.txt" });
  assert.equal(await checkNoop(root, { ...id, variant: "offline" }), undefined);
  assert.equal(await checkNoop(root, { ...id, stamp: "s2" }), undefined);

  utimesSync(join(root, "drama.yaml"), past(30_000), past(30_000));
  assert.ok(await checkNoop(root, id), "same bytes, new mtime: still a no-op");

  writeFileSync(join(root, "in.txt"), "in.txt v2");
  utimesSync(join(root, "in.txt"), past(20_000), past(20_000));
  assert.equal(await checkNoop(root, id), undefined);
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
  assert.ok(await checkNoop(root, id));

  await clean(root);
  assert.ok(!existsSync(join(root, "build")));
  assert.equal(await checkNoop(root, id), undefined);
  const restored: string[] = [];
  assert.ok((await build(graph(root), { onEvent: (e) => (e.type === "cached" ? restored.push(e.id) : undefined), noop: id })).ok);
  assert.deepEqual(restored.sort(), ["a", "b"]);
  assert.ok(existsSync(join(root, "build/out.txt")), "clean then build restores outputs from the cache without running");
});

test("no-op snapshot: a change in an environment variable the graph depends on is a miss", async () => {
  const root = project();
  const id = { target: root, variant: "default", stamp: "s1" };
  process.env.DRAMAKE_TEST_BASE_URL = "http://one";
  const g = { ...graph(root), env: ["DRAMAKE_TEST_BASE_URL"] };
  assert.ok((await build(g, { ...quiet, noop: id })).ok);
  assert.ok(await checkNoop(root, id));
  process.env.DRAMAKE_TEST_BASE_URL = "http://two";
  assert.equal(await checkNoop(root, id), undefined);
  delete process.env.DRAMAKE_TEST_BASE_URL;
  const { readFileSync } = await import("node:fs");
  assert.doesNotMatch(readFileSync(join(root, ".dramake/noop.json"), "utf8"), /http:\/\/one/);
});

test("no-op snapshot: a config file that appears after the build (a new .env) is a miss", async () => {
  const root = project();
  const id = { target: root, variant: "default", stamp: "s1" };
  const g = syntheticGraph(root, { ...desc(), configFiles: ["drama.yaml", ".env"] });
  assert.ok((await build(g, { ...quiet, noop: id })).ok);
  assert.ok(await checkNoop(root, id), "a missing .env that stays missing is still a no-op");
  writeFileSync(join(root, ".env"), "OPENAI_BASE_URL=http://elsewhere\n");
  utimesSync(join(root, ".env"), past(20_000), past(20_000));
  assert.equal(await checkNoop(root, id), undefined);
  assert.ok((await build(g, { ...quiet, noop: id })).ok);
  assert.ok(await checkNoop(root, id));
  rmSync(join(root, ".env"));
  assert.equal(await checkNoop(root, id), undefined, "and its going away is one too");
});

test("no-op snapshot: a deleted or edited drama.lock, or an output replaced by other bytes, is a miss", async () => {
  const root = project();
  const id = { target: root, variant: "default", stamp: "s1" };
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
  rmSync(join(root, "drama.lock"));
  assert.equal(await checkNoop(root, id), undefined);
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
  assert.ok(existsSync(join(root, "drama.lock")), "the full path writes the lockfile back");
  assert.ok(await checkNoop(root, id));

  const { readFileSync } = await import("node:fs");
  const lock = readFileSync(join(root, "drama.lock"), "utf8");
  writeFileSync(join(root, "drama.lock"), lock.replace(/"/g, "'"));
  assert.equal(await checkNoop(root, id), undefined);
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);

  // Same size, other bytes, written in place of our read-only hardlink (as `cp -f` does).
  const out = join(root, "build/out.txt");
  const bytes = readFileSync(out);
  rmSync(out);
  writeFileSync(out, Buffer.from(bytes.map((b) => (b === 0x61 ? 0x62 : b))));
  utimesSync(out, past(20_000), past(20_000));
  assert.equal(await checkNoop(root, id), undefined);
  assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
  assert.deepEqual(readFileSync(out), bytes, "the full path puts the built output back");
});

test("code stamp: rebuilding, adding or removing one module of dramake's code changes it", async () => {
  const { codeStamp } = await import("../src/code-stamp.js");
  const base = mkdtempSync(join(tmpdir(), "dramake-stamp-"));
  const top = join(base, "dist");
  for (const d of ["graph", "engine/cache", "providers/offline", "media", "project"]) mkdirSync(join(top, d), { recursive: true });
  const file = join(top, "engine/cache/store.js");
  writeFileSync(file, "export {};\n");
  utimesSync(file, past(60_000), past(60_000));
  writeFileSync(join(top, "media/cut.d.ts"), "export {};\n");
  const first = codeStamp(top);
  assert.equal(codeStamp(top), first, "nothing changed");
  writeFileSync(join(top, "media/cut.d.ts"), "export declare const x: 1;\n");
  writeFileSync(join(top, "media/cut.js.map"), "{}");
  assert.equal(codeStamp(top), first, "type declarations and source maps are not code");
  writeFileSync(file, "export {};\n");
  assert.notEqual(codeStamp(top), first, "rewritten with the same bytes (a rebuild)");
  const rebuilt = codeStamp(top);
  writeFileSync(join(top, "providers/offline/new.js"), "");
  assert.notEqual(codeStamp(top), rebuilt, "a module added");
  rmSync(join(top, "providers/offline/new.js"));
  assert.equal(codeStamp(top), rebuilt);
  writeFileSync(join(base, "package.json"), '{"version":"0.1.0"}');
  utimesSync(join(base, "package.json"), past(60_000), past(60_000));
  const released = codeStamp(top);
  assert.notEqual(released, rebuilt);
  writeFileSync(join(base, "package.json"), '{"version":"0.2.0"}');
  assert.notEqual(codeStamp(top), released, "the package's version changed");
});

test("action index: plan reads the last whole build's records from one file, and not once the actions directory changed", async () => {
  const { readFileSync } = await import("node:fs");
  const root = project();
  const g = syntheticGraph(root, { ...desc(), steps: desc().steps.map((s) => ({ ...s, cost: 0.25 })) });
  assert.ok((await build(g, quiet)).ok);
  const indexFile = join(root, ".dramake/actions-index.json");
  const index = JSON.parse(readFileSync(indexFile, "utf8"));
  assert.deepEqual(Object.values(index.records).map((r: any) => r.id).sort(), ["a", "b"]);
  const savedOf = async () => {
    const plan = await computePlan(g, {});
    assert.ok(plan.ok);
    return plan.value.steps.map((s) => [s.id, s.action, s.savedCost]);
  };
  assert.deepEqual(await savedOf(), [["a", "cached", 0.25], ["b", "cached", 0.25]]);
  // Proof that the index is what plan read: a cost only it holds shows up.
  for (const r of Object.values(index.records) as any[]) r.cost = 9;
  writeFileSync(indexFile, JSON.stringify(index));
  assert.deepEqual(await savedOf(), [["a", "cached", 9], ["b", "cached", 9]]);
  // A record removed (or one added) changes the directory: the index no longer counts.
  const actions = join(root, ".dramake/cache/actions");
  const keyOfA = Object.keys(index.records).find((k) => index.records[k].id === "a")!;
  rmSync(join(actions, keyOfA));
  assert.deepEqual((await savedOf()).map(([id, action]) => [id, action]), [["a", "run"], ["b", "run"]]);
  assert.ok((await build(g, quiet)).ok);
  assert.deepEqual(await savedOf(), [["a", "cached", 0.25], ["b", "cached", 0.25]], "a whole build writes a fresh index");
  // A build drops the index before it writes anything; a failed one leaves none behind.
  const failing = syntheticGraph(root, { ...desc(), steps: [...desc().steps, { id: "c", fail: true }] });
  await build(failing, quiet);
  assert.ok(!existsSync(indexFile));
});

test("racy timestamps: a file modified just now is not trusted by the no-op snapshot", async () => {
  const root = project();
  writeFileSync(join(root, "in.txt"), "fresh");
  // The snapshot is taken 50 ms after the edit (inside the racy window): the build's
  // wall clock is held there however long the build takes on a loaded machine
  // (a real clock made this pass or fail by the machine's speed).
  mock.timers.enable({ apis: ["Date"], now: Math.ceil(statSync(join(root, "in.txt")).mtimeMs) + 50 });
  try {
    const id = { target: root, variant: "default", stamp: "s1" };
    assert.ok((await build(graph(root), { ...quiet, noop: id })).ok);
    assert.equal(await checkNoop(root, id), undefined);
  } finally {
    mock.timers.reset();
  }
});
