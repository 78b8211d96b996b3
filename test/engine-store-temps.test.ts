/**
 * Object-store temp files a killed build left (`objects/xx/.tmp-*`, named by
 * tempBeside with the writer's pid) are swept by the next build like scratch
 * directories; a live process's are left alone (issue 33, item 11).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "../src/engine/index.js";
import { tempBeside } from "../src/atomic.js";
// @ts-expect-error plain JS fixture shared with child processes
import { syntheticGraph } from "./fixtures/graphs/synthetic.mjs";

const desc = { steps: [{ id: "a", params: { n: 1 } }, { id: "b", params: { n: 2 }, inputs: ["a"], materialize: { out: "b.txt" } }], output: "b.txt" };

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

test("a rebuild removes a dead build's temp files from the object store and keeps a live one's", async () => {
  const root = mkdtempSync(join(tmpdir(), "dramake-temps-"));
  const first = await build(syntheticGraph(root, desc), { onEvent: () => undefined });
  assert.ok(first.ok);
  const objects = join(root, ".dramake/cache/objects");
  const fan = readdirSync(objects)[0]!;
  // Named exactly as a killed writer leaves them: tempBeside's name with the dead writer's pid in place of ours.
  const dead = deadPid();
  const names = [0, 1].map(() => tempBeside(join(objects, fan, "0123456789abcd")).split("/").pop()!);
  const stale = [join(objects, fan, names[0]!.replace(`-${process.pid}-`, `-${dead}-`)), join(objects, "zz", names[1]!.replace(`-${process.pid}-`, `-${dead}-`))];
  const live = join(objects, fan, names[1]!);
  mkdirSync(join(objects, "zz"), { recursive: true });
  for (const f of [...stale, live]) writeFileSync(f, "half an object");

  // A successful rebuild after an edit.
  const edited = { ...desc, steps: desc.steps.map((s) => (s.id === "b" ? { ...s, params: { n: 3 } } : s)) };
  const second = await build(syntheticGraph(root, edited), { onEvent: () => undefined });
  assert.ok(second.ok);
  for (const f of stale) assert.ok(!existsSync(f), `${f} survived the rebuild`);
  assert.ok(existsSync(live), "a live process's temp file was removed");
});
