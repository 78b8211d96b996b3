/** Terminal columns of CJK text, and a live block that never wraps because of it. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { columns, fitColumns } from "../src/report/terminal-width.js";
import { terminalReporter } from "../src/report/terminal.js";

test("columns: CJK and full-width take two, combining marks and zero-width none", () => {
  assert.equal(columns("abc"), 3);
  assert.equal(columns("茶馆奇缘"), 8);
  assert.equal(columns("ｆｕｌｌ"), 8);
  assert.equal(columns("한국어"), 6);
  assert.equal(columns("e\u0301"), 1, "e + combining acute");
  assert.equal(columns("a\u200bb"), 2, "zero-width space");
  assert.equal(columns("…"), 1);
});

test("fitColumns cuts at a column, never inside a wide character, and marks the cut", () => {
  assert.equal(fitColumns("short", 10), "short");
  assert.equal(fitColumns("茶馆奇缘茶馆奇缘", 9), "茶馆奇缘…");
  assert.equal(columns(fitColumns("茶馆奇缘茶馆奇缘", 10)), 9);
  assert.equal(fitColumns("abcdefghij", 6), "abcde…");
});

test("the live block's lines fit the terminal with CJK progress notes, so redraws erase exactly what they drew", () => {
  const chunks: string[] = [];
  const out = { isTTY: true, columns: 41, write: (t: string) => chunks.push(t) };
  const r = terminalReporter(out, { color: false });
  r.event({ type: "started", id: "scene/茶馆/voice/1", reasons: [{ kind: "new" }], remote: false });
  r.event({ type: "started", id: "scene/茶馆/clip", reasons: [{ kind: "new" }], remote: false });
  r.event({ type: "progress", id: "scene/茶馆/clip", fraction: 0.5, message: "正在生成视频，请稍候，这需要一点时间" });
  r.event({ type: "finished", id: "scene/茶馆/voice/1", ms: 3, cost: 0, reasons: [] });
  r.close();
  const drawn = chunks.join("").replace(/\x1b\[\d+F\x1b\[0J/g, "\n").split("\n").filter(Boolean);
  assert.ok(drawn.some((l) => l.includes("正在")), "the note is shown");
  for (const line of drawn) assert.ok(columns(line) <= 40, `${columns(line)} columns: ${line}`);
});
