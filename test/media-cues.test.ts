/** Cues: a line split by reading speed never loses a character, respects cps, max_lines and max_chars, and is timed inside its voice. */
import assert from "node:assert/strict";
import test from "node:test";
import { MAX_CUE_SECONDS, readingFor, readingSeconds, scriptCounts, splitLine, wrapCue, type Reading } from "../src/media/cues.js";
import { parseSrt, subtitleLayout, writeSubtitles } from "../src/media/subtitles.js";

const ISSUE_LINE = "I have been saving every coin to pay for my mother's hospital bills, and now you want me to disappear.";
const LONG_EN =
  "Grandfather, listen to me carefully, because I am only going to say this once: the train leaves at six, the tickets are in the red envelope under the rice jar, and if anyone at the station asks, you are visiting your sister in Wuhan for the rest of the year.";
const LONG_ZH =
  "爸爸，对不起，今年公司的项目实在太忙了，我真的没办法回家过年。你和妈妈一定要照顾好自己，别舍不得开暖气，药要按时吃。等我忙完这阵子，一定第一时间买票回去看你们，好吗？";
const LINE_200 = ("Supercalifragilistic words, long sentences; and more: " + "the quick brown fox jumps over the lazy dog again and again ").repeat(3).slice(0, 200);
const ZH_200 = "一二三四五六七八九十，甲乙丙丁戊己庚辛壬癸。".repeat(10).slice(0, 200);
const MIXED = "他说：“Let's go to Beijing tomorrow morning!”然后就走了，没有回头，also no goodbye at all.";

const CASES: [string, string][] = [
  ["en", ISSUE_LINE],
  ["en", LONG_EN],
  ["zh-CN", LONG_ZH],
  ["en", LINE_200],
  ["zh", ZH_200],
  ["zh", MIXED],
  ["en", "  Leading and trailing spaces  survive as slices.  "],
  ["en", "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-letters is one word."],
];

function check(text: string, reading: Reading, widthEm: number, window = { start: 1, end: 13.8 }) {
  const room = { maxChars: reading.maxChars, widthEm };
  const { cues } = splitLine(text, window, reading, room);
  const where = `${JSON.stringify(text.slice(0, 30))} at ${widthEm} em, ${reading.maxLines} lines`;
  // Every character is in exactly one cue: the slices cover the line in order.
  assert.equal(cues.map((c) => text.slice(c.from, c.to)).join(""), text, where);
  assert.equal(cues[0]!.from, 0);
  for (const [i, c] of cues.entries()) {
    assert.equal(c.text, text.slice(c.from, c.to).trim(), where);
    if (i > 0) assert.equal(c.from, cues[i - 1]!.to, where);
    assert.ok(!c.text.includes("…") || text.includes("…"), `no ellipsis added: ${c.text}`);
    assert.ok(c.lines.length <= reading.maxLines || c.text.split(/\s+/).length === 1, `${where}: ${JSON.stringify(c.lines)} has too many lines`);
    // The lines of a cue are its text again, broken only where spaces were (or between CJK characters).
    assert.equal(c.lines.join("").replace(/\s+/g, ""), c.text.replace(/\s+/g, ""), where);
    for (const l of c.lines) {
      const n = scriptCounts(l);
      assert.ok(n.latin / reading.maxChars.latin + n.cjk / reading.maxChars.cjk <= 1 + 1e-9 || !/\s/.test(l), `${where}: line ${JSON.stringify(l)} over max_chars`);
    }
    assert.ok(c.start >= window.start - 1e-9 && c.end <= window.end + 1e-9 && c.end > c.start, `${where}: cue inside the voice`);
  }
  assert.equal(cues[0]!.start, window.start);
  assert.equal(cues.at(-1)!.end, window.end);
  // Never inside a word: each word of the line is whole in one cue.
  const words = text.split(/\s+/).filter(Boolean);
  const cueWords = cues.flatMap((c) => c.text.split(/\s+/).filter(Boolean));
  if (!/[\u4e00-\u9fff]/.test(text)) assert.deepEqual(cueWords, words, `${where}: words intact`);
  return cues;
}

test("no cue ever loses text: long English, long Chinese, 200-character lines, mixed scripts, at many widths and line counts", () => {
  let total = 0;
  for (const [lang, text] of CASES) {
    for (const widthEm of [6, 9, 12.5, 20]) {
      for (const maxLines of [1, 2, 3]) {
        const cues = check(text, readingFor(lang, { maxLines }), widthEm);
        total += cues.length;
      }
    }
  }
  assert.ok(total > CASES.length * 12, `lines were split (${total} cues)`);
});

test("the issue's 76-character line in a 12.8 s voice: several cues, none longer than 7 s, the last word on screen", () => {
  const r = readingFor("en");
  const cues = check(ISSUE_LINE, r, 12, { start: 0, end: 12.8 });
  assert.ok(cues.length >= 2, `${cues.length} cues`);
  for (const c of cues) assert.ok(c.end - c.start <= MAX_CUE_SECONDS + 1e-9, `${c.text}: ${(c.end - c.start).toFixed(2)} s`);
  assert.match(cues.at(-1)!.text, /disappear\.$/);
  // No orphan: a last cue is not a lone word flashing after a full one (greedy filling left "disappear." alone here).
  const longer = "I have been saving every coin for two years to pay my mother's hospital bills, and now you want me to just disappear.";
  const c2 = check(longer, r, 12, { start: 1, end: 13.8 });
  assert.ok(readingSeconds(c2.at(-1)!.text, r) >= 0.3 * readingSeconds(c2.at(-2)!.text, r), c2.map((c) => c.text).join(" | "));
});

