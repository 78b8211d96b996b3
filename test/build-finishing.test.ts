/**
 * Issue 32 wired into the steps, through `dramake build` on the tiny offline
 * project (180x320, 12 fps): soft subtitles (a track, no burned text), title
 * hook and end cards joined around the scenes with the captions shifted,
 * the cover, a delivery probed and measured, and the reruns each edit causes
 * (counted from the build's own step events).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseSrt } from "../src/media/subtitles.js";
import { measureLoudness } from "../src/media/deliver.js";
import { presetFor } from "../src/media/presets.js";
import { safeRect } from "../src/media/safe-area.js";
import { copyFixture, editProject, runCli, stepsIn } from "./build-helpers.js";
import { frameAt, must, probed, rowDiff, scratch, signal } from "./media-helpers.js";

const W = 180;
const H = 320;
/** Seconds of cards before the first scene: the hook's and the title's. */
const LEAD = 2;
const END = "下一集：火车站的告别，她终于说出了那句藏了二十年的话";

/** How many pixels of rows [fromRow, toRow) changed by more than 60 in some channel. */
function changed(a: Uint8Array, b: Uint8Array, fromRow: number, toRow: number): number {
  let n = 0;
  for (let p = fromRow * W; p < toRow * W; p++) {
    if ([0, 1, 2].some((c) => Math.abs(a[p * 3 + c]! - b[p * 3 + c]!) > 60)) n++;
  }
  return n;
}

/** The bounding box of pixels brighter than `over` (any channel mean), or undefined when none. */
function brightBox(rgb: Uint8Array, over = 170): { x0: number; y0: number; x1: number; y1: number } | undefined {
  let box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 3;
      if ((rgb[i]! + rgb[i + 1]! + rgb[i + 2]!) / 3 <= over) continue;
      box = box ? { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x), y1: Math.max(box.y1, y) } : { x0: x, y0: y, x1: x, y1: y };
    }
  }
  return box;
}

