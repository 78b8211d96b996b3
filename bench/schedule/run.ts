/**
 * Scheduling benchmark (issue 15, goal 4): a cold build of the cloud test
 * project (test/fixtures/projects/cloud: text, images, speech and video on an
 * OpenAI-compatible provider, music offline) against the fake OpenAI server
 * on 127.0.0.1 answering every route after a fixed latency. The baseline is
 * the ideal schedule of the same steps, every step taking the time it took in
 * this build (its `ms`), plus a no-op build's wall time for process start and
 * planning. Two ideals are printed:
 * - the critical path under the concurrency limits: the schedule a dispatcher
 *   with no overhead makes, each step starting the moment its inputs are done
 *   and its pool has a slot, the longest chain first (simulated; the goal's
 *   baseline, target <= 1.3x);
 * - a looser lower bound no schedule may reach: the longest of the critical
 *   path ignoring pools and each pool's total work over its width.
 * usage: npm run build && node --import tsx bench/schedule/run.ts [runs=3]
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { startOpenAIServer } from "../../test/fixtures/openai-server/server.js";
import { copyFixture } from "../../test/build-helpers.js";
import { loadBuildGraph } from "../../src/graph/load.js";

const RUNS = Number(process.argv[2] ?? 3);
const cli = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const LATENCY = { chat: 400, "images.generations": 600, "images.edits": 600, "audio.speech": 300, "videos.create": 300, "videos.retrieve": 50, "videos.content": 300, files: 100 } as const;

const server = await startOpenAIServer({ latencyMs: LATENCY, videoPolls: 3 });
const env = { ...process.env, OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-bench-schedule", DRAMAKE_OPENAI_POLL_MS: "50", NO_COLOR: "1" };
Object.assign(process.env, { OPENAI_BASE_URL: env.OPENAI_BASE_URL, OPENAI_API_KEY: env.OPENAI_API_KEY });

interface StepEvent { event: string; id: string; state: string; ms: number }

function build(dir: string): Promise<{ wall: number; steps: StepEvent[] }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, "build", "--json", dir], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let errText = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (errText += c));
    child.on("close", (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`build failed (${code}): ${errText}${out}`));
      const steps = out.trim().split("\n").map((l) => JSON.parse(l) as StepEvent).filter((e) => e.event === "step");
      resolve({ wall, steps });
    });
  });
}

interface SimStep { readonly id: string; readonly inputs: readonly string[]; readonly pool: string; readonly ms: number }

/**
 * The no-overhead schedule: time advances from one step's end to the next;
 * whenever a pool has a free slot, its ready step with the longest chain of
 * work after it starts. Returns when the last step ends.
 */
function simulate(steps: readonly SimStep[], width: (pool: string) => number): number {
  const dependents = new Map<string, string[]>(steps.map((s) => [s.id, []]));
  for (const s of steps) for (const i of s.inputs) dependents.get(i)!.push(s.id);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const rank = new Map<string, number>();
  const rankOf = (id: string): number => rank.get(id) ?? (rank.set(id, byId.get(id)!.ms + Math.max(0, ...dependents.get(id)!.map(rankOf))), rank.get(id)!);
  const waiting = new Map(steps.map((s) => [s.id, s.inputs.length]));
  const ready = steps.filter((s) => s.inputs.length === 0);
  const busy = new Map<string, number>();
  const running: { id: string; end: number }[] = [];
  let now = 0;
  while (ready.length > 0 || running.length > 0) {
    ready.sort((a, b) => rankOf(b.id) - rankOf(a.id));
    for (let i = 0; i < ready.length; ) {
      const s = ready[i]!;
      if ((busy.get(s.pool) ?? 0) < width(s.pool)) {
        busy.set(s.pool, (busy.get(s.pool) ?? 0) + 1);
        running.push({ id: s.id, end: now + s.ms });
        ready.splice(i, 1);
      } else i++;
    }
    running.sort((a, b) => a.end - b.end);
    const done = running.shift()!;
    now = done.end;
    const s = byId.get(done.id)!;
    busy.set(s.pool, busy.get(s.pool)! - 1);
    for (const d of dependents.get(done.id)!) {
      waiting.set(d, waiting.get(d)! - 1);
      if (waiting.get(d) === 0) ready.push(byId.get(d)!);
    }
  }
  return now;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const walls: number[] = [];
const ideals: number[] = [];
const loose: number[] = [];
let detail = "";
try {
  for (let r = 0; r < RUNS; r++) {
    const dir = await copyFixture("projects/cloud");
    const cold = await build(dir);
    const noop = await build(dir);
    const graph = await loadBuildGraph(dir);
    if (!graph.ok) throw new Error(graph.error.message);
    const ms = new Map(cold.steps.map((e) => [e.id, e.ms]));
    const byId = new Map(graph.value.steps.map((s) => [s.id, s]));
    // Critical path: the longest chain of step times through the inputs.
    const finish = new Map<string, number>();
    const chain = (id: string): number => {
      const known = finish.get(id);
      if (known !== undefined) return known;
      const s = byId.get(id)!;
      const t = Math.max(0, ...(s.inputs ?? []).map(chain)) + (ms.get(id) ?? 0);
      finish.set(id, t);
      return t;
    };
    const critical = Math.max(...graph.value.steps.map((s) => chain(s.id)));
    // Pool load: a pool of width k needs at least its total work / k.
    const work = new Map<string, number>();
    for (const s of graph.value.steps) {
      const pool = s.pool ?? "local";
      work.set(pool, (work.get(pool) ?? 0) + (ms.get(s.id) ?? 0));
    }
    const cores = Math.max(1, availableParallelism());
    const loads = [...work].map(([pool, w]) => [pool, w / (graph.value.pools[pool] ?? cores)] as const);
    const busiest = loads.reduce((a, b) => (b[1] > a[1] ? b : a));
    const width = (pool: string) => Math.max(1, graph.value.pools[pool] ?? cores);
    const scheduled = simulate(
      graph.value.steps.map((s) => ({ id: s.id, inputs: s.inputs, pool: s.pool ?? "local", ms: ms.get(s.id) ?? 0 })),
      width,
    );
    walls.push(cold.wall);
    ideals.push(noop.wall + scheduled);
    loose.push(noop.wall + Math.max(critical, busiest[1]));
    detail = `critical path ${critical.toFixed(0)} ms (under the pools' limits ${scheduled.toFixed(0)} ms), busiest pool ${busiest[0]} ${busiest[1].toFixed(0)} ms, start-up (a no-op build) ${noop.wall.toFixed(0)} ms, ${cold.steps.length} steps`;
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await server.close();
}
const [w, i, l] = [median(walls), median(ideals), median(loose)];
console.log(`cloud build against the fake server (latencies ms: ${JSON.stringify(LATENCY)}), median of ${RUNS}:`);
console.log(`  last run: ${detail}`);
console.log(`  dramake build (cold)                          ${(w / 1000).toFixed(2)} s`);
console.log(`  ideal: critical path under the pools' limits  ${(i / 1000).toFixed(2)} s`);
console.log(`  lower bound (no schedule reaches it)          ${(l / 1000).toFixed(2)} s`);
console.log(`  ratio    ${(w / i).toFixed(2)}x the ideal schedule (target <= 1.3x); ${(w / l).toFixed(2)}x the lower bound`);
