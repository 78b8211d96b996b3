/**
 * Issue 26, "any step can run on another machine": every step of a project
 * whose code is a registered op is serialized to JSON (op, params, args,
 * input digests, take, key; no secret), run in a separate process that has
 * only that JSON, a store holding the inputs and the registries (no project
 * file, no graph; test/fixtures/job-worker), and must give the output digests
 * the in-process build locked. Projects: the cloud fixture against the fake
 * OpenAI server (every paid op, and a `reference:` picture) and the three
 * examples offline, made small (cards, espeak voices, moves, synthesized
 * music). Together they name every registered op: the last test checks it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFile, cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, canonicalJson, layout, opNamed, readLockfile, stepJob, type StepJob } from "../src/engine/index.js";
import { digestFile } from "../src/engine/hash.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { DRAMA_OPS } from "../src/graph/ops/index.js";
import { startOpenAIServer } from "./fixtures/openai-server/server.js";
import { bundled } from "./fixtures/bundled.js";
import { dialogueEnv, dialogueProject, startDialogueFakes } from "./fixtures/dialogue/project.js";
import { UPLOAD_TOKEN } from "./fixtures/vendors/harness.js";

const REPO = fileURLToPath(new URL("../", import.meta.url));
const WORKER = join(REPO, "test/fixtures/job-worker/main.ts");
const KEY = "sk-test-SECRET-123";
/** Every op some round trip ran, checked against the registry by the last test. */
const covered = new Set<string>();

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
  const ops = graph.value.steps.filter((s) => s.op !== undefined && opNamed(s.op) !== undefined);
  // A listed file (a reference picture) travels by digest, like an input artifact.
  const files: Record<string, string> = {};
  for (const f of new Set(ops.flatMap((s) => s.files))) files[f] = (await digestFile(join(dir, f))).digest;
  const jobs = ops.map((s) => stepJob(s, lock.get(s.id)!.key, files, (id) => lock.get(id)!.outputs));
  const text = JSON.stringify(jobs);
  assert.ok(!text.includes(KEY), "no secret in a job");
  // The worker's store holds the jobs' inputs and nothing else.
  const root = await mkdtemp(join(tmpdir(), "dramake-worker-"));
  const from = layout(dir).objects;
  const to = layout(root).objects;
  const place = async (digest: string, source: string) => {
    const rel = join(digest.slice(0, 2), digest.slice(2));
    await mkdir(dirname(join(to, rel)), { recursive: true });
    await copyFile(source, join(to, rel));
  };
  for (const job of jobs) {
    for (const outs of Object.values(job.inputs)) {
      for (const o of Object.values(outs)) await place(o.digest, join(from, o.digest.slice(0, 2), o.digest.slice(2)));
    }
    for (const [f, digest] of Object.entries(job.files)) await place(digest, join(dir, f));
  }
  const jobsFile = join(root, "jobs.json");
  await writeFile(jobsFile, text);
  const worker = await bundled(WORKER);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [worker, jobsFile, root], { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
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
  for (const job of jobs) covered.add(job.op);
  return { jobs, mismatched };
}

/** Tiny sizes keep four builds, each run twice, fast: 180x320 at 12 fps, 1-second scenes (a cut still lasts its dialogue). */
async function tiny(dir: string): Promise<void> {
  for (const file of ["drama.yaml", "episodes/02.yaml", "episodes/03.yaml"]) {
    if (!existsSync(join(dir, file))) continue;
    const yaml = await readFile(join(dir, file), "utf8");
    await writeFile(join(dir, file), yaml.replace(/size: \d+x\d+, fps: \d+/, "size: 180x320, fps: 12").replace(/seconds: [\d.]+/g, "seconds: 1"));
  }
  assert.match(await readFile(join(dir, "drama.yaml"), "utf8"), /size: 180x320, fps: 12/, "the example's format was made tiny");
}

