/**
 * Issue 13, takes through the real CLI. Against the fake OpenAI server: a
 * retake of a clip makes take 2 (one video job), the only change to
 * drama.yaml is the `take:` lines, the film changes; choosing take 1 again
 * sends nothing and gives back the first film byte for byte; a retake over
 * budget sends nothing and leaves the file alone. Offline: a retaken keyframe
 * is another picture, gc keeps every take unless --drop-takes, and a take of
 * a step the scene does not have is an error.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { after, before } from "node:test";
import { build, CLOUD, dramake, events, routes, since, startOpenAIServer } from "./build-openai-helpers.js";
import { copyFixture, editProject, runCli } from "./build-helpers.js";
import { insertedLines } from "./takes-helpers.js";
import { spawn, spawnSync } from "node:child_process";
import { CLI } from "./build-helpers.js";
import { cloudEnv } from "./build-openai-helpers.js";

/** dramake in a real terminal (util-linux `script` gives it a pty): `answer` is typed once the question shows. */
function inTerminal(args: readonly string[], answer: string): Promise<{ code: number | null; out: string }> {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  const child = spawn("script", ["-qec", quoted, "/dev/null"], { env: { ...process.env, NO_COLOR: "1", ...cloudEnv(server) }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let typed = false;
  child.stdout.setEncoding("utf8").on("data", (c: string) => {
    out += c;
    if (!typed && out.includes("[y/N]")) {
      typed = true;
      child.stdin.write(`${answer}\n`);
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}
const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0;

let server: OpenAIServer;
let dir: string;
before(async () => {
  // Every video job a new video, as a real model: a retake must be another clip.
  server = await startOpenAIServer({ variedVideos: true });
  dir = await copyFixture(CLOUD);
});
after(() => server?.close());

const lockEntry = async (project: string, id: string) =>
  (JSON.parse(await readFile(join(project, "drama.lock"), "utf8")) as { steps: Record<string, { key: string; outputs: Record<string, { digest: string }>; take?: number }> }).steps[id]!;

test("retake a clip: take 2 is one new video job, drama.yaml gains only the take lines, the film changes; take 1 again sends nothing and restores the first film byte for byte", async () => {
  const first = await build(server, dir);
  assert.equal(first.code, 0, first.stderr);
  const film = await readFile(join(dir, "build/cloud-test.mp4"));
  const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
  const lock1 = await lockEntry(dir, "scene/hello/clip");

  // A take that costs money, with no terminal to ask and no --yes: refused (exit 2), priced, nothing sent, the file as it was.
  let mark = server.log.length;
  const unasked = await dramake(server, ["retake", "scene/hello/clip", dir]);
  assert.equal(unasked.code, 2, unasked.stderr);
  assert.match(unasked.stderr, /^dramake retake: take 2 of scene\/hello\/clip would spend about \$0\.40 \(estimated\) and there is no terminal to ask; pass --yes to spend it\. Nothing was sent$/m);
  assert.deepEqual(since(server, mark), [], "not a single request");
  assert.equal(await readFile(join(dir, "drama.yaml"), "utf8"), yaml);

  // Priced before it runs: the plan of a chosen take not made yet.
  mark = server.log.length;
  const r = await dramake(server, ["retake", "scene/hello/clip", dir, "--json", "--yes"]);
  assert.equal(r.code, 0, r.stderr);
  const out = events(r.stdout);
  assert.deepEqual(out[0], { event: "take", id: "scene/hello/clip", take: 2 });
  assert.deepEqual(routes(since(server, mark)), { "videos.create": 1, "videos.retrieve": 3, "videos.content": 1 }, "one new generation, nothing else paid");
  const ran = out.filter((e) => e.event === "step" && e.state === "ran").map((e) => e.id).sort();
  assert.deepEqual(ran, ["final", "scene/hello/clip", "scene/hello/cut"]);

  const edited = await readFile(join(dir, "drama.yaml"), "utf8");
  assert.deepEqual(insertedLines(yaml, edited), ["    take:", "      clip: 2"]);
  const lock2 = await lockEntry(dir, "scene/hello/clip");
  assert.equal(lock2.take, 2, "drama.lock says which take");
  assert.notEqual(lock2.key, lock1.key);
  assert.equal(lock1.take, undefined, "take 1 keys and locks as before takes existed");
  assert.notDeepEqual(await readFile(join(dir, "build/cloud-test.mp4")), film, "the film has the new clip");

  const status = await dramake(server, ["explain", "scene/hello/clip", dir]);
  assert.match(status.stdout, /scene\/hello\/clip take 2/);

  // Back to take 1: restored from the cache.
  await editProject(dir, "      clip: 2", "      clip: 1");
  const told = await dramake(server, ["status", dir]);
  assert.match(told.stdout, /scene\/hello\/clip\s+take 1 chosen, restored from the cache/);
  mark = server.log.length;
  const back = await build(server, dir);
  assert.equal(back.code, 0, back.stderr);
  assert.deepEqual(since(server, mark), [], "0 requests");
  assert.equal(back.summary.cost.spent, 0);
  assert.deepEqual(await readFile(join(dir, "build/cloud-test.mp4")), film, "byte-identical to the first film");
  assert.deepEqual(await lockEntry(dir, "scene/hello/clip"), lock1);

  // A third take under a budget it does not fit: nothing sent, the file as it was.
  const before = await readFile(join(dir, "drama.yaml"), "utf8");
  mark = server.log.length;
  const refused = await dramake(server, ["retake", "scene/hello/clip", dir, "--budget", "0.01", "--yes"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /take 3 of scene\/hello\/clip: estimated cost \$0\.40 .* exceeds the budget of \$0\.01; nothing was run.*drama\.yaml is unchanged/);
  assert.deepEqual(since(server, mark), [], "not a single request");
  assert.equal(await readFile(join(dir, "drama.yaml"), "utf8"), before);
});

test("offline: a retaken keyframe is another picture; gc keeps every take of a locked step unless --drop-takes; an unknown take is an error", async () => {
  const project = await copyFixture("builds/tiny");
  assert.equal((await runCli(["build", project, "-q"])).code, 0);
  const one = await lockEntry(project, "scene/bye/keyframe");
  const r = await runCli(["retake", "scene/bye/keyframe", project, "-q"]);
  assert.equal(r.code, 0, r.stderr);
  const two = await lockEntry(project, "scene/bye/keyframe");
  assert.notEqual(two.outputs["image"]!.digest, one.outputs["image"]!.digest, "the offline provider draws take 2 differently");
  assert.notEqual((await lockEntry(project, "scene/bye/clip")).key, undefined);

  const actions = join(project, ".dramake/cache/actions");
  const records = async () => {
    const all = await Promise.all((await readdir(actions)).map(async (n) => JSON.parse(await readFile(join(actions, n), "utf8")) as { id: string; take?: number }));
    return all.filter((a) => a.id === "scene/bye/keyframe").map((a) => a.take ?? 1).sort();
  };
  assert.equal((await runCli(["gc", project])).code, 0);
  assert.deepEqual(await records(), [1, 2], "gc keeps take 1, which drama.lock does not choose");
  assert.equal((await runCli(["gc", project, "--drop-takes"])).code, 0);
  assert.deepEqual(await records(), [2]);

  const notTakeable = await runCli(["retake", "scene/bye/cut", project]);
  assert.equal(notTakeable.code, 2);
  assert.match(notTakeable.stderr, /no takes/);

  await editProject(project, "      keyframe: 2", "      keyframes: 2");
  const bad = await runCli(["build", project]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /drama\.yaml:\d+:7: error: scene bye has no step 'keyframes' with takes/);
  assert.match(bad.stderr, /allowed: keyframe, clip, voice\/1/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, "no stack trace");
});

test("offline: a retaken clip is another move over the same keyframe, so the cut changes; take 1 again is the first cut", async () => {
  const project = await copyFixture("builds/tiny");
  assert.equal((await runCli(["build", project, "-q"])).code, 0);
  const cut1 = await lockEntry(project, "scene/bye/cut");
  const r = await runCli(["retake", "scene/bye/clip", project, "-q"]);
  assert.equal(r.code, 0, r.stderr);
  const cut2 = await lockEntry(project, "scene/bye/cut");
  assert.notEqual(cut2.outputs["video"]!.digest, cut1.outputs["video"]!.digest, "take 2 of an offline clip moves differently");
  await editProject(project, "      clip: 2", "      clip: 1");
  assert.equal((await runCli(["build", project, "-q"])).code, 0);
  assert.deepEqual(await lockEntry(project, "scene/bye/cut"), cut1);
});

test("in a terminal a paid retake shows its price and asks: no sends nothing and leaves the file; yes makes the take", { skip: hasScript ? false : "util-linux script (a pty for the question) is not installed" }, async () => {
  const project = await copyFixture(CLOUD);
  const first = await build(server, project);
  assert.equal(first.code, 0, first.stderr);
  const yaml = await readFile(join(project, "drama.yaml"), "utf8");
  let mark = server.log.length;
  const no = await inTerminal(["retake", "scene/hello/clip", project], "n");
  assert.equal(no.code, 1, no.out);
  assert.match(no.out, /take 2 of scene\/hello\/clip: the build it asks for is estimated at \$0\.40\. Spend it\? \[y\/N\]/);
  assert.match(no.out, /not made; nothing was sent/);
  assert.deepEqual(since(server, mark), [], "not a single request");
  assert.equal(await readFile(join(project, "drama.yaml"), "utf8"), yaml);

  mark = server.log.length;
  const yes = await inTerminal(["retake", "scene/hello/clip", project], "y");
  assert.equal(yes.code, 0, yes.out);
  assert.equal(routes(since(server, mark))["videos.create"], 1, "one new generation");
  assert.deepEqual(insertedLines(yaml, await readFile(join(project, "drama.yaml"), "utf8")), ["    take:", "      clip: 2"]);
  // (Free takes are never asked about: the offline tests below retake without a terminal and without --yes.)
});
