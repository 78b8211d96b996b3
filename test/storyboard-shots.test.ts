/**
 * The storyboard's shot strips (issue 27). The model: the tiny project's real
 * layout with its first scene turned into two shots the way the shot wiring
 * lays them out (`scene/hello/shot/<id>/…`), and a build's step states and
 * takes; a format-1 scene keeps its card as before. Then the page in a real
 * headless Chromium behind the real preview server with a desk that records
 * what it is asked: the strip's shot cards side by side, and "use this take"
 * on a shot's clip posting that shot's step.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import type { Take, StepTakes } from "../src/engine/takes.js";
import type { DramaLayout, SceneLayout, ShotLayout } from "../src/graph/layout.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { ok } from "../src/result.js";
import { startPreviewServer } from "../src/report/preview/server.js";
import type { TakeDesk } from "../src/report/preview/take-posts.js";
import { storyboardModel, type StepRecord } from "../src/report/storyboard/from-build.js";
import { renderStoryboard } from "../src/report/storyboard/render.js";
import { copyFixture } from "./build-helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium); browser tests skipped`;

/** Scene `hello` (ann: "Hi.", bob: "Hello.") as two shots: a close-up on ann with line 1, a medium on bob with line 2. */
async function twoShotLayout(): Promise<DramaLayout> {
  const dir = await copyFixture("builds/tiny");
  const loaded = await loadBuildGraph(dir, { offline: true });
  assert.ok(loaded.ok);
  const drama = loaded.value.layout!;
  const episode = drama.episodes[0]!;
  const hello = episode.scenes[0]!;
  assert.equal(hello.scene.id, "hello");
  const shot = (id: string, index: number, size: ShotLayout["size"], on: string[], voices: number[], seconds: number, transition: ShotLayout["transition"]): ShotLayout => {
    const p = `scene/hello/shot/${id}`;
    return {
      id,
      index,
      size,
      on,
      seconds,
      voices,
      transition,
      keyframe: { step: `${p}/keyframe`, file: `scenes/hello/shots/${id}/keyframe.png` },
      clip: { step: `${p}/clip`, file: `scenes/hello/shots/${id}/clip.mp4` },
      cut: { step: `${p}/cut`, file: `scenes/hello/shots/${id}/cut.mp4` },
      steps: [`${p}/keyframe`, `${p}/clip`, `${p}/cut`],
    };
  };
  const shots = [shot("1", 1, "close-up", ["ann"], [1], 5, "cut"), shot("reply", 2, "medium", ["bob"], [2], 10, "dissolve")];
  const multi: SceneLayout = {
    ...hello,
    steps: [...shots.flatMap((s) => s.steps), "scene/hello/voice/1", "scene/hello/voice/2", "scene/hello/dialogue", "scene/hello/subtitles", "scene/hello/cut"],
    keyframe: shots[0]!.keyframe,
    shots,
    formatOne: false,
  };
  return { ...drama, episodes: [{ ...episode, scenes: [multi, ...episode.scenes.slice(1)] }] };
}

const take = (n: number, key: string, cost: number, output: string): Take =>
  ({ take: n, key, cost, outputs: { [output]: { digest: "0123456789abcdef", size: 1 } }, family: "f", created: "2026-12-08T00:00:00Z", params: { request: { action: `take ${n}` } } }) as unknown as Take;
const takesOf = (chosen: number, output: string, ...costs: number[]): StepTakes => {
  const family = costs.map((c, i) => take(i + 1, `${(i + 1).toString(16).padStart(16, "a")}`, c, output));
  return { chosen: family[chosen - 1]!, family, all: family };
};

const r = (state: StepRecord["state"], cost = 0): StepRecord => ({ state, cost });

