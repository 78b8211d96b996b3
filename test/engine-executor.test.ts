/**
 * The executor seam (issue 26): a build hands every step that must run to its
 * Executor as a StepJob that survives JSON (op, params, input digests, take,
 * key; no secret), and an executor that only has that JSON, a store and the
 * op registry builds the same outputs, records and lockfile as the default.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, FileJournalStore, layout, LocalExecutor, registerOp, type EngineEvent, type EngineGraph, type Executor, type StepJob } from "../src/engine/index.js";
import { ObjectStore } from "../src/engine/store.js";
import { StatCache } from "../src/engine/stat-cache.js";
import { readFile } from "node:fs/promises";

const SECRET = "sk-executor-SECRET";

registerOp({
  name: "test/shout",
  async run(params, io) {
    const from = Object.values(io.inputs)[0]?.["text"];
    const text = from ? await readFile(from.path, "utf8") : String((params as { text: string }).text);
    await io.output("text", { bytes: `${text.toUpperCase()}!` });
  },
});

function graph(root: string, word: string): EngineGraph {
  const step = (id: string, params: Record<string, string>, inputs: string[]) => ({
    id,
    op: "test/shout",
    kind: "text",
    version: 1,
    params,
    inputs,
    files: [],
    pool: "local",
    secrets: { api_key: SECRET },
  });
  return { root, steps: [step("a", { text: word }, []), step("b", {}, ["a"])], pools: {} };
}

async function run(root: string, word: string, executor?: (root: string) => Promise<Executor>) {
  const events: EngineEvent[] = [];
  const r = await build(graph(root, word), { onEvent: (e) => events.push(e), ...(executor ? { executor: await executor(root) } : {}) });
  assert.ok(r.ok && r.value.summary.failed === 0, JSON.stringify(events.filter((e) => e.type === "failed")));
  return events.filter((e) => e.type === "finished").map((e) => (e as { id: string }).id).sort();
}

test("a build's jobs are plain JSON without secrets, and an executor with only the JSON builds what the local one does", async () => {
  const seen: string[] = [];
  const fromJson = async (root: string): Promise<Executor> => {
    const l = layout(root);
    const local = new LocalExecutor({
      store: new ObjectStore(l, await StatCache.load(l.statCache)),
      journals: new FileJournalStore(l.journals),
      tmp: l.tmp,
      fileAt: () => assert.fail("no files here"),
      secrets: () => ({}),
    });
    return {
      execute: (job, hooks) => {
        const text = JSON.stringify(job);
        seen.push(text);
        return local.execute(JSON.parse(text) as StepJob, hooks);
      },
      settled: (key) => local.settled(key),
    };
  };
  const queued = mkdtempSync(join(tmpdir(), "dramake-exec-"));
  const plain = mkdtempSync(join(tmpdir(), "dramake-exec-"));
  assert.deepEqual(await run(queued, "hello", fromJson), ["a", "b"]);
  assert.deepEqual(await run(plain, "hello"), ["a", "b"]);
  assert.equal(seen.length, 2);
  assert.ok(seen.every((t) => !t.includes(SECRET)), "no secret in a job");
  const b = JSON.parse(seen[1]!) as StepJob;
  assert.deepEqual([b.op, Object.keys(b.inputs)], ["test/shout", ["a"]]);
  const lock = (root: string) => readFileSync(layout(root).lockfile, "utf8");
  assert.equal(lock(queued), lock(plain), "same keys and outputs");
  // Unchanged: nothing reaches the executor; an edit reaches it for exactly the steps to run.
  assert.deepEqual(await run(queued, "hello", fromJson), []);
  assert.deepEqual(await run(queued, "bye", fromJson), ["a", "b"]);
  assert.equal(seen.length, 4);
});
