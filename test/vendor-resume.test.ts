/**
 * Never paying twice across a kill (issues 28 and 33.1): a clip process is
 * SIGKILLed mid-poll and run again, once per preset: one create per clip.
 * And the window before the job id is journaled: with Kling, the client id
 * (external_task_id) is journaled before the create, so a process killed
 * while the create's answer is on its way finds the job by it on resume
 * instead of buying another. Seedance takes no client id: there the window
 * remains (a second create), as the README says.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callContext, probe } from "./fixtures/openai-server/call-context.js";
import type { PresetType } from "../src/providers/http-jobs/presets/index.js";
import { startVendorFake, type VendorFake } from "./fixtures/vendors/server.js";
import { clipRequest, KEYS, SHAPES, vendorVideo } from "./fixtures/vendors/harness.js";
import { bundled } from "./fixtures/bundled.js";

const open: VendorFake[] = [];
after(() => Promise.all(open.map((s) => s.close())));

async function child(type: PresetType, url: string, journal: string, out: string): Promise<{ proc: ChildProcess; result: Promise<{ ok: boolean; message?: string; detail?: Record<string, unknown> } | undefined> }> {
  const proc = spawn(process.execPath, [await bundled("test/fixtures/vendors/clip-child.ts"), type, url, journal, out], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  proc.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  const result = new Promise<{ ok: boolean; message?: string } | undefined>((resolve) =>
    proc.on("exit", () => resolve(stdout.trim() ? (JSON.parse(stdout.trim().split("\n").at(-1)!) as { ok: boolean }) : undefined)),
  );
  return { proc, result };
}

const TYPES: readonly PresetType[] = ["seedance", "kling", "veo", "fal", "minimax", "wan", "runway", "replicate"];

for (const type of TYPES) {
  test(`${type}: SIGKILL mid-poll, then a rebuild resumes the same job: one create`, async () => {
    const f = await startVendorFake(SHAPES[type], KEYS, { polls: 6 });
    open.push(f);
    const dir = await mkdtemp(join(tmpdir(), `resume-${type}-`));
    const journal = join(dir, "journal");
    const out = join(dir, "clip.mp4");
    const first = await child(type, f.url, journal, out);
    await f.arrived("poll", 2);
    first.proc.kill("SIGKILL");
    assert.equal(await first.result, undefined, "killed before it finished");
    assert.ok((await readFile(journal, "utf8")).length > 0, "the job was journaled");

    const second = await child(type, f.url, journal, out);
    const r = await second.result;
    assert.equal(r?.ok, true, r?.message);
    assert.equal(f.count("create"), 1, "one create per clip");
    assert.equal(r?.detail?.resumed, "yes");
    assert.equal((await probe(out)).streams[0]?.codec_type, "video");
  });
}

test("kling (issue 33.1): killed while the create's answer is on its way, the rebuild finds the job by external_task_id: one create", async () => {
  const f = await startVendorFake(SHAPES.kling, KEYS, { polls: 2 });
  open.push(f);
  f.inject("create", { kind: "late-answer", ms: 10_000 });
  const dir = await mkdtemp(join(tmpdir(), "window-kling-"));
  const journal = join(dir, "journal");
  const first = await child("kling", f.url, journal, join(dir, "clip.mp4"));
  await f.arrived("create");
  // The vendor has the job (carried out at once); its answer has not come back.
  await new Promise((r) => setTimeout(r, 200));
  first.proc.kill("SIGKILL");
  await first.result;
  const intent = JSON.parse(await readFile(journal, "utf8")) as { intent?: string };
  assert.match(intent.intent ?? "", /^dramake-[0-9a-f]{24}$/, "the intent was journaled before the create");
  assert.equal(f.log.find((e) => e.route === "create")!.body!.external_task_id, intent.intent, "and sent as external_task_id");

  const second = await child("kling", f.url, journal, join(dir, "clip.mp4"));
  const r = await second.result;
  assert.equal(r?.ok, true, r?.message);
  assert.equal(f.count("create"), 1, "not bought twice");
  assert.equal(f.count("lookup"), 1, "looked up by client id first");
});

test("seedance takes no client id: the same kill still buys a second job (the window the README names)", async () => {
  const f = await startVendorFake(SHAPES.seedance, KEYS, { polls: 2 });
  open.push(f);
  f.inject("create", { kind: "late-answer", ms: 10_000 });
  const dir = await mkdtemp(join(tmpdir(), "window-ark-"));
  const journal = join(dir, "journal");
  const first = await child("seedance", f.url, journal, join(dir, "clip.mp4"));
  await f.arrived("create");
  await new Promise((r) => setTimeout(r, 200));
  first.proc.kill("SIGKILL");
  await first.result;
  const second = await child("seedance", f.url, journal, join(dir, "clip.mp4"));
  assert.equal((await second.result)?.ok, true);
  assert.equal(f.count("create"), 2);
});

test("kling: an intent whose create never arrived is looked up, not found, and created once", async () => {
  const f = await startVendorFake(SHAPES.kling, KEYS, { polls: 1 });
  open.push(f);
  const ctx = await callContext("mp4", { jobId: JSON.stringify({ intent: "dramake-000000000000000000000000" }) });
  await vendorVideo("kling", f.url).video(await clipRequest(5), ctx);
  assert.equal(f.count("lookup"), 1);
  assert.equal(f.count("create"), 1);
  assert.ok(f.log.findIndex((e) => e.route === "lookup") < f.log.findIndex((e) => e.route === "create"), "lookup before create");
});