test("model: a multi-shot scene's shots with their size, lengths, lines, state, cost and takes; a format-1 scene as before", async () => {
  const drama = await twoShotLayout();
  const steps = new Map<string, StepRecord>([
    ["scene/hello/shot/1/keyframe", r("cached", 0.04)],
    ["scene/hello/shot/1/clip", r("cached", 0.5)],
    ["scene/hello/shot/1/cut", r("cached")],
    ["scene/hello/shot/reply/keyframe", r("ran", 0.04)],
    ["scene/hello/shot/reply/clip", r("running")],
    ["scene/hello/voice/1", r("cached", 0.01)],
    ["scene/bye/keyframe", r("cached", 0.04)],
    ["scene/bye/clip", r("cached", 0.3)],
  ]);
  const takes = new Map<string, StepTakes>([
    ["scene/hello/shot/reply/clip", takesOf(2, "video", 1, 1.2)],
    ["scene/hello/shot/1/keyframe", takesOf(1, "image", 0.04)],
    ["scene/bye/keyframe", takesOf(1, "image", 0.04, 0.04)],
  ]);
  const durations = new Map([["scene/hello/shot/1/cut", 4.9]]);
  const model = storyboardModel({ drama, steps, takes, durations });
  const hello = model.scenes[0]!;
  // 5 s + 10 s joined by a 0.5 s dissolve (plan/timing.ts shotsTiming): the length the scene's cut is planned at.
  assert.equal(hello.seconds, 14.5, "planned as its shots joined, not the file's 1 s");
  assert.equal(hello.keyframeTakes, undefined, "a multi-shot scene's takes are its shots'");
  assert.equal(hello.clipTakes, undefined);
  assert.deepEqual(
    hello.shots!.map((s) => [s.id, s.index, s.size, s.on, s.seconds, s.builtSeconds, s.transition, s.state, s.cost, s.lines.map((l) => `${l.speaker}: ${l.text}`)]),
    [
      ["1", 1, "close-up", ["Ann"], 5, 4.9, "cut", "cached", 0.54, ["Ann: Hi."]],
      ["reply", 2, "medium", ["Bob"], 10, undefined, "dissolve", "running", 0.04, ["Bob: Hello."]],
    ],
  );
  const [one, reply] = hello.shots!;
  assert.equal(one!.keyframe, "scenes/hello/shots/1/keyframe.png");
  assert.equal(one!.clip, "scenes/hello/shots/1/cut.mp4", "a built shot shows its cut");
  assert.equal(reply!.clip, undefined, "its clip still running");
  assert.equal(reply!.clipTakes!.step, "scene/hello/shot/reply/clip");
  assert.deepEqual(reply!.clipTakes!.takes.map((t) => [t.take, t.chosen, t.cost]), [[1, false, 1], [2, true, 1.2]]);
  assert.equal(one!.keyframeTakes!.step, "scene/hello/shot/1/keyframe");
  // Format-1 scenes: no strip, the scene's own takes.
  const bye = model.scenes.find((s) => s.id === "bye")!;
  assert.equal(bye.shots, undefined);
  assert.equal(bye.keyframeTakes!.step, "scene/bye/keyframe");
  // The page: a strip for hello only, and the format-1 card's markup unchanged by the strip code.
  const html = renderStoryboard(model);
  assert.equal((html.match(/<ol class="shot-strip"/g) ?? []).length, 1);
  assert.match(html, /<article class="card [a-z]+ multi-shot" id="scene-hello"/);
  assert.match(html, /<article class="card [a-z]+" id="scene-bye"[^]*?data-step="scene\/bye\/keyframe"/);
  const plain = renderStoryboard({ ...model, scenes: model.scenes.map((s) => (s.id === "hello" ? { ...s, shots: [] } : s)) });
  assert.doesNotMatch(plain, /<ol class="shot-strip"|multi-shot" id=/, "an empty shot list is a plain card");
});

/** A tiny PNG of one colour, made with ffmpeg. */
function png(file: string, colour: string): void {
  const ffmpeg = toolPath("ffmpeg");
  assert.ok(ffmpeg.ok);
  execFileSync(ffmpeg.value, ["-v", "error", "-y", "-f", "lavfi", "-i", `color=c=${colour}:s=90x160`, "-frames:v", "1", file]);
}

test("in Chromium: the shots side by side in the scene's card; use this take posts the shot's own step", { skip }, async (t) => {
  const drama = await twoShotLayout();
  const all = new Map<string, StepRecord>(drama.episodes[0]!.scenes.flatMap((s) => s.steps).map((id) => [id, r("cached", id.endsWith("/clip") ? 0.5 : 0.04)]));
  const takes = new Map<string, StepTakes>([["scene/hello/shot/reply/clip", takesOf(2, "still", 0.5, 0.5)]]);
  const model = storyboardModel({ drama, steps: all, takes, durations: new Map([["scene/hello/shot/reply/cut", 9.6]]) });
  const root = await mkdtemp(join(tmpdir(), "dramake-shots-page-"));
  const build = join(root, "build");
  await mkdir(join(build, "scenes/hello/shots/1"), { recursive: true });
  await mkdir(join(build, "scenes/hello/shots/reply"), { recursive: true });
  png(join(build, "scenes/hello/shots/1/keyframe.png"), "red");
  png(join(build, "scenes/hello/shots/reply/keyframe.png"), "blue");
  // The cuts are not there: the page shows the keyframes (what an unplayable video would hide).
  const page = renderStoryboard({ ...model, scenes: model.scenes.map((s) => ({ ...s, ...(s.shots ? { shots: s.shots.map(({ clip: _, ...rest }) => rest) } : {}) })) });
  await writeFile(join(build, "storyboard.html"), page);

  const asked: { step: string; take: number }[] = [];
  const desk: TakeDesk = {
    use: async (step, n) => {
      asked.push({ step, take: n });
      return ok({ step, take: n, file: "drama.yaml", estimate: 0, building: false, message: `take ${n} of ${step}` });
    },
    renew: async () => {
      throw new Error("not asked in this test");
    },
  };
  const server = await startPreviewServer({ buildDir: build, port: 0, root, takes: desk });
  assert.ok(server.ok);
  t.after(() => server.value.close());

  const { chromium } = await import("playwright-core");
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  t.after(() => browser.close());
  const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await tab.goto(server.value.url);

  const strip = tab.locator("#scene-hello ol.shot-strip");
  await strip.waitFor({ timeout: 30_000 });
  const cards = strip.locator("li.shot");
  assert.deepEqual(await cards.evaluateAll((els) => els.map((e) => e.id)), ["scene-hello-shot-1", "scene-hello-shot-reply"]);
  // Side by side: same top, the second to the right of the first, both inside the scene's card.
  const [a, b] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
  const card = await tab.locator("#scene-hello").boundingBox();
  assert.ok(a && b && card);
  assert.equal(Math.round(a.y), Math.round(b.y));
  assert.ok(b.x >= a.x + a.width, `${JSON.stringify(a)} then ${JSON.stringify(b)}`);
  assert.ok(a.x >= card.x && b.x + b.width <= card.x + card.width + 1);
  // The card of a multi-shot scene spans the row; a format-1 scene's card is one column, as before.
  const bye = await tab.locator("#scene-bye").boundingBox();
  assert.ok(bye && card.width > 2 * bye.width, `hello ${card.width}px, bye ${bye?.width}px`);
  assert.equal(await tab.locator("#scene-bye ol.shot-strip").count(), 0);

  const first = cards.nth(0);
  assert.match(await first.locator(".head").innerText(), /1\s*close-up\s*cached/i);
  assert.match(await first.locator(".facts").innerText(), /^5 s planned · \$0\.58$/);
  assert.match(await first.locator(".lines").innerText(), /ANN\s*Hi\./i);
  assert.equal(await first.locator("img").evaluate((i) => (i as HTMLImageElement).naturalWidth), 90);
  const second = cards.nth(1);
  assert.match(await second.locator(".head").innerText(), /2\s*medium\s*reply/i);
  assert.match(await second.locator(".facts").innerText(), /^10 s planned · 9\.6 s built · \$0\.58$/);
  assert.match(await second.innerText(), /Into it: dissolve/);

  // "use this take" on the reply shot's clip: shown on the served page, it posts that shot's step.
  const use = second.locator('button.use-take[data-step="scene/hello/shot/reply/clip"][data-take="1"]');
  await use.waitFor({ state: "visible", timeout: 30_000 });
  await use.click();
  await tab.waitForFunction(() => document.querySelector("#scene-hello-shot-reply .take-status")?.textContent !== "", null, { timeout: 30_000 });
  assert.deepEqual(asked, [{ step: "scene/hello/shot/reply/clip", take: 1 }]);
});
