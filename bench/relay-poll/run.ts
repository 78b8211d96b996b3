/**
 * Poll overhead per clip (issue 9): the time from a video job being ready on
 * the relay to its download starting, with the status-check schedule of
 * before (first check after 5 s, then x1.5 up to 20 s) against now (1 s,
 * then x1.5 up to 5 s), for jobs that take different times. Real clocks, the
 * real provider and SDK against the fake relay on 127.0.0.1; every job runs
 * at once, so the bench takes about as long as the slowest job plus a check.
 * Also counts the status requests each schedule makes.
 *
 * usage: node --import tsx bench/relay-poll/run.ts [job seconds, comma-separated; default 2,7,15,40]
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOpenAIProvider, type PollPolicy } from "../../src/providers/openai/index.js";
import { pollDelay } from "../../src/providers/openai/config.js";
import { png } from "../../test/fixtures/openai-server/media.js";
import { callContext } from "../../test/fixtures/openai-server/call-context.js";
import { startRelayServer } from "../../test/fixtures/relay-server/server.js";

const JOBS = (process.argv[2] ?? "2,7,15,40").split(",").map(Number);
const SCHEDULES: Record<string, Pick<PollPolicy, "firstMs" | "maxMs">> = {
  "before (5 s, cap 20 s)": { firstMs: 5000, maxMs: 20_000 },
  "now (1 s, cap 5 s)": { firstMs: 1000, maxMs: 5000 },
};

interface Sample {
  readonly overheadMs: number;
  readonly polls: number;
}

async function clip(readySeconds: number, schedule: Pick<PollPolicy, "firstMs" | "maxMs">): Promise<Sample> {
  const relay = await startRelayServer({ readyAfterMs: readySeconds * 1000 });
  try {
    const provider = createOpenAIProvider(
      { name: "relay", base_url: relay.url, models: { video: "kling-v2" }, video_api: "generations" },
      { apiKey: "sk-bench" },
      { poll: { ...schedule, jobTimeoutMs: 10 * 60_000 } },
    );
    const ctx = await callContext("mp4");
    const keyframe = join(await mkdtemp(join(tmpdir(), "bench-relay-")), "keyframe.png");
    await writeFile(keyframe, await png(64, 96));
    await provider.clip({ sceneId: "s", keyframe, action: "x", camera: "static", seconds: 1, size: { width: 720, height: 1280 }, fps: 24 }, ctx);
    const created = relay.log.find((e) => e.route === "video.create")!.time;
    const download = relay.log.find((e) => e.route === "download")!.time;
    return { overheadMs: download - (created + readySeconds * 1000), polls: relay.count("video.poll") };
  } finally {
    await relay.close();
  }
}

const runs = await Promise.all(
  Object.entries(SCHEDULES).flatMap(([name, schedule]) => JOBS.map(async (s) => ({ name, seconds: s, ...(await clip(s, schedule)) }))),
);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
console.log("job ready after | schedule                | ready -> download | status checks");
for (const r of runs) console.log(`${String(r.seconds).padStart(13)} s | ${r.name.padEnd(23)} | ${s(r.overheadMs).padStart(17)} | ${r.polls}`);
const total = (name: string) => runs.filter((r) => r.name === name).reduce((n, r) => n + r.overheadMs, 0);
const [before, now] = Object.keys(SCHEDULES).map(total) as [number, number];
console.log(`\ntotal ready -> download over ${JOBS.length} clips: before ${s(before)}, now ${s(now)}; before/now = ${(before / Math.max(1, now)).toFixed(1)}x`);

// The same schedules (the provider's own pollDelay) over every job length from 1 s to 3 min, in 0.1 s steps:
// what a clip waits on average and at worst, without the clock (the measured rows above check the model).
const lengths = Array.from({ length: 1800 }, (_, i) => (i + 1) * 100);
for (const [name, schedule] of Object.entries(SCHEDULES)) {
  const policy = { ...schedule, jobTimeoutMs: Infinity };
  const waits = lengths.map((ready) => {
    let t = 0;
    for (let n = 1; t < ready; n++) t += pollDelay(policy, n);
    return t - ready;
  });
  const checks = lengths.map((ready) => {
    let t = 0;
    let n = 0;
    while (t < ready) t += pollDelay(policy, ++n);
    return n;
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`${name}: jobs of 0.1-180 s wait ${s(mean(waits))} on average, ${s(Math.max(...waits))} at worst, with ${mean(checks).toFixed(1)} status checks`);
}
