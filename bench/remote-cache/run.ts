/**
 * Remote cache benchmark (issue 14): the second machine's build of the cloud
 * test project (test/fixtures/projects/cloud) with a remote cache
 * that the first machine filled, against the baseline of the same fresh
 * machine building without one. The cache is Debian's nginx with WebDAV PUT
 * on 127.0.0.1, the provider the fake OpenAI server. Prints medians, the
 * ratio, provider requests and bytes moved.
 *
 * The fake provider answers at once, so with the default latency the baseline
 * is only the local work (ffmpeg, hashing); real image and video jobs take
 * seconds to minutes each, which `latencyMs` (added to every provider request)
 * stands in for.
 * usage: npm run build && node --import tsx bench/remote-cache/run.ts [runs=3] [latencyMs=0]
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLOUD, build, copyFixture, since, startOpenAIServer } from "../../test/build-openai-helpers.js";
import type { Route } from "../../test/fixtures/openai-server/server.js";
import { hasNginx, startNginxCache } from "../../test/fixtures/nginx-cache.js";

const RUNS = Number(process.argv[2] ?? 3);
const LATENCY = Number(process.argv[3] ?? 0);
if (!existsSync(fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url)))) {
  console.error("bench/remote-cache: build first (npm run build)");
  process.exit(2);
}
if (!hasNginx()) {
  console.error("bench/remote-cache: needs Debian's nginx (/usr/sbin/nginx)");
  process.exit(2);
}

const ROUTES: Route[] = ["chat", "images.generations", "images.edits", "audio.speech", "videos.create", "videos.retrieve", "videos.content"];
const [server, cache] = await Promise.all([startOpenAIServer(), startNginxCache()]);

interface Sample {
  ms: number;
  requests: number;
  downloaded: number;
  uploaded: number;
}

async function machine(...flags: string[]): Promise<Sample> {
  const dir = await copyFixture(CLOUD);
  if (LATENCY > 0) for (const r of ROUTES) server.inject(r, { kind: "slow", ms: LATENCY, times: 1000 });
  const mark = server.log.length;
  const t0 = performance.now();
  const b = await build(server, dir, ...flags);
  const ms = performance.now() - t0;
  const requests = since(server, mark).length;
  // Clears the log, the leftover latency faults and the video jobs: each machine starts alike.
  server.reset();
  if (b.code !== 0) throw new Error(`build failed: ${b.stderr}`);
  const remote = (b.summary as { remote?: { downloaded: number; uploaded: number } }).remote;
  return { ms, requests, downloaded: remote?.downloaded ?? 0, uploaded: remote?.uploaded ?? 0 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

try {
  const filled = await machine("--remote-cache", cache.authUrl);
  console.log(`first machine (fills the cache): ${Math.round(filled.ms)} ms, ${filled.requests} provider requests, uploaded ${mb(filled.uploaded)}`);
  const without: Sample[] = [];
  const withCache: Sample[] = [];
  // Interleaved, so a busy moment on the machine hits both sides alike.
  for (let i = 0; i < RUNS; i++) {
    without.push(await machine());
    withCache.push(await machine("--remote-cache", cache.authUrl));
  }
  const base = median(without.map((s) => s.ms));
  const shared = median(withCache.map((s) => s.ms));
  console.log(`second machine, no remote cache (baseline): median ${Math.round(base)} ms over ${RUNS}, ${without[0]!.requests} provider requests`);
  console.log(`second machine, remote cache:               median ${Math.round(shared)} ms over ${RUNS}, ${withCache[0]!.requests} provider requests, downloaded ${mb(withCache[0]!.downloaded)}, uploaded ${mb(withCache[0]!.uploaded)}`);
  console.log(`provider latency added per request: ${LATENCY} ms`);
  console.log(`ratio (baseline / remote cache): ${(base / shared).toFixed(2)}x faster`);
} finally {
  await Promise.all([server.close(), cache.close()]);
}
