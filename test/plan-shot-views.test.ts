/**
 * `plan`'s shots (issue 27): a multi-shot scene's shots with their size, clip
 * length and price (the plan's own step estimates, grouped by each shot's
 * steps), the planner's notices, and `plan --json`'s `plan-scene` lines. A
 * hand-made multi-shot layout (the shot wiring lays them out later), then
 * the real CLI on a priced single-shot project.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Plan, PlanStep } from "../src/engine/plan.js";
import type { DramaLayout, SceneLayout, ShotLayout } from "../src/graph/layout.js";
import { plannedScenes, scenesNamed } from "../src/report/plan-shots.js";
import { formatPlan, formatPlanShots, formatSceneShots } from "../src/report/terminal.js";
import { planSceneJson, writePlanJson } from "../src/report/json.js";
import { events, FIXTURES, runCli } from "./build-helpers.js";
import { join } from "node:path";

const place = (step: string) => ({ step, file: `${step}.out` });

function shot(scene: string, id: string, index: number, size: ShotLayout["size"], seconds: number, on: string[], transition: ShotLayout["transition"] = "cut"): ShotLayout {
  const p = `scene/${scene}/shot/${id}`;
  return { id, index, size, on, seconds, voices: [], transition, keyframe: place(`${p}/keyframe`), clip: place(`${p}/clip`), cut: place(`${p}/cut`), steps: [`${p}/keyframe`, `${p}/clip`, `${p}/cut`] };
}

function sceneLayout(id: string, shots: ShotLayout[], extra: Partial<SceneLayout> = {}): SceneLayout {
  const formatOne = shots.length === 1 && shots[0]!.steps[0] === `scene/${id}/keyframe`;
  return {
    stepPrefix: `scene/${id}`,
    scene: { id } as SceneLayout["scene"],
    index: 1,
    cast: ["grandpa", "son"],
    steps: [...shots.flatMap((s) => s.steps), `scene/${id}/voice/1`, `scene/${id}/cut`],
    keyframe: shots[0]!.keyframe,
    cut: place(`scene/${id}/cut`),
    shots,
    formatOne,
    transition: "cut",
    ...extra,
  };
}

const step = (id: string, action: "run" | "cached", estimate: number, extra: Partial<PlanStep> = {}): PlanStep => ({
  id,
  action,
  reasons: action === "run" ? [{ kind: "new" }] : [],
  key: undefined,
  estimate,
  savedCost: 0,
  pool: "x",
  remote: false,
  source: undefined,
  ...extra,
});

const call = sceneLayout("the-call", [
  shot("the-call", "1", 1, "wide", 5, ["grandpa", "son"]),
  shot("the-call", "2", 2, "close-up", 5, ["grandpa"]),
  shot("the-call", "reply", 3, "medium", 10, ["son"], "dissolve"),
], { transition: "dissolve" });
const single: ShotLayout = { ...shot("long", "1", 1, "medium", 12, ["son"]), keyframe: place("scene/long/keyframe"), clip: place("scene/long/clip"), cut: place("scene/long/cut"), steps: ["scene/long/keyframe", "scene/long/clip", "scene/long/cut"] };
const long = sceneLayout("long", [single], { notices: ["scene long: the video model's clip lengths are unknown, so the scene is one clip"] });

const layout = {
  series: false,
  title: "t",
  slug: "t",
  language: "en",
  portraits: new Map(),
  episodes: [{ view: { id: undefined }, scenes: [call, long], final: { ...place("final"), srt: "x.srt" }, music: "music", cone: [], own: [] }],
} as unknown as DramaLayout;

// Shot 1 cached, shot 2 all to run, shot "reply" with its clip to run at a price the plan does not know.
const steps: PlanStep[] = [
  step("scene/the-call/shot/1/keyframe", "cached", 0),
  step("scene/the-call/shot/1/clip", "cached", 0),
  step("scene/the-call/shot/1/cut", "cached", 0),
  step("scene/the-call/shot/2/keyframe", "run", 0.04),
  step("scene/the-call/shot/2/clip", "run", 0.5),
  step("scene/the-call/shot/2/cut", "run", 0),
  step("scene/the-call/shot/reply/keyframe", "run", 0.04),
  step("scene/the-call/shot/reply/clip", "run", 0, { unpriced: "no price for model x" }),
  step("scene/the-call/shot/reply/cut", "run", 0),
  step("scene/the-call/voice/1", "run", 0.01),
  step("scene/the-call/cut", "run", 0),
  step("scene/long/keyframe", "run", 0.04),
  step("scene/long/clip", "run", 1.2),
  step("scene/long/cut", "run", 0),
];
const plan: Plan = { steps, run: 11, cached: 3, estimate: 1.83, saved: 0, groups: {} };

test("each shot's price is its own steps' estimates, cached steps free; a scene's length is its shots'", () => {
  const scenes = plannedScenes(layout, plan);
  assert.deepEqual(scenes.map((s) => [s.prefix, s.formatOne, s.seconds]), [["scene/the-call", false, 20], ["scene/long", true, 12]]);
  const shots = scenes[0]!.shots;
  assert.deepEqual(shots.map((s) => [s.id, s.size, s.seconds, s.estimate, s.run, s.unpriced]), [
    ["1", "wide", 5, 0, 0, 0],
    ["2", "close-up", 5, 0.54, 3, 0],
    ["reply", "medium", 10, 0.04, 3, 1],
  ]);
  // The voice and the scene's joined cut are the scene's, in no shot: the shots never count a step twice.
  const counted = scenes.flatMap((s) => s.shots.flatMap((x) => x.steps));
  assert.equal(new Set(counted).size, counted.length);
  assert.deepEqual(scenes[1]!.notices, long.notices);
});

test("a scene outside the plan's targets is left out", () => {
  const only = { ...plan, steps: steps.filter((s) => s.id.startsWith("scene/long/")) };
  assert.deepEqual(plannedScenes(layout, only).map((s) => s.scene), ["long"]);
});

test("the terminal lists a multi-shot scene's shots (not a format-1 scene's), then the notices, above the totals", () => {
  const scenes = plannedScenes(layout, plan);
  const text = formatPlanShots(scenes);
  assert.match(text, /^shots:$/m);
  assert.match(text, /^  scene\/the-call 3 shots, 20 s, into it: dissolve$/m);
  assert.match(text, /^    1      wide        5 s  cached on grandpa, son$/m);
  assert.match(text, /^    2      close-up    5 s  \$0\.54 on grandpa$/m);
  assert.match(text, /^    reply  medium     10 s  price unknown on son \(dissolve\)$/m);
  assert.doesNotMatch(text, /scene\/long \d shot/);
  assert.match(text, /^note  scene long: the video model's clip lengths are unknown/m);
  const whole = formatPlan(plan, {}, scenes).trimEnd().split("\n");
  assert.match(whole.at(-1)!, /^11 to run, 3 cached; estimated cost \$1\.83/);
  assert.ok(whole.indexOf("shots:") > whole.findIndex((l) => l.includes("scene/long/cut")), "the shots follow the steps");
  // Many scenes with the same notice: one line naming them all (an offline plan says it of every scene).
  const many = ["x", "y", "z"].map((id) => ({ ...scenes[1]!, scene: id, notices: [`scene ${id}: the video model's clip lengths are unknown, so the scene is one clip`] }));
  const grouped = formatPlanShots([...many, { ...scenes[1]!, notices: ["something else"] }]);
  assert.equal(grouped, "note  scenes x, y, z: the video model's clip lengths are unknown, so the scene is one clip\nnote  something else\n");
  // Nothing multi-shot and nothing to note: no shots section at all.
  assert.equal(formatPlanShots(plannedScenes({ ...layout, episodes: [{ ...layout.episodes[0]!, scenes: [{ ...long, notices: [] } as SceneLayout] }] }, plan)), "");
});

test("explain/status of a multi-shot scene: its shots, which steps of each would run and their price", () => {
  const scenes = plannedScenes(layout, plan);
  // Named whole (with or without a slash): the multi-shot scene; a format-1 scene or one step: nothing.
  assert.deepEqual(scenesNamed(scenes, "scene/the-call").map((s) => s.prefix), ["scene/the-call"]);
  assert.deepEqual(scenesNamed(scenes, "scene/the-call/").map((s) => s.prefix), ["scene/the-call"]);
  assert.deepEqual(scenesNamed(scenes, "scene/the-call/shot/2/clip"), []);
  assert.deepEqual(scenesNamed(scenes, "scene/long"), []);
  const text = formatSceneShots(scenesNamed(scenes, "scene/the-call")[0]!);
  assert.equal(
    text,
    [
      "Shots of scene/the-call (3 shots, 20 s, 2 to run)",
      "  1      wide        5 s  cached",
      "  2      close-up    5 s  would run: keyframe, clip, cut ($0.54)",
      "  reply  medium     10 s  would run: keyframe, clip, cut (price unknown)",
      "",
    ].join("\n"),
  );
});

test("plan --json: a plan-scene line per scene with its shots, before the summary", () => {
  const lines: string[] = [];
  writePlanJson(plan, { write: (s: string) => lines.push(s) } as never, plannedScenes(layout, plan));
  const parsed = lines.join("").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(parsed.map((e) => e.event).slice(-3), ["plan-scene", "plan-scene", "plan-summary"]);
  const call = parsed.find((e) => e.id === "scene/the-call")!;
  assert.equal(call.format_one, false);
  assert.deepEqual((call.shots as { id: string; estimate: number }[]).map((s) => [s.id, s.estimate]), [["1", 0], ["2", 0.54], ["reply", 0.04]]);
  assert.equal((call.shots as { unpriced?: number }[])[2]!.unpriced, 1);
  assert.match(String(parsed.find((e) => e.id === "scene/long")!.notices), /unknown/);
  assert.equal(planSceneJson(plannedScenes(layout, plan)[0]!).event, "plan-scene");
});

test("the real CLI on a priced project: one format-1 shot per scene, priced as its steps", async () => {
  const env = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1", RELAY_URL: "http://127.0.0.1:9", OPENAI_API_KEY: "", RELAY_KEY: "" };
  const r = await runCli(["plan", "--json", join(FIXTURES, "projects/relay")], { env });
  assert.equal(r.code, 0, r.stderr);
  const all = events(r.stdout);
  const priced = new Map(all.filter((e) => e.event === "plan").map((e) => [e.id as string, e.estimate as number]));
  const scenes = all.filter((e) => e.event === "plan-scene");
  assert.ok(scenes.length >= 2);
  for (const s of scenes) {
    const shots = s.shots as { steps: string[]; estimate: number; seconds: number }[];
    assert.equal(s.format_one, true);
    assert.equal(shots.length, 1);
    assert.deepEqual(shots[0]!.steps, ["keyframe", "clip", "cut"].map((k) => `${s.id}/${k}`));
    const expected = shots[0]!.steps.reduce((n, id) => n + priced.get(id)!, 0);
    assert.ok(expected > 0, "the relay's clip has a price");
    assert.ok(Math.abs(shots[0]!.estimate - expected) < 1e-9, `${s.id}: ${shots[0]!.estimate} vs ${expected}`);
  }
  const text = await runCli(["plan", join(FIXTURES, "projects/relay")], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /^shots:/m, "format-1 scenes are one clip as before: no shots section");
  const explain = await runCli(["explain", "scene/door", join(FIXTURES, "projects/relay")], { env });
  assert.equal(explain.code, 0, explain.stderr);
  assert.match(explain.stdout, /^scene\/door\/clip/m);
  assert.doesNotMatch(explain.stdout, /Shots of/, "a format-1 scene is explained step by step as before");
});
