/**
 * The engine's cache writes through the Disk seam (src/disk.ts): a disk that
 * refuses one write (ENOSPC, EIO) or counts every call, on a synthetic graph
 * (no ffmpeg), so the failure paths of the store are tried without filling a
 * real disk.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { disk, nodeDisk, setDisk, type Disk } from "../src/disk.js";
import { build, type EngineEvent, type EngineGraph } from "../src/engine/index.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

type Call = { op: keyof Disk; path: string };

/** node:fs, except that `refuse` may name an error code for a call (a write is then short); every call is recorded. */
function fakeDisk(refuse: (op: keyof Disk, path: string, data?: string | Uint8Array) => string | undefined = () => undefined) {
  const calls: Call[] = [];
  const fake = {} as Record<keyof Disk, unknown>;
  for (const op of Object.keys(nodeDisk) as (keyof Disk)[]) {
    fake[op] = (...args: unknown[]) => {
      const path = args[0] as string;
      calls.push({ op, path });
      const code = refuse(op, path, args[1] as string | Uint8Array | undefined);
      if (code) {
        const error = Object.assign(new Error(`${code}: refused by the test disk, ${op} '${path}'`), { code });
        if (op === "statSync") throw error;
        // A refused write is a short one, as a full disk's is: part of the data is there.
        if (op === "writeFile") return nodeDisk.writeFile(path, String(args[1]).slice(0, 5)).then(() => Promise.reject(error));
        return Promise.reject(error);
      }
      return (nodeDisk[op] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { disk: fake as unknown as Disk, calls };
}

async function withDisk<T>(d: Disk, body: () => Promise<T>): Promise<T> {
  const previous = setDisk(d);
  try {
    return await body();
  } finally {
    setDisk(previous);
  }
}

const steps = [
  { id: "a", params: { n: 1 } },
  { id: "b", params: { n: 2 }, inputs: ["a"] },
  { id: "after-b", params: { n: 3 }, inputs: ["b"] },
  { id: "c", params: { n: 4 } },
];
const graphOf = (root: string): EngineGraph => syntheticGraph(root, { steps }, {});

async function run(graph: EngineGraph) {
  const events: EngineEvent[] = [];
  const r = await build(graph, { onEvent: (e) => events.push(e), keepGoing: true });
  const ids = (type: EngineEvent["type"]) => events.filter((e) => e.type === type).map((e) => (e as { id: string }).id).sort();
  return { r, events, ran: ids("finished"), failed: ids("failed"), skipped: ids("skipped") };
}

/** Calls that change what is on disk (a recursive mkdir of a folder that exists changes nothing). */
const written = (calls: readonly Call[]) => calls.filter((c) => ["writeFile", "rename", "copyFile", "remove", "chmod"].includes(c.op));

for (const code of ["ENOSPC", "EIO"]) {
  test(`${code} on the write of one step's output fails that step only, leaves no temp file, and the next build runs only what it cut short`, async () => {
    const root = mkdtempSync(join(tmpdir(), "dramake-disk-"));
    // b's output is the one JSON object with n: 2 in its params.
    const fake = fakeDisk((op, path, data) => (op === "writeFile" && path.includes("/objects/") && String(data).includes('"n":2') ? code : undefined));
    const first = await withDisk(fake.disk, () => run(graphOf(root)));
    assert.ok(fake.calls.some((c) => c.op === "writeFile" && c.path.includes("/objects/")), "the store wrote through the disk");
    assert.deepEqual(first.failed, ["b"]);
    const failed = first.events.find((e) => e.type === "failed");
    assert.match(failed && failed.type === "failed" ? failed.message : "", new RegExp(code));
    assert.deepEqual(first.skipped, ["after-b"]);
    assert.deepEqual(first.ran, ["a", "c"]);
    const leftovers = (await readdir(join(root, ".dramake"), { recursive: true })).filter((p) => /\.tmp-/.test(p));
    assert.deepEqual(leftovers, [], "the refused temp file was removed");

    assert.equal(disk(), nodeDisk, "the real disk is back");
    const second = await run(graphOf(root));
    assert.deepEqual(second.ran, ["after-b", "b"]);
    assert.deepEqual(second.failed, []);
  });
}

test("a stat cache the disk refuses to save (EIO) costs the next build re-hashing, not this build its result", async () => {
  const root = mkdtempSync(join(tmpdir(), "dramake-disk-"));
  const fake = fakeDisk((op, path) => (op === "rename" && path.includes("/.tmp-stat.json") ? "EIO" : undefined));
  const first = await withDisk(fake.disk, () => run(graphOf(root)));
  assert.ok(fake.calls.some((c) => c.op === "rename" && c.path.includes("/.tmp-stat.json")), "the stat cache was saved through the disk");
  assert.ok(first.r.ok && first.r.value.summary.ran === 4 && first.r.value.summary.failed === 0);
  assert.deepEqual(await readdir(join(root, ".dramake")).then((names) => names.filter((n) => n.startsWith("stat") || n.startsWith(".tmp-"))), [], "no stat cache, no temp file");
  const second = await run(graphOf(root));
  assert.deepEqual(second.ran, [], "every output found by hashing");
});

test("a build with nothing to do writes nothing through the disk but the action index", async () => {
  const root = mkdtempSync(join(tmpdir(), "dramake-disk-"));
  const fresh = fakeDisk();
  const first = await withDisk(fresh.disk, () => run(graphOf(root)));
  assert.deepEqual(first.ran, ["a", "after-b", "b", "c"]);
  const stored = written(fresh.calls).filter((c) => c.op === "rename").map((c) => c.path.slice(root.length).split("/").slice(0, 4).join("/"));
  assert.ok(stored.includes("/.dramake/cache/objects") && stored.includes("/.dramake/cache/actions"), "objects and records went through the disk");
  const noop = fakeDisk();
  const second = await withDisk(noop.disk, () => run(graphOf(root)));
  assert.deepEqual(second.ran, []);
  assert.ok(noop.calls.some((c) => c.op === "statSync"), "it looked");
  // The index is dropped when a build starts (a crashed build leaves none) and written back by a complete one.
  assert.deepEqual(written(noop.calls).filter((c) => !c.path.includes("actions-index")), []);
});