test("cues respect cps: with time enough, each cue stays up at least its reading time; a voice faster than cps is reported", () => {
  for (const [lang, text] of CASES.slice(0, 5)) {
    const r = readingFor(lang);
    const need = readingSeconds(text, r);
    const roomy = { start: 2, end: 2 + need * 1.05 };
    const { cues, pace } = splitLine(text, roomy, r, { maxChars: r.maxChars, widthEm: 10 });
    assert.ok(pace <= 1, `${lang}: pace ${pace}`);
    for (const c of cues) assert.ok(readingSeconds(c.text, r) <= c.end - c.start + 1e-6, `${c.text}: ${readingSeconds(c.text, r).toFixed(2)} s to read, shown ${(c.end - c.start).toFixed(2)} s`);
    const tight = splitLine(text, { start: 0, end: need / 2 }, r, { maxChars: r.maxChars, widthEm: 10 });
    assert.ok(Math.abs(tight.pace - 2) < 1e-6, `too fast by 2x: ${tight.pace}`);
  }
  // cps is the project language's: Chinese counts characters at 9/s by default, 4/s when asked.
  assert.equal(readingSeconds("一二三四五六七八九", readingFor("zh")), 1);
  assert.equal(readingSeconds("一二三四", readingFor("zh", { cps: 4 })), 1);
  assert.equal(readingSeconds("a".repeat(17), readingFor("zh", { cps: 4 })), 1, "Latin in a Chinese project keeps the Latin default");
  assert.equal(readingSeconds("a".repeat(10), readingFor("en", { cps: 10 })), 1);
});

test("max_lines and max_chars change the split: one line per cue gives more cues, each one line of at most max_chars", () => {
  const two = splitLine(LONG_EN, { start: 0, end: 20 }, readingFor("en"), { maxChars: readingFor("en").maxChars, widthEm: 30 }).cues;
  const r1 = readingFor("en", { maxLines: 1, maxChars: 20 });
  const one = check(LONG_EN, r1, 30, { start: 0, end: 20 });
  assert.ok(one.length > two.length, `${one.length} > ${two.length}`);
  for (const c of one) {
    assert.equal(c.lines.length, 1, JSON.stringify(c.lines));
    assert.ok(c.text.length <= 20, c.text);
  }
  const zh = check(LONG_ZH, readingFor("zh", { maxChars: 8, maxLines: 1 }), 30, { start: 0, end: 20 });
  for (const c of zh) assert.ok([...c.text].length <= 8 + 2, `${c.text}: 8 characters and its punctuation`);
});

test("breaks fall at punctuation first: a sentence end beats a comma beats a plain space", () => {
  const text = "He stood at the door for a long time. Then, slowly, he knocked twice and waited for an answer.";
  const r = readingFor("en", { maxLines: 1, maxChars: 42 });
  const { cues } = splitLine(text, { start: 0, end: 6 }, r, { maxChars: r.maxChars, widthEm: 40 });
  assert.equal(cues[0]!.text, "He stood at the door for a long time.");
  const zh = splitLine("我们走吧，天快黑了，路上小心。", { start: 0, end: 3 }, readingFor("zh", { maxLines: 1, maxChars: 10 }), { maxChars: { latin: 42, cjk: 10 }, widthEm: 40 });
  assert.equal(zh.cues[0]!.text, "我们走吧，天快黑了，");
});

test("wrapCue breaks CJK between characters and never starts a line with closing punctuation", () => {
  const lines = wrapCue("没关系，没关系。你忙你的，照顾好自己。", { maxChars: { latin: 42, cjk: 16 }, widthEm: 5 });
  for (const l of lines) assert.doesNotMatch(l, /^[，。]/, JSON.stringify(lines));
  assert.equal(lines.join(""), "没关系，没关系。你忙你的，照顾好自己。");
});

test("writeSubtitles: the ASS events and the SRT are the same cues, and together they hold every character of every line", () => {
  const lines = [
    { speaker: "Wei", text: LONG_EN },
    { speaker: "王爷爷", text: LONG_ZH },
  ];
  const timings = [
    { index: 0, start: 0.5, end: 14 },
    { index: 1, start: 14.5, end: 40 },
  ];
  const s = writeSubtitles(lines, timings, { language: "zh", size: { width: 360, height: 640 } });
  const events = s.ass.split("\n").filter((l) => l.startsWith("Dialogue:"));
  const srt = parseSrt(s.srt);
  assert.equal(events.length, srt.length);
  assert.ok(srt.length >= 6, `${srt.length} cues`);
  assert.deepEqual(srt.map((c) => c.text), s.cues.map((c) => c.text));
  const spoken = srt.map((c) => c.text.replace(/^(Wei|王爷爷): /, "")).join("").replace(/\s+/g, "");
  assert.equal(spoken, (LONG_EN + LONG_ZH).replace(/\s+/g, ""));
  // The ASS holds the same text (its \N line breaks aside).
  const assText = events.map((e) => e.split(",,")[1]!.replace(/^\{[^}]*\}[^{]*\{\\r\}\\N/, "").replace(/\\N/g, "")).join("").replace(/\s+/g, "");
  assert.equal(assText, spoken);
  assert.ok(!s.ass.includes("…") && !s.srt.includes("…"), "no ellipsis anywhere");
  for (const c of srt) assert.ok(c.end - c.start <= MAX_CUE_SECONDS + 0.36, `${c.text}: ${c.end - c.start}`);
  // The English line needs 15.1 s to read at 17 cps and is spoken in 13.5 s: reported, not cut.
  assert.deepEqual(s.fast.map((f) => [f.index, Math.round(f.pace * 100) / 100]), [[0, Math.round((LONG_EN.trim().length / 17 / 13.5) * 100) / 100]]);
});
