/**
 * Workers benchmark (issue 30): a 6-episode cloud series (the cloud test
 * project's providers and cast, two scenes an episode) built against the fake
 * OpenAI server with fixed provider latencies, by one coordinator and 1
 * worker, then 3 workers (fresh Redis, cache and server each time: nothing
 * cached). On a 2-core machine the provider-bound part is what scales; local
 * ffmpeg steps still run on the coordinator until they become ops.
 * Prints wall time, provider requests, jobs per worker and the ratio.
 * Measured (2-core machine, shared): 25.2 s with 1 worker, 24.1 s with 3
 * (1.05x), 87 provider requests both times. No gain, and that is the rule
 * working: a provider pool's concurrency holds across all workers, and one
 * worker already takes a pool's every slot (its per-pool limit defaults to
 * the pool's size), while the 48 local steps still run on the coordinator.
 * usage: npm run build && node --import tsx bench/workers/run.ts [episodes=6] [latencyMs=400]
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildProcess } from "node:child_process";
import { build, spawnDramake, startOpenAIServer } from "../../test/build-openai-helpers.js";
import { hasNginx, startNginxCache } from "../../test/fixtures/nginx-cache.js";
import { hasRedis, startRedis } from "../../test/fixtures/redis-server.js";

const EPISODES = Number(process.argv[2] ?? 6);
const LATENCY = Number(process.argv[3] ?? 400);
if (!existsSync(fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url)))) {
  console.error("bench/workers: build first (npm run build)");
  process.exit(2);
}
if (!hasNginx() || !hasRedis()) {
  console.error("bench/workers: needs Debian's nginx and redis-server");
  process.exit(2);
}

/** The cloud fixture's header (providers, use, cast) over EPISODES episode files. */
async function series(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-bench-workers-"));
  const fixture = await readFile(fileURLToPath(new URL("../../test/fixtures/projects/cloud/drama.yaml", import.meta.url)), "utf8");
  const header = fixture.slice(0, fixture.indexOf("scenes:")).replace(/^budget:.*$/m, "");
  await mkdir(join(dir, "episodes"));
  const ids = Array.from({ length: EPISODES }, (_, i) => String(i + 1).padStart(2, "0"));
  for (const id of ids) {
    const scenes = [
      `  - id: hello`,
      `    setting: a doorway, evening ${id}`,
      `    cast: [ann, bob]`,
      `    action: They meet at the door (${id}).`,
      `    seconds: 1`,
      `    lines:`,
      `      - ann: Hi, it is pouring again (${id}).`,
      `      - bob: Take my umbrella.`,
      `  - id: bye`,
      `    setting: a wet street, night ${id}`,
      `    cast: [ann]`,
      `    action: She walks away under the umbrella (${id}).`,
      `    seconds: 1`,
      `    lines:`,
      `      - ann: Thank you! (${id})`,
    ];
    await writeFile(join(dir, "episodes", `${id}.yaml`), [`id: "${id}"`, `title: Episode ${id}`, "scenes:", ...scenes].join("\n") + "\n");
  }
  await writeFile(join(dir, "drama.yaml"), `${header.replace(/^title: .*$/m, "title: Workers Bench")}episodes:\n${ids.map((id) => `  - include: episodes/${id}.yaml`).join("\n")}\n`);
  return dir;
}

interface Sample {
  readonly workers: number;
  readonly ms: number;
  readonly requests: number;
  readonly perWorker: Record<string, number>;
  readonly onCoordinator: number;
}

async function run(n: number): Promise<Sample> {
  const latencyMs = { chat: LATENCY, "images.generations": LATENCY, "images.edits": LATENCY, "audio.speech": LATENCY, "videos.create": LATENCY, "videos.retrieve": LATENCY / 4, "videos.content": LATENCY };
  const [server, redis, cache] = await Promise.all([startOpenAIServer({ latencyMs }), startRedis(), startNginxCache()]);
  const children: ChildProcess[] = [];
  try {
    const done: Promise<unknown>[] = [];
    for (let i = 1; i <= n; i++) {
      const w = spawnDramake(server, ["worker", "--queue", redis.url, "--remote-cache", cache.authUrl, "-j", "1", "--name", `w${i}`, "--dir", await mkdtemp(join(tmpdir(), "dramake-bench-w-"))]);
      children.push(w.child);
      done.push(w.done);
    }
    const dir = await series();
    const t0 = performance.now();
    const b = await build(server, dir, "--queue", redis.url, "--remote-cache", cache.authUrl);
    const ms = performance.now() - t0;
    if (b.code !== 0) throw new Error(`build failed: ${b.stderr}`);
    const perWorker: Record<string, number> = {};
    let onCoordinator = 0;
    for (const s of b.steps.values()) {
      if (s.state !== "ran") continue;
      const w = (s as { worker?: string }).worker;
      if (w) perWorker[w] = (perWorker[w] ?? 0) + 1;
      else onCoordinator++;
    }
    for (const c of children) c.kill("SIGTERM");
    await Promise.all(done);
    return { workers: n, ms, requests: server.log.length, perWorker, onCoordinator };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await Promise.all([server.close(), redis.close(), cache.close()]);
  }
}

const one = await run(1);
const three = await run(3);
for (const s of [one, three]) {
  console.log(`${s.workers} worker(s): ${(s.ms / 1000).toFixed(1)} s wall, ${s.requests} provider requests, jobs per worker ${JSON.stringify(s.perWorker)}, ${s.onCoordinator} local steps on the coordinator`);
}
console.log(`3 workers vs 1: ${(one.ms / three.ms).toFixed(2)}x faster (${EPISODES} episodes, ${LATENCY} ms per provider call)`);
