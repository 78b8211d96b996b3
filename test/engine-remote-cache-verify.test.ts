/**
 * Remote cache poisoning (issue 33, item 6): a record is served for a key only
 * when its own contents (kind, version, params, input and file digests) hash
 * to that key. Copying the-call's record to the-door's address and editing its
 * `key` field made the-door show the-call's output, reported as a remote hit.
 * Real nginx WebDAV cache (test/fixtures/nginx-cache.ts), synthetic steps.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type EngineEvent } from "../src/engine/index.js";
import { hasNginx, startNginxCache, type NginxCache } from "./fixtures/nginx-cache.js";
// @ts-expect-error plain JavaScript fixture (also imported by child processes)
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const skip = hasNginx() ? false : "nginx is not installed (.ci/run installs it)";

const desc = {
  steps: [
    { id: "the-call", params: { prompt: "a phone rings in a kitchen" }, cost: 0.04, remote: true, materialize: { out: "call.txt" } },
    { id: "the-door", params: { prompt: "a door opens on snow" }, cost: 0.04, remote: true, materialize: { out: "door.txt" } },
  ],
};

async function run(root: string, url: string) {
  const events: EngineEvent[] = [];
  const runs: string[] = [];
  const r = await build(syntheticGraph(root, desc, { onRun: (id: string) => runs.push(id) }), { onEvent: (e) => events.push(e), remoteCache: { url } });
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error));
  return {
    summary: r.value.summary,
    runs: runs.sort(),
    notices: events.flatMap((e) => (e.type === "notice" ? [e.message] : [])),
    remoteHits: events.flatMap((e) => (e.type === "cached" && e.source === "remote" ? [e.id] : [])).sort(),
  };
}

let cache: NginxCache;
before(async () => {
  if (!skip) cache = await startNginxCache();
});
after(() => cache?.close());

test("a record copied to another step's address, its key edited, is rejected with one warning and the step runs", { skip }, async () => {
  const first = mkdtempSync(join(tmpdir(), "dramake-poison-"));
  await run(first, cache.authUrl);
  const records = readdirSync(join(cache.files, "ac")).map((f) => ({ f, r: JSON.parse(readFileSync(join(cache.files, "ac", f), "utf8")) }));
  const call = records.find(({ r }) => r.id === "the-call")!;
  const door = records.find(({ r }) => r.id === "the-door")!;
  writeFileSync(join(cache.files, "ac", door.f), JSON.stringify({ ...call.r, key: door.r.key }));

  const second = mkdtempSync(join(tmpdir(), "dramake-poison-"));
  const b = await run(second, cache.authUrl);
  assert.deepEqual(b.remoteHits, ["the-call"]);
  assert.deepEqual(b.runs, ["the-door"], "the poisoned step is made again, not served from the remote");
  assert.equal(b.notices.length, 1, b.notices.join("\n"));
  assert.match(b.notices[0]!, new RegExp(`the record at ac/${door.f} is for another step \\(its contents hash to ${call.r.key}, not ${door.r.key}\\); ignored, the step runs`));
  assert.equal(b.summary.remote?.rejected, 1);
  assert.deepEqual(readFileSync(join(second, "build/door.txt")), readFileSync(join(first, "build/door.txt")));
  assert.notDeepEqual(readFileSync(join(second, "build/door.txt")), readFileSync(join(first, "build/call.txt")));
});

test("an honest record still verifies: a third machine gets both steps from the remote", { skip }, async () => {
  // The rerun above uploaded the-door's true record over the poisoned one.
  const third = mkdtempSync(join(tmpdir(), "dramake-poison-"));
  const c = await run(third, cache.authUrl);
  assert.deepEqual(c.runs, []);
  assert.deepEqual(c.remoteHits, ["the-call", "the-door"]);
  assert.deepEqual(c.notices, []);
});

test("a take above 1 is part of the key and survives the trip through the server, so its record verifies", async () => {
  const { stepKey } = await import("../src/engine/key.js");
  const { parseRemote, recomputedKey, toRemote } = await import("../src/engine/cache/record.js");
  const step = { kind: "image", version: 2, params: { prompt: "a door" }, take: 3 };
  const resolved = { inputs: { "cast/ann/portrait": { out: "0123456789abcdef" } }, files: {} };
  const key = await stepKey(step as never, resolved);
  const record = { v: 1 as const, key, id: "scene/door/keyframe", ...step, ...resolved, outputs: {}, cost: 0.04, ms: 5, journal: {}, created: "2026-01-01T00:00:00Z" };
  const back = parseRemote(JSON.stringify(toRemote(record, {})), key);
  assert.ok(back);
  assert.equal(await recomputedKey(back), key);
  assert.notEqual(await recomputedKey({ ...back, take: undefined }), key, "take 3 and take 1 are different keys");
});
