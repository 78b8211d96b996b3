/**
 * Issue 27's Done-when, through `dramake build` against the Kling fake (its
 * model allows 5 and 10 s; the fake refuses any other duration): a 40 s scene
 * of 8 lines without `shots:` is cut into shots, each clip is asked at an
 * allowed length, the video jobs are the clips `plan` showed, and the episode
 * lasts what the plan says (ffprobe). Then the edit cones: a line edit buys a
 * voice and no clip, unless its estimate crosses an allowed length (then its
 * shot's clip only); a written shot's action edit buys its keyframe and clip.
 * Images and voices are offline (counted as the steps that ran); clips are
 * counted at the fake.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { events, runCli, stepsIn } from "./build-helpers.js";
import { startVendorFake, type VendorFake } from "./fixtures/vendors/server.js";
import { KEYS, SHAPES } from "./fixtures/vendors/harness.js";
import { probe } from "./fixtures/openai-server/call-context.js";
import { loadProject } from "../src/project/load.js";
import { resolveBackends } from "../src/graph/backends.js";
import { dramaSteps } from "../src/graph/drama.js";
import { CUT_TAIL, shotsTiming } from "../src/graph/plan/timing.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { builtEpisode } from "../src/graph/timeline.js";

let fake: VendorFake;

const LINES = [
  "grandpa: Wei, is that you? The line is so quiet tonight, my son.",
  "son: Dad, I am still at the office and the trains are all full.",
  "grandpa: The dumplings are on the table, the way your mother made them.",
  "son: I know, Dad. I wanted to come home more than anything this year.",
  "grandpa: Then come tomorrow, or the day after. The lamp will stay on.",
  "son: My boss needs the report by the third. I cannot leave before then.",
  "grandpa: A report. Your mother would have laughed at that, you know.",
  "son: I am sorry, Dad. Happy New Year. I will call you at midnight.",
];

const project = (url: string, lines = LINES) => `dramake: 1
title: Long Call
language: en
theme: A phone call.
format: { aspect: "9:16", size: 72x128, fps: 24 }
providers:
  kling:
    type: kling
    base_url: ${url}
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
    models: { video: kling-v2-6 }
    prices: { kling-v2-6: { per_second: 0.07 } }
use: { video: kling }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
  son: { name: Wei, look: tired man, voice: { offline: en+m1 } }
scenes:
  - id: the-call
    setting: a kitchen at night
    cast: [grandpa, son]
    seconds: 40
    lines:
${lines.map((l) => `      - ${l}`).join("\n")}
`;

const env = () => ({ KLING_ACCESS_KEY: KEYS.accessKey!, KLING_SECRET_KEY: KEYS.secretKey!, DRAMAKE_OPENAI_POLL_MS: "20" });
const creates = () => fake.log.filter((e) => e.route === "create");

/** The plan's shots of each scene, through the library: their clip lengths and transitions. */
async function plannedSeconds(dir: string): Promise<number> {
  const loaded = await loadProject(dir, { env: env() });
  assert.ok(loaded.ok);
  const backends = await resolveBackends(loaded.value, env());
  assert.ok(backends.ok);
  const { layout } = dramaSteps(loaded.value, backends.value);
  const ep = layout.episodes[0]!;
  return ep.scenes.reduce((n, s) => n + shotsTiming(s.shots, ep.view.format.fps).seconds, 0);
}

/**
 * Seconds the built scenes run past their planned shots: each line starts on
 * its shot (brief T), so a last line whose voice runs longer than its estimate
 * (offline espeak is ~0.5 s slower on this one) plus the cut's tail holds the
 * scene's last frame that much longer (the cut-length rule). Read from the
 * built dialogue's timings, never from the file being measured.
 */
async function runOn(dir: string): Promise<number> {
  // The library reads the keys from the environment, as the CLI did.
  Object.assign(process.env, env());
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok, graph.ok ? "" : graph.error.message);
  const ep = await builtEpisode(graph.value, graph.value.layout!, graph.value.layout!.episodes[0]!);
  assert.ok(ep.ok, ep.ok ? "" : ep.error.message);
  const fps = graph.value.layout!.episodes[0]!.view.format.fps;
  return ep.value.scenes.reduce((n, s, i) => {
    const joined = shotsTiming(graph.value.layout!.episodes[0]!.scenes[i]!.shots, fps).seconds;
    return n + Math.max(0, (s.lines.at(-1)?.end ?? 0) + CUT_TAIL - joined);
  }, 0);
}

before(async () => {
  fake = await startVendorFake(SHAPES.kling, KEYS, { polls: 1 });
});
after(async () => fake.close());

