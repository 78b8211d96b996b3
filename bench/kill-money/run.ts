/**
 * Issue 33 items 1-2, measured: N builds of the cloud test project SIGKILLed
 * at a random moment: even runs 0-2.5 s after the first image or voice
 * answer was sent, odd runs 0-40 ms after a video job was made whose answer
 * the server holds back 40-190 ms. Each is followed by a rebuild to the end.
 * Counts image/voice answers sent before the kill and asked for again (some
 * were still on the wire when the process died: no client can keep those),
 * and video jobs made twice for one prompt.
 *
 *   npm run build && node --import tsx bench/kill-money/run.ts [N=10]
 */
import { spawn } from "node:child_process";
import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startOpenAIServer, type LogEntry } from "../../test/fixtures/openai-server/server.js";

const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const PROJECT = fileURLToPath(new URL("../../test/fixtures/projects/cloud", import.meta.url));
const n = Number(process.argv[2] ?? "10");
const rand = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

const server = await startOpenAIServer({ latencyMs: { "images.generations": 30, "images.edits": 30, "audio.speech": 20 } });
const env = { ...process.env, NO_COLOR: "1", OPENAI_BASE_URL: server.url, OPENAI_API_KEY: "sk-bench", DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20" };

function run(dir: string, killWhen?: (log: readonly LogEntry[]) => boolean, killAfterMs = 0): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "build", dir], { env, stdio: "ignore" });
    let timer: NodeJS.Timeout | undefined;
    if (killWhen) {
      timer = setInterval(() => {
        if (!killWhen(server.log)) return;
        clearInterval(timer);
        setTimeout(() => child.kill("SIGKILL"), killAfterMs);
      }, 2);
    }
    child.on("close", (code) => {
      clearInterval(timer);
      resolve(code);
    });
  });
}

const paidAnswer = (e: LogEntry) => (e.route === "images.generations" || e.route === "images.edits" || e.route === "audio.speech") && e.status === 200;
let kills = 0;
let answers = 0;
let repeated = 0;
let sentBeforeKill = 0;
let creates = 0;
let extraJobs = 0;
for (let i = 0; i < n; i++) {
  server.reset();
  const dir = await mkdtemp(join(tmpdir(), "dramake-kill-money-"));
  await cp(PROJECT, dir, { recursive: true });
  const video = i % 2 === 1;
  if (video) server.inject("videos.create", { kind: "late-answer", ms: Math.round(rand(40, 190)) });
    const code = video
    ? await run(dir, (log) => log.some((e) => e.route === "videos.create" && e.job), rand(0, 40))
    : await run(dir, (log) => log.filter(paidAnswer).length >= 1, rand(0, 2500));
  if (code !== null) console.log(`run ${i}: finished before the kill`);
  else kills++;
  if (!video) sentBeforeKill += server.log.filter(paidAnswer).length;
  const rebuilt = await run(dir);
  if (rebuilt !== 0) console.log(`run ${i}: rebuild exited ${rebuilt}`);
  const per = new Map<string, number>();
  for (const e of server.log.filter(paidAnswer)) per.set(e.route + e.prompt + e.input, (per.get(e.route + e.prompt + e.input) ?? 0) + 1);
  answers += per.size;
  repeated += [...per.values()].reduce((s, c) => s + c - 1, 0);
  const jobs = new Map<string, number>();
  for (const e of server.log) if (e.route === "videos.create" && e.job) jobs.set(e.prompt ?? "", (jobs.get(e.prompt ?? "") ?? 0) + 1);
  creates += [...jobs.values()].reduce((s, c) => s + c, 0);
  extraJobs += [...jobs.values()].reduce((s, c) => s + c - 1, 0);
}
console.log(JSON.stringify({ runs: n, kills, answers, sentBeforeKill, repeatedAnswers: repeated, videoJobs: creates, extraVideoJobs: extraJobs }));
await server.close();
