import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { filterValue } from "../src/media/escape.js";
import { findFonts } from "../src/media/fonts.js";
import { runFfmpeg } from "../src/media/run.js";
import { concatSrt, parseSrt, writeSubtitles } from "../src/media/subtitles.js";
import { textWidthEm, wrapText } from "../src/media/text-layout.js";
import { digest, run, scratch, TINY } from "./media-helpers.js";

test("wrapText keeps every line within the width, breaks CJK anywhere but before closing punctuation", () => {
  const zh = "没关系，没关系。你忙你的，照顾好自己，别太累了，爸爸在家等你。";
  const lines = wrapText(zh, 8);
  assert.ok(lines.length >= 4);
  assert.equal(lines.join(""), zh, "nothing lost or added");
  for (const l of lines) {
    assert.ok(textWidthEm(l) <= 9, `${l} too wide`);
    assert.doesNotMatch(l, /^[，。]/, "no line starts with closing punctuation");
  }
  assert.deepEqual(wrapText("Dad, I'm sorry. Work...", 7), ["Dad, I'm", "sorry.", "Work..."]);
  assert.deepEqual(wrapText("one\ntwo", 20), ["one", "two"], "explicit newlines kept");
  const cut = wrapText("a b c d e f g h i j k l m n o p", 3, 2);
  assert.equal(cut.length, 2);
  assert.match(cut[1]!, /…$/);
});

test("wrapText: for any text, lines fit (one em of slack) and all non-space characters survive", () => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom("a", "W", " ", "国", "，", "-", "x", "\n"), maxLength: 80 }), fc.integer({ min: 3, max: 30 }), (text, width) => {
      const lines = wrapText(text, width);
      for (const l of lines) assert.ok(textWidthEm(l) <= width + 1, JSON.stringify({ text, width, l }));
      assert.equal(lines.join("").replace(/\s/g, ""), text.replace(/\s/g, ""));
    }),
  );
});

test("drawtext with escaped inline text draws exactly what a textfile with the same text draws", async () => {
  const dir = await scratch("escape");
  const font = findFonts().latin ?? findFonts().cjk;
  assert.ok(font, "a font is needed to draw text");
  const nasty = [
    `it's "quoted" 100% done: a\\b, [x]; {y} 'z'`,
    `%{localtime} %% \\n literal`,
    "two\nlines: here",
    `C:\\path\\to\\file.txt, a=b:c=d`,
  ];
  for (const [i, text] of nasty.entries()) {
    const file = join(dir, `t${i}.txt`);
    await writeFile(file, text);
    const draw = (source: string, out: string) =>
      runFfmpeg(
        ["-f", "lavfi", "-i", `color=c=black:s=320x120:d=1,drawtext=expansion=none:fontfile=${filterValue(font.file)}:${source}:fontsize=16:fontcolor=white:x=4:y=4`, "-frames:v", "1", out],
        run,
      );
    const a = await draw(`text=${filterValue(text)}`, join(dir, `inline${i}.png`));
    const b = await draw(`textfile=${filterValue(file)}`, join(dir, `file${i}.png`));
    assert.ok(a.ok && b.ok, JSON.stringify([a, b]));
    assert.equal(await digest(join(dir, `inline${i}.png`)), await digest(join(dir, `file${i}.png`)), `text ${JSON.stringify(text)}`);
  }
});

test("writeSubtitles: ASS at the frame's resolution, CJK wrapped with \\N, override characters neutralised; SRT alongside", () => {
  const lines = [
    { speaker: "王爷爷", text: "没关系，没关系。你忙你的，照顾好自己，别太累了。" },
    { speaker: "Wei", text: "Dad, I'm {sorry}. \\N Work..." },
  ];
  const timings = [
    { index: 0, start: 0.25, end: 2.5 },
    { index: 1, start: 2.6, end: 4.0 },
  ];
  const s = writeSubtitles(lines, timings, { language: "zh-CN", size: TINY });
  assert.match(s.ass, /PlayResX: 180\nPlayResY: 320/);
  assert.equal(s.fontFamily, findFonts().cjk?.family ?? s.fontFamily);
  const events = s.ass.split("\n").filter((l) => l.startsWith("Dialogue:"));
  const cues = parseSrt(s.srt);
  // The long Chinese line does not fit two lines of this tiny frame: it becomes several cues, none cut.
  assert.equal(events.length, cues.length);
  assert.ok(cues.length >= 3, `${cues.length} cues`);
  assert.match(events[0]!, /^Dialogue: 0,0:00:00\.25,/);
  assert.match(events.at(-2)!, /,0:00:02\.59,Default,/, "the line's last cue is held until just before the next line");
  assert.ok(events[0]!.split("\\N").length >= 2, "label plus wrapped CJK");
  const text1 = events.at(-1)!.slice(events.at(-1)!.indexOf("{\\r}") + 4);
  assert.ok(text1.includes("\\{sorry\\}"), `braces escaped: ${text1}`);
  assert.doesNotMatch(text1, /(^|[^\\])[{}]/, "no brace can open an override block");
  assert.ok(text1.includes("\\\u2060N"), "a user backslash is followed by a word joiner, so it cannot start \\N");
  assert.equal(cues.slice(0, -1).map((c) => c.text).join(""), `王爷爷: ${lines[0]!.text}`);
  assert.deepEqual([cues.at(-1)!.start, cues.at(-1)!.end, cues.at(-1)!.text], [2.6, 4.35, `Wei: ${lines[1]!.text}`]);
  const starts = cues.map((c) => c.start);
  const episode = parseSrt(concatSrt([{ srt: s.srt, offset: 0 }, { srt: s.srt, offset: 10 }]));
  assert.deepEqual(episode.map((c) => c.start), [...starts, ...starts.map((t) => Math.round((t + 10) * 1000) / 1000)]);
});

test("camera words become moves: push-in zooms in, pull-out zooms out, pans move the view, static holds", async () => {
  const { cameraMove } = await import("../src/media/pan.js");
  const push = cameraMove("slow push-in");
  assert.equal(push.name, "push-in");
  assert.ok(push.zoom[1] > push.zoom[0]);
  assert.ok(cameraMove("fast push in").zoom[1] > push.zoom[1], "fast moves further than slow");
  const pull = cameraMove("Pull back to reveal the station");
  assert.equal(pull.name, "pull-out");
  assert.ok(pull.zoom[1] < pull.zoom[0]);
  const left = cameraMove("pan left across the room");
  assert.ok(left.cx[1] < left.cx[0], "pan left: the view centre moves left");
  assert.ok(cameraMove("pan right").cx[1] > 0.5);
  assert.ok(cameraMove("tilt up").cy[1] < 0.5);
  assert.deepEqual(cameraMove("static wide shot").zoom, [1, 1]);
  assert.equal(cameraMove("handheld, intimate").name, "push-in", "unknown words: a gentle push-in, never a frozen frame");
});