test("a 40 s scene of 8 lines is cut into clips the model allows, as many video jobs as plan showed, the episode as long as planned", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shots-build-"));
  await writeFile(join(dir, "drama.yaml"), project(fake.url));
  const plan = await runCli(["plan", "--json", dir], { env: env() });
  assert.equal(plan.code, 0, plan.stderr);
  const planned = events(plan.stdout).filter((e) => e.event === "plan" && String(e.id).endsWith("/clip")).map((e) => String(e.id));
  assert.ok(planned.length >= 8, `one shot per speaker turn at least: ${planned.join(", ")}`);
  assert.ok(planned.every((id) => id.startsWith("scene/the-call/shot/")), planned.join(", "));

  const first = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(creates().length, planned.length, "one video job per planned clip");
  assert.ok(creates().every((e) => e.status === 200 && ["5", "10"].includes(String(e.body!.duration))), JSON.stringify(creates().map((e) => e.body!.duration)));
  const seconds = await plannedSeconds(dir);
  const info = await probe(join(dir, "build", "long-call.mp4"));
  const length = Number((info as unknown as { format: { duration: string } }).format.duration);
  const over = await runOn(dir);
  assert.ok(over <= CUT_TAIL + 0.5, `the last line runs on ${over} s: more than a tail and a voice's error`);
  assert.ok(Math.abs(length - seconds - over) <= 0.1, `built ${length} s, planned ${seconds} s, the last line running on ${over} s`);

  // One line edited, its estimate within the same allowed length: its voice, no clip.
  const yaml = await readFile(join(dir, "drama.yaml"), "utf8");
  await writeFile(join(dir, "drama.yaml"), yaml.replace("the trains are all full.", "the trains are all sold."));
  const before1 = creates().length;
  const edit = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(edit.code, 0, edit.stderr);
  assert.equal(creates().length - before1, 0, "no video job for a line edit");
  const ran = stepsIn(edit.stdout, "ran");
  assert.deepEqual(ran.filter((id) => id.includes("/voice/")), ["scene/the-call/voice/2"]);
  assert.deepEqual(ran.filter((id) => /\/(keyframe|clip)$/.test(id)), []);

  // A line whose estimate crosses to the next allowed length (5 -> 10 s): its shot's clip only.
  const longer = (await readFile(join(dir, "drama.yaml"), "utf8")).replace(
    "I know, Dad. I wanted to come home more than anything this year.",
    "I know, Dad. I wanted to come home more than anything this year, more than every other year of my life.",
  );
  await writeFile(join(dir, "drama.yaml"), longer);
  const before2 = creates().length;
  const cross = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(cross.code, 0, cross.stderr);
  const bought = creates().slice(before2);
  assert.deepEqual(bought.map((e) => e.body!.duration), ["10"], "one clip, at the next allowed length");
  const crossed = stepsIn(cross.stdout, "ran");
  assert.equal(crossed.filter((id) => id.endsWith("/clip")).length, 1, crossed.join(" "));
  assert.deepEqual(crossed.filter((id) => id.includes("/voice/")), ["scene/the-call/voice/4"]);
  assert.deepEqual(crossed.filter((id) => id.endsWith("/keyframe")), []);
  const again = await plannedSeconds(dir);
  const length2 = Number((await probe(join(dir, "build", "long-call.mp4")) as unknown as { format: { duration: string } }).format.duration);
  const over2 = await runOn(dir);
  assert.ok(Math.abs(length2 - again - over2) <= 0.1 && again === seconds + 5, `built ${length2} s, planned ${again} s (was ${seconds}), the last line running on ${over2} s`);
});

test("editing one written shot's action buys exactly its keyframe and its clip", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shots-action-"));
  const text = project(fake.url).replace(/    seconds: 40\n    lines:\n[\s\S]*$/, `    shots:
      - size: wide
        action: The lamp flickers over untouched dumplings.
        seconds: 3
      - size: close-up
        on: [grandpa]
        action: He lifts the phone.
        lines:
          - grandpa: Wei? You are not coming home?
      - size: medium
        on: [son]
        action: He rubs his eyes at his desk.
        lines:
          - son: Sorry, Dad. Work.
`);
  await writeFile(join(dir, "drama.yaml"), text);
  const first = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(first.code, 0, first.stderr);
  await writeFile(join(dir, "drama.yaml"), text.replace("He lifts the phone.", "He lifts the phone slowly."));
  const before1 = creates().length;
  const edit = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(edit.code, 0, edit.stderr);
  assert.equal(creates().length - before1, 1, "one video job");
  const ran = stepsIn(edit.stdout, "ran");
  assert.deepEqual(ran.filter((id) => /\/(keyframe|clip|voice\/\d+)$/.test(id)), ["scene/the-call/shot/2/clip", "scene/the-call/shot/2/keyframe"]);
  const summary = events(edit.stdout).find((e) => e.event === "summary") as { cost: { spent: number } };
  assert.ok(Math.abs(summary.cost.spent - 0.07 * 5) < 1e-9, `spent ${summary.cost.spent}`);
});

test("plan notes a written shot longer than the model's longest clip (asked at the longest), and a remote model whose lengths are unknown", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-shots-notes-"));
  const text = project(fake.url).replace(/    seconds: 40\n    lines:\n[\s\S]*$/, `    shots:
      - size: wide
        action: The lamp flickers.
        seconds: 14
`);
  await writeFile(join(dir, "drama.yaml"), text);
  const plan = await runCli(["plan", dir], { env: env() });
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /note\s+scene the-call, shot 1: 14 s is longer than the video model's longest clip \(10 s\); it is asked at 10 s/);

  // A relay's job mapping: no lengths known, so a 40 s scene stays one clip, and plan says why.
  const relay = project(fake.url).replace(/providers:[\s\S]*?use: \{ video: kling \}\n/, `providers:
  relay:
    type: openai
    base_url: http://127.0.0.1:9/v1
    api_key: sk-test
    video_api: generations
    models: { video: some-video-model }
    prices: { some-video-model: { per_second: 0.05 } }
use: { video: relay }
`);
  await writeFile(join(dir, "drama.yaml"), relay);
  const unknown = await runCli(["plan", "--json", dir], { env: env() });
  assert.equal(unknown.code, 0, unknown.stderr);
  assert.match(unknown.stdout, /"notices":\["scene the-call: the video model's clip lengths are unknown, so the scene is one clip; declare capabilities/);
  assert.deepEqual(events(unknown.stdout).filter((e) => String(e.id).endsWith("/clip")).map((e) => e.id), ["scene/the-call/clip"]);
});
