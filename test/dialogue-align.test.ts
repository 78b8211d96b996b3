/**
 * Issue 29, align.ts: the script's lines timed by the transcribed words,
 * case- and punctuation-insensitive, CJK by character; lines where the
 * model said something else are reported with what it said.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { alignLines, tokens, type SpokenWord } from "../src/graph/plan/align.js";

const spoken = (...w: [string, number, number][]): SpokenWord[] => w.map(([word, start, end]) => ({ word, start, end }));

test("tokens: case, punctuation and full-width forms do not matter; CJK is one token a character; apostrophes join", () => {
  assert.deepEqual(tokens("Wei? You are NOT coming home!"), ["wei", "you", "are", "not", "coming", "home"]);
  assert.deepEqual(tokens("Dad, I'm sorry. Work…"), ["dad", "im", "sorry", "work"]);
  assert.deepEqual(tokens("I’m"), tokens("Im"));
  assert.deepEqual(tokens("你不回家过年了吗？"), ["你", "不", "回", "家", "过", "年", "了", "吗"]);
  assert.deepEqual(tokens("ＡＢＣ 123"), ["abc", "123"]);
  assert.deepEqual(tokens("今日はOK"), ["今", "日", "は", "ok"]);
});

test("lines said as written: each line spans its first to its last word; nothing differs", () => {
  const lines = [{ text: "Wei? You are not coming home?" }, { text: "Dad, I'm sorry. Work..." }];
  const words = spoken(["Wei", 0.4, 0.7], ["you", 0.9, 1.0], ["are", 1.0, 1.1], ["not", 1.1, 1.3], ["coming", 1.3, 1.6], ["home?", 1.6, 2.0], ["Dad,", 2.6, 2.9], ["I'm", 3.0, 3.2], ["sorry.", 3.2, 3.6], ["Work", 3.9, 4.3]);
  const a = alignLines(lines, words, 5);
  assert.deepEqual(
    a.lines.map((l) => [l.start, l.end, l.differs, l.matched]),
    [
      [0.4, 2.0, false, 1],
      [2.6, 4.3, false, 1],
    ],
  );
  assert.equal(a.differing.length, 0);
  assert.equal(a.lines[1]!.said, "Dad, I'm sorry. Work");
});

test("a changed word, a dropped word and an added word each make the line differ, with what was said", () => {
  const lines = [{ text: "Wei? You are not coming home?" }, { text: "Then I will come to you." }, { text: "Goodbye." }];
  const words = spoken(
    ["Wei,", 0.2, 0.5], ["you're", 0.6, 0.9], ["not", 0.9, 1.1], ["coming", 1.1, 1.4], ["home?", 1.4, 1.8],
    ["Then", 2.0, 2.2], ["um", 2.2, 2.4], ["I", 2.4, 2.5], ["will", 2.5, 2.7], ["come", 2.7, 2.9], ["to", 2.9, 3.0], ["you", 3.0, 3.3],
    ["Goodbye", 3.8, 4.4],
  );
  const a = alignLines(lines, words, 5);
  assert.deepEqual(a.differing.map((l) => l.index), [0, 1]);
  assert.equal(a.lines[0]!.said, "Wei, you're not coming home?");
  assert.ok(a.lines[0]!.matched < 1 && a.lines[0]!.matched > 0.5);
  assert.match(a.lines[1]!.said, /\bum\b/);
  assert.equal(a.lines[1]!.matched, 1, "every written word was said; the extra one is what differs");
  assert.deepEqual([a.lines[1]!.start, a.lines[1]!.end], [2.0, 3.3]);
  assert.equal(a.lines[2]!.differs, false);
  assert.deepEqual([a.lines[2]!.start, a.lines[2]!.end], [3.8, 4.4]);
});

test("Chinese by character: Whisper's multi-character words share their time; spans follow the characters", () => {
  const lines = [{ text: "你不回家过年了吗？" }, { text: "爸，对不起。" }];
  const words = spoken(["你不回家", 0.5, 1.3], ["过年了吗", 1.3, 2.1], ["爸", 2.8, 3.0], ["对不起", 3.2, 3.8]);
  const a = alignLines(lines, words, 4);
  assert.equal(a.differing.length, 0);
  assert.deepEqual(a.lines.map((l) => [l.start, l.end]), [[0.5, 2.1], [2.8, 3.8]]);
  // A character the model got wrong differs; the others still time the line.
  const wrong = alignLines([{ text: "你不回家过年了吗？" }], spoken(["你不回家", 0.5, 1.3], ["过年了么", 1.3, 2.1]), 4);
  assert.equal(wrong.lines[0]!.differs, true);
  assert.equal(wrong.lines[0]!.matched, 7 / 8);
  assert.deepEqual([wrong.lines[0]!.start, wrong.lines[0]!.end], [0.5, 2.1]);
});

test("a line the model never said is unheard: it differs and takes the gap between its neighbours", () => {
  const lines = [{ text: "Wei?" }, { text: "You are not coming home?" }, { text: "I see." }];
  const a = alignLines(lines, spoken(["Wei?", 0.5, 0.9], ["I", 3.0, 3.2], ["see.", 3.2, 3.6]), 6);
  assert.deepEqual(a.differing.map((l) => [l.index, l.unheard]), [[1, true]]);
  assert.deepEqual([a.lines[1]!.start, a.lines[1]!.end], [0.9, 3.0]);
  assert.equal(a.lines[1]!.said, "");
});

test("every cue lies inside the shot and in order, whatever the times say", () => {
  const lines = [{ text: "One two." }, { text: "Three four." }];
  const a = alignLines(lines, spoken(["one", -0.2, 0.3], ["two", 0.3, 0.8], ["three", 0.7, 1.2], ["four", 1.2, 9.5]), 5);
  for (const l of a.lines) assert.ok(l.start >= 0 && l.end <= 5 && l.start <= l.end, JSON.stringify(l));
  assert.ok(a.lines[1]!.start >= a.lines[0]!.end);
  assert.equal(a.lines[1]!.end, 5);
  // Nothing said at all: every line unheard, spread over the shot without overlap.
  const none = alignLines(lines, [], 5);
  assert.deepEqual(none.lines.map((l) => l.unheard), [true, true]);
  assert.deepEqual(none.lines.map((l) => [l.start, l.end]), [[0, 2.5], [2.5, 5]]);
});
