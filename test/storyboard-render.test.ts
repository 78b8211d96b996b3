import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderStoryboard, writeStoryboard, type StoryboardModel } from "../src/report/storyboard/index.js";
import { readPageVersion } from "../src/report/storyboard/live-reload.js";
import { chineseModel, englishModel } from "./storyboard-fixtures.js";

const cards = (html: string): string[] => [...html.matchAll(/<article class="card [a-z]+" id="scene-([^"]*)"/g)].map((m) => m[1] ?? "");

test("one card per scene, in the drama's order", () => {
  const html = renderStoryboard(englishModel);
  assert.deepEqual(cards(html), ["the-call", "decision", "the-train", "the-city", "reunion"]);
});

test("the page is self-contained: inline CSS, one inline script, nothing fetched from elsewhere", () => {
  const html = renderStoryboard(englishModel);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /\b(src|href|poster)="(https?:)?\/\//i);
  assert.doesNotMatch(html, /@import|url\(/i);
  assert.equal(html.match(/<script\b/g)?.length, 1);
  assert.doesNotMatch(html, /<script\s+src/i);
});

test("every piece of project text is escaped: a line with <script> is text, not markup", () => {
  const attack = '<script>window.__injected = 1</script>"\'&';
  const model: StoryboardModel = {
    ...englishModel,
    title: attack,
    scenes: englishModel.scenes.map((s, i) =>
      i === 0
        ? { ...s, setting: attack, lines: [{ speaker: attack, text: attack }], failure: { step: attack, reason: attack } }
        : s,
    ),
  };
  const html = renderStoryboard(model);
  assert.equal(html.match(/<script\b/g)?.length, 1, "only the live-reload script is a script element");
  assert.match(html, /&lt;script&gt;window.__injected = 1&lt;\/script&gt;&quot;&#39;&amp;/);
});

test("media paths become relative URLs, segment by segment, and never leave build/", () => {
  const model: StoryboardModel = {
    ...englishModel,
    scenes: [
      { ...englishModel.scenes[0]!, id: "the call #2", keyframe: "scenes/the call #2/keyframe.png", clip: "javascript:alert(1)//x.mp4" },
      { ...englishModel.scenes[1]!, keyframe: "../../etc/passwd", clip: "/abs/clip.mp4" },
    ],
  };
  const html = renderStoryboard(model);
  assert.match(html, /poster="scenes\/the%20call%20%232\/keyframe.png"/);
  assert.match(html, /src="javascript%3Aalert\(1\)\/x.mp4"/);
  assert.match(html, /poster="etc\/passwd"/);
  assert.match(html, /src="abs\/clip.mp4"/);
});

test("clips are playable inline videos with the keyframe as poster; the final video leads the page", () => {
  const html = renderStoryboard(englishModel);
  assert.match(
    html,
    /<video controls playsinline muted preload="metadata" poster="scenes\/the-call\/keyframe.png" src="scenes\/the-call\/clip.mp4"/,
  );
  assert.match(
    html,
    /<\/header>\n<main class="grid">\n<section class="card final-cut" aria-label="Final cut"><div class="media"><video controls playsinline preload="metadata" src="grandpas-new-year-surprise.mp4" poster="scenes\/the-call\/keyframe.png">/,
  );
  assert.match(html, /0:36 · <a href="grandpas-new-year-surprise.mp4" download>download<\/a>/);
  const noFinal = renderStoryboard({ ...englishModel, final: undefined });
  assert.match(noFinal, /<section class="card final-cut" aria-label="Final cut"><div class="media empty">not built yet<\/div>/);
});

test("states, the failure reason, placeholder lines and costs are on the cards", () => {
  const html = renderStoryboard(englishModel);
  for (const state of ["cached", "built", "failed", "running", "waiting"]) {
    assert.match(html, new RegExp(`<span class="badge ${state}">${state}</span>`));
  }
  assert.match(html, /<code>scene\/the-train\/clip<\/code>video provider refused the job: 429 rate limited/);
  assert.match(html, /<li class="placeholder"><span class="speaker">Guard<\/span>/);
  assert.match(html, /8 s <span class="k">planned<\/span> · \$0.42/);
  assert.match(html, /<b>\$1.84<\/b> spent/);
  assert.match(renderStoryboard({ ...englishModel, totals: { ...englishModel.totals, saved: 0.004 } }), /<b>&lt;\$0.01<\/b> saved/);
});

test("lang comes from the project's language and CJK text passes through unchanged", () => {
  const html = renderStoryboard(chineseModel);
  assert.match(html, /<html lang="zh-CN">/);
  assert.match(html, /<meta charset="utf-8">/);
  assert.match(html, /<h1>爷爷的新年惊喜<\/h1>/);
  assert.match(html, /<span class="speaker">王爷爷<\/span><span class="text">小伟？你今年不回家了？<\/span>/);
  assert.match(html, /poster="scenes\/%E7%94%B5%E8%AF%9D\/keyframe.png"/);
});

test("the same model gives the same bytes; the version tag changes with the content", () => {
  const a = renderStoryboard(englishModel);
  assert.equal(renderStoryboard(structuredClone(englishModel)), a);
  const b = renderStoryboard({ ...englishModel, builtAt: "2026-11-22 00:01 UTC" });
  assert.notEqual(b, a);
  assert.match(readPageVersion(a), /^[0-9a-f]{16}$/);
  assert.notEqual(readPageVersion(b), readPageVersion(a));
});

test("writeStoryboard replaces build/storyboard.html whole and leaves no temp file", async () => {
  const buildDir = join(await mkdtemp(join(tmpdir(), "dramake-sb-")), "build");
  const first = await writeStoryboard(buildDir, englishModel);
  assert.ok(first.ok);
  assert.equal(first.value, join(buildDir, "storyboard.html"));
  const second = await writeStoryboard(buildDir, chineseModel);
  assert.ok(second.ok);
  assert.equal(await readFile(second.value, "utf8"), renderStoryboard(chineseModel));
  assert.deepEqual(await readdir(buildDir), ["storyboard.html"]);
});

test("a build dir that cannot be written is a typed failure, not an exception", async () => {
  const file = join(await mkdtemp(join(tmpdir(), "dramake-sb-")), "not-a-dir");
  await writeFile(file, "");
  const result = await writeStoryboard(file, englishModel);
  assert.ok(!result.ok);
  assert.equal(result.error.kind, "storyboard-write-failed");
  assert.equal(result.error.path, join(file, "storyboard.html"));
});
