/**
 * Issue 26, "any step can run on another machine": every step of a project
 * whose code is a registered op is serialized to JSON (op, params, args,
 * input digests, take, key; no secret), run in a separate process that has
 * only that JSON, a store holding the inputs and the registries (no project
 * file, no graph; test/fixtures/job-worker), and must give the output digests
 * the in-process build locked. Projects: the cloud fixture against the fake
 * OpenAI server (every paid op) and examples/new-year-surprise offline, made
 * small (cards, espeak voices, moves, synthesized music).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, canonicalJson, layout, opNamed, readLockfile, stepJob, type StepJob } from "../src/engine/index.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { startOpenAIServer } from "./fixtures/openai-server/server.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const WORKER = join(REPO, "test/fixtures/job-worker/main.ts");
const KEY = "sk-test-SECRET-123";

async function copy(from: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-roundtrip-"));
  await cp(join(REPO, from), dir, { recursive: true });
  return dir;
}

/** Builds in process, then runs every op step again in a worker process from JSON; returns the jobs and both digests. */
async function roundTrip(dir: string, env: Record<string, string>): Promise<{ jobs: StepJob[]; mismatched: string[] }> {
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok, graph.ok ? "" : graph.error.message);
  const built = await build(graph.value, { onEvent: () => {} });
  assert.ok(built.ok && built.value.failures.length === 0, "the in-process build succeeds");
  const lock = await readLockfile(layout(dir).lockfile);
  const jobs = graph.value.steps
    .filter((s) => s.op !== undefined && opNamed(s.op) !== undefined)
    .map((s) => stepJob(s, lock.get(s.id)!.key, {}, (id) => lock.get(id)!.outputs));
  const text = JSON.stringify(jobs);
  assert.ok(!text.includes(KEY), "no secret in a job");
  // The worker's store holds the jobs' inputs and nothing else.
  const root = await mkdtemp(join(tmpdir(), "dramake-worker-"));
  const from = layout(dir).objects;
  const to = layout(root).objects;
  for (const job of jobs) {
    for (const outs of Object.values(job.inputs)) {
      for (const o of Object.values(outs)) {
        const rel = join(o.digest.slice(0, 2), o.digest.slice(2));
        await mkdir(dirname(join(to, rel)), { recursive: true });
        await copyFile(join(from, rel), join(to, rel));
      }
    }
  }
  const jobsFile = join(root, "jobs.json");
  await writeFile(jobsFile, text);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, jobsFile, root], { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`worker exited ${code}`))));
  });
  const results = out.trim().split("\n").map((l) => JSON.parse(l) as { id: string; ok: boolean; outputs?: Record<string, { digest: string }>; error?: string });
  assert.equal(results.length, jobs.length);
  const mismatched: string[] = [];
  for (const r of results) {
    assert.ok(r.ok, `${r.id} failed in the worker: ${r.error}`);
    const locked = Object.fromEntries(Object.entries(lock.get(r.id)!.outputs).map(([n, o]) => [n, o.digest]));
    const made = Object.fromEntries(Object.entries(r.outputs!).map(([n, o]) => [n, o.digest]));
    if (canonicalJson(made) !== canonicalJson(locked)) mismatched.push(`${r.id} ${canonicalJson(made)} ${canonicalJson(locked)}`);
  }
  return { jobs, mismatched };
}

test("cloud project: every paid op run from its JSON in another process makes the outputs the build locked", async () => {
  const server = await startOpenAIServer();
  const saved = { ...process.env };
  const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" };
  Object.assign(process.env, env);
  try {
    const dir = await copy("test/fixtures/projects/cloud");
    const before = server.log.length;
    const { jobs, mismatched } = await roundTrip(dir, { DRAMAKE_JOB_API_KEY: KEY, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" });
    assert.deepEqual([...new Set(jobs.map((j) => j.op))].sort(), ["clip", "cut", "dialogue", "final", "keyframe", "lines", "music", "polish", "portrait", "soundtrack", "subtitles", "voice"]);
    assert.deepEqual(mismatched, []);
    assert.ok(server.log.length > before, "the worker asked the server itself");
  } finally {
    process.env = saved;
    await server.close();
  }
});

test("examples/new-year-surprise offline: every op run from its JSON in another process makes the outputs the build locked", async () => {
  const dir = await copy("examples/new-year-surprise");
  const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
  await writeFile(join(dir, "drama.yaml"), yaml.replace("size: 720x1280", "size: 180x320"));
  const { jobs, mismatched } = await roundTrip(dir, {});
  assert.deepEqual([...new Set(jobs.map((j) => j.op))].sort(), ["clip", "cut", "dialogue", "final", "keyframe", "music", "portrait", "soundtrack", "subtitles", "voice"]);
  assert.deepEqual(mismatched, []);
});