test("finishing: cards, soft subtitles, cover and a delivery through dramake build, and what each edit reruns", async (t) => {
  const dir = await copyFixture("builds/tiny");
  const tmp = await scratch("finishing");
  await appendFile(
    join(dir, "drama.yaml"),
    [
      "subtitles: { burn: false, max_chars: 12, max_lines: 1, cps: 4 }",
      `cards: { title: { seconds: 1 }, hook: { text: "What will she do?", seconds: 1 }, end: { text: "${END}", seconds: 1.5 } }`,
      "cover: { shot: scene/hello, title: true }",
      "deliver:",
      "  - { name: small, size: 180x320, fps: 12 }",
      "",
    ].join("\n"),
  );
  const out = (f: string) => join(dir, "build", f);
  const cutLength = async (id: string) => (await probed(out(`scenes/${id}/cut.mp4`))).duration;

  await t.test("the final joins hook, title, scenes and end card; its captions start after the leading cards and are a soft track", async () => {
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    for (const id of ["card/hook", "card/title", "card/end", "cover", "deliver/small"]) assert.ok(stepsIn(r.stdout, "ran").includes(id), `${id} ran`);
    const final = await probed(out("tiny-test.mp4"));
    const scenes = (await cutLength("hello")) + (await cutLength("think")) + (await cutLength("bye"));
    // hook 1 s + title 1 s before, end 1.5 s after: whole frames at 12 fps.
    assert.ok(Math.abs(final.duration - (scenes + 3.5)) < 1.5 / 12, `final ${final.duration} s, scenes ${scenes} s + 3.5 s of cards`);
    const kinds = final.streams.map((s) => s.codec);
    assert.deepEqual(kinds, ["h264", "aac", "mov_text"], "picture, sound and a soft subtitle track");
    const cues = parseSrt(await readFile(out("tiny-test.srt"), "utf8"));
    const hi = cues.find((c) => c.text.startsWith("Ann: Hi."))!;
    assert.ok(hi.start >= LEAD && hi.start < LEAD + (await cutLength("hello")), `Hi. at ${hi.start} s, after ${LEAD} s of cards`);
    // max_chars 12, one line per cue: the narration is split, and not a character is lost.
    const [hello, think] = [await cutLength("hello"), await cutLength("think")];
    const narration = cues.filter((c) => c.start >= LEAD + hello - 0.01 && c.end <= LEAD + hello + think + 0.01);
    assert.ok(narration.length >= 3, `narration in ${narration.length} cues: ${JSON.stringify(narration)}`);
    assert.equal(narration.map((c) => c.text).join(" "), "He thinks about the meeting.");
    for (const c of narration) assert.ok(c.text.length <= 12, `cue '${c.text}' over 12 characters`);
    // cps 4: "Hello." (6 characters, 1.5 s to read) is spoken in well under a second: a warning at that line.
    const yaml = (await readFile(join(dir, "drama.yaml"), "utf8")).split("\n");
    const row = yaml.findIndex((l) => l.includes("- bob: Hello.")) + 1;
    const col = yaml[row - 1]!.indexOf("bob") + 1;
    assert.match(r.stderr, new RegExp(`drama\\.yaml:${row}:${col}: warning: scene hello line 2 is spoken [\\d.]+x faster than its captions can be read`));
  });

  await t.test("cards are rendered: the CJK end card's text lies inside the delivery's safe area, title and hook are set", async () => {
    const rect = safeRect(presetFor({ name: "small" }).safeArea, { width: W, height: H });
    const final = await probed(out("tiny-test.mp4"));
    const end = brightBox(await frameAt(out("tiny-test.mp4"), final.duration - 0.7, join(tmp, "end.rgb")));
    assert.ok(end, "the end card shows text");
    assert.ok(end.x0 >= rect.x0 && end.x1 < rect.x1 && end.y0 >= rect.y0 && end.y1 < rect.y1, `end card text ${JSON.stringify(end)} inside ${JSON.stringify(rect)}`);
    // Wrapped, not cut: a long CJK line takes several rows of text.
    assert.ok(end.y1 - end.y0 > 30, `end card text ${end.y1 - end.y0} px tall: wrapped over lines`);
    const title = brightBox(await frameAt(out("tiny-test.mp4"), 1.5, join(tmp, "title.rgb")));
    assert.ok(title && title.y0 >= rect.y0 && title.y1 < rect.y1, `title text ${JSON.stringify(title)}`);
    const hook = brightBox(await frameAt(out("tiny-test.mp4"), 0.5, join(tmp, "hook.rgb")), 200);
    assert.ok(hook && hook.y0 > H * 0.3 && hook.y1 < H * 0.7, `hook text ${JSON.stringify(hook)} in the middle`);
  });

  await t.test("the delivery probes at its size and fps, measures at -14 LUFS within 0.5 LU under -1 dBTP, with the cover and the subtitle track", async () => {
    const d = await probed(out("tiny-test.small.mp4"));
    assert.equal(d.video?.width, W);
    assert.equal(d.video?.height, H);
    assert.equal(d.video?.fps, 12);
    assert.ok(d.streams.some((s) => s.codec === "mov_text"), "soft subtitles delivered");
    assert.ok(d.streams.some((s) => s.codec === "png"), "the cover embedded");
    const loud = must(await measureLoudness(out("tiny-test.small.mp4"), signal));
    assert.ok(Math.abs(loud.integrated - -14) <= 0.5, `integrated ${loud.integrated} LUFS`);
    assert.ok(loud.truePeak <= -1, `true peak ${loud.truePeak} dBTP`);
    const cover = await probed(out("tiny-test.cover.png"));
    assert.equal(cover.video?.width, W);
    assert.equal(cover.video?.height, H);
    // The storyboard shows it: the final cut's poster and a link.
    const board = await readFile(out("storyboard.html"), "utf8");
    assert.match(board, /poster="tiny-test\.cover\.png"/);
    assert.match(board, /<a href="tiny-test\.cover\.png">cover<\/a>/);
  });

  await t.test("a caption-only edit with burn: false leaves the cuts alone", async () => {
    await editProject(dir, "max_chars: 12, max_lines: 1", "max_chars: 30, max_lines: 3");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), ["deliver/small", "final", "scene/bye/subtitles", "scene/hello/subtitles", "scene/think/subtitles"]);
    assert.match(await readFile(out("tiny-test.srt"), "utf8"), /\nHe thinks about the meeting\.\n/, "one cue now");
  });

  await t.test("a cover edit reruns the cover (and the delivery that embeds it), nothing else", async () => {
    const before = await frameAt(out("tiny-test.cover.png"), 0, join(tmp, "cover1.rgb"));
    await editProject(dir, "cover: { shot: scene/hello, title: true }", "cover: { shot: scene/hello, title: false }");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), ["cover", "deliver/small"]);
    const after = await frameAt(out("tiny-test.cover.png"), 0, join(tmp, "cover2.rgb"));
    assert.ok(rowDiff(before, after, W, 0, H) > 1, "the title is gone from the cover");
  });

  await t.test("adding a delivery runs only that delivery", async () => {
    await editProject(dir, "  - { name: small, size: 180x320, fps: 12 }\n", "  - { name: small, size: 180x320, fps: 12 }\n  - { name: half, size: 90x160, fps: 6 }\n");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), ["deliver/half"]);
    const d = await probed(out("tiny-test.half.mp4"));
    assert.deepEqual([d.video?.width, d.video?.height, d.video?.fps], [90, 160, 6]);
  });

  await t.test("an episode longer than a delivery allows is refused at deliver: before anything runs (exit 2)", async () => {
    await editProject(dir, "{ name: half, size: 90x160, fps: 6 }", "{ name: half, size: 90x160, fps: 6, max_seconds: 5 }");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /drama\.yaml:\d+:\d+/);
    assert.match(r.stderr, /at most 5 s/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.deepEqual(stepsIn(r.stdout, "ran"), []);
    await editProject(dir, ", max_seconds: 5 }", " }");
  });

  await t.test("burn: true puts the captions back into the picture: the cuts differ in the caption band only", async () => {
    const at = parseSrt(await readFile(out("tiny-test.srt"), "utf8")).find((c) => c.text.startsWith("Ann: Hi."))!;
    const t0 = (at.start + at.end) / 2 - LEAD;
    const soft = await frameAt(out("scenes/hello/cut.mp4"), t0, join(tmp, "soft.rgb"));
    await editProject(dir, "burn: false", "burn: true");
    const r = await runCli(["build", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const ran = stepsIn(r.stdout, "ran");
    for (const id of ["scene/hello/cut", "scene/think/cut", "scene/bye/cut", "final", "deliver/small", "deliver/half"]) assert.ok(ran.includes(id), `${id} reran`);
    assert.ok(!ran.some((id) => id.includes("/voice/") || id.includes("keyframe") || id.startsWith("card/")), `nothing generated again: ${ran}`);
    const burned = await frameAt(out("scenes/hello/cut.mp4"), t0, join(tmp, "burned.rgb"));
    const rect = safeRect(presetFor({ name: "small" }).safeArea, { width: W, height: H });
    // Above the captions' band nothing changed; in it, above the safe area's bottom, text appeared.
    assert.equal(changed(soft, burned, 0, Math.round(H * 0.45)), 0, "the picture above the captions is the same");
    const inBand = changed(soft, burned, Math.round(H * 0.45), rect.y1);
    assert.ok(inBand > 40, `burned text in the caption band: ${inBand} pixels changed`);
    assert.equal(changed(soft, burned, rect.y1, H), 0, "nothing under the safe area");
    assert.deepEqual((await probed(out("tiny-test.mp4"))).streams.map((s) => s.codec), ["h264", "aac"], "no soft track when burned");
  });

  await t.test("dramake retake card/title makes a new take of that card only, written in cards: take", async () => {
    const before = await frameAt(out("tiny-test.mp4"), 1.5, join(tmp, "title1.rgb"));
    const r = await runCli(["retake", "card/title", dir, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(stepsIn(r.stdout, "ran"), ["card/title", "deliver/half", "deliver/small", "final"]);
    assert.match(await readFile(join(dir, "drama.yaml"), "utf8"), /^cards: .*take: \{ title: 2 \}/m);
    const after = await frameAt(out("tiny-test.mp4"), 1.5, join(tmp, "title2.rgb"));
    assert.ok(rowDiff(before, after, W, 0, H) > 1, "another background behind the title");
  });
});