test("cloud project: every paid op run from its JSON in another process makes the outputs the build locked", async () => {
  const server = await startOpenAIServer();
  const saved = { ...process.env };
  const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: KEY, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" };
  Object.assign(process.env, env);
  try {
    const dir = await copy("test/fixtures/projects/cloud");
    // Ann's portrait is her own picture: the reference op.
    await mkdir(join(dir, "refs"));
    await copyFile(join(REPO, "test/fixtures/projects/with-files/refs/grandpa.png"), join(dir, "refs/ann.png"));
    const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
    await writeFile(join(dir, "drama.yaml"), yaml.replace("    look: young woman, red coat\n", "    look: young woman, red coat\n    reference: refs/ann.png\n"));
    const before = server.log.length;
    const { jobs, mismatched } = await roundTrip(dir, { DRAMAKE_JOB_API_KEY: KEY, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" });
    assert.deepEqual([...new Set(jobs.map((j) => j.op))].sort(), ["clip", "cut", "dialogue", "final", "keyframe", "lines", "music", "polish", "portrait", "reference", "soundtrack", "subtitles", "voice"]);
    assert.deepEqual(mismatched, []);
    assert.ok(server.log.length > before, "the worker asked the server itself");
  } finally {
    process.env = saved;
    await server.close();
  }
});

for (const example of ["new-year-surprise", "night-market", "tea-shop"]) {
  test(`examples/${example} offline: every op run from its JSON in another process makes the outputs the build locked`, async () => {
    const dir = await copy(`examples/${example}`);
    await tiny(dir);
    const { jobs, mismatched } = await roundTrip(dir, {});
    assert.ok(jobs.some((j) => j.op === "final") && jobs.some((j) => j.op === "keyframe"), "local and generated steps both ran from JSON");
    assert.deepEqual(mismatched, []);
  });
}

test("finishing (issue 32) offline: cards, cover and a delivery run from their JSON in another process make the outputs the build locked", async () => {
  const dir = await copy("test/fixtures/builds/tiny");
  const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
  await writeFile(
    join(dir, "drama.yaml"),
    yaml + 'cards: { title: { seconds: 0.5 }, hook: { text: "Who is she?", seconds: 0.5 }, end: { text: "Next: 下一集", seconds: 0.5 } }\ncover: { shot: scene/bye }\ndeliver: [{ name: small, size: 90x160, fps: 6 }]\n',
  );
  const { jobs, mismatched } = await roundTrip(dir, {});
  assert.deepEqual(["card", "cover", "deliver"].filter((op) => !jobs.some((j) => j.op === op)), []);
  assert.deepEqual(mismatched, []);
});

test("dialogue project (issue 29): native clip, voice sample, transcription, native dialogue and lip sync (and a multi-shot scene's joined cut) run from their JSON in another process", async () => {
  const fakes = await startDialogueFakes({ sameKey: KEY });
  const saved = { ...process.env };
  const env = dialogueEnv({ sameKey: KEY });
  Object.assign(process.env, env);
  try {
    fakes.whisper.said = "Wei, you are not coming home";
    const dir = await mkdtemp(join(tmpdir(), "dramake-roundtrip-dialogue-"));
    // And a scene of two written shots (issue 27): their cuts joined by the shots-cut op.
    const shots = `  - id: the-yard
    setting: a yard
    shots:
      - { size: wide, seconds: 4, action: Snow falls. }
      - size: close-up
        seconds: 4
        lines:
          - grandpa: Cold tonight
`;
    await writeFile(join(dir, "drama.yaml"), dialogueProject(fakes) + shots);
    const { jobs, mismatched } = await roundTrip(dir, { DRAMAKE_JOB_API_KEY: KEY, DRAMAKE_JOB_UPLOAD_TOKEN: UPLOAD_TOKEN, DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" });
    for (const op of ["lipsync", "transcribe", "native-dialogue", "voice", "clip", "shots-cut"]) assert.ok(jobs.some((j) => j.op === op), `${op} ran from JSON`);
    assert.deepEqual(mismatched, []);
    assert.equal(fakes.lips.count("create"), 2, "the worker bought its own lip sync");
    assert.equal(fakes.whisper.calls.length, 2, "the worker asked for its own transcription");
  } finally {
    process.env = saved;
    await fakes.close();
  }
});

test("the round trips above ran every registered op", () => {
  assert.deepEqual([...covered].sort(), DRAMA_OPS.map((op) => op.name).sort());
});
