/** formatDiagnostics: position, 3-line frame, underline under the right characters, allowed, colour only on request. */
import { test } from "node:test";
import assert from "node:assert/strict";
import kleur from "kleur";
import { formatDiagnostics, type Diagnostic } from "../src/project/diagnostic.js";

const file = "/project/drama.yaml";
const source = ["dramake: 1", "title: Test", "scences:", "  - id: a"].join("\n");

function diag(over: Partial<Diagnostic>): Diagnostic {
  return { file, line: 3, col: 1, offset: 23, length: 7, message: "unknown key 'scences' (did you mean 'scenes'?)", allowed: "dramake, title, scenes", code: "unknown-key", severity: "error", ...over };
}

test("a diagnostic prints as path:line:col, a 3-line frame with an underline, then what is allowed", () => {
  const text = formatDiagnostics([diag({})], { [file]: source }, { color: false, cwd: "/project" });
  assert.equal(
    text,
    [
      "drama.yaml:3:1: error: unknown key 'scences' (did you mean 'scenes'?)",
      "  2 | title: Test",
      "> 3 | scences:",
      "    | ^^^^^^^",
      "  4 |   - id: a",
      "  allowed: dramake, title, scenes",
      "",
      "1 error",
      "",
    ].join("\n"),
  );
});

test("the underline sits under wide (CJK) characters and tabs correctly", () => {
  const cjk = "title: 茶馆奇缘\nlanguage: zh-CN\n";
  const text = formatDiagnostics([diag({ line: 1, col: 9, offset: 8, length: 2, message: "m", allowed: undefined })], { [file]: cjk }, { color: false, cwd: "/" });
  const lines = text.split("\n");
  const code = lines.find((l) => l.startsWith("> 1 |"))!;
  const underline = lines[lines.indexOf(code) + 1]!;
  // "title: 茶" is 7 narrow + 1 wide = 9 columns before the underlined "馆奇" (4 columns).
  assert.equal(underline, `    | ${" ".repeat(9)}^^^^`);
  assert.equal(code, "> 1 | title: 茶馆奇缘");

  const tabbed = "a:\n\tb: 1\n";
  const t = formatDiagnostics([diag({ line: 2, col: 2, offset: 4, length: 1, message: "m", allowed: undefined })], { [file]: tabbed }, { color: false, cwd: "/" });
  assert.match(t, /> 2 \| →   b: 1\n    \| {5}\^\n/);
});

test("no source, no frame; file paths outside cwd stay absolute; warnings are counted apart", () => {
  const text = formatDiagnostics([diag({ severity: "warning", allowed: undefined })], {}, { color: false, cwd: "/elsewhere" });
  assert.equal(text, "/project/drama.yaml:3:1: warning: unknown key 'scences' (did you mean 'scenes'?)\n\n1 warning\n");
});

test("control characters from binary input are not sent to the terminal", () => {
  const text = formatDiagnostics([diag({ line: 1, col: 1, offset: 0, length: 1, message: "bad \u001b[2J" })], { [file]: "\u001b[31mred\u0000" }, { color: false, cwd: "/" });
  assert.ok(!/[\u0000\u001b]/.test(text), JSON.stringify(text));
});

test("colour only when asked", () => {
  const enabled = kleur.enabled;
  kleur.enabled = true;
  try {
    const colored = formatDiagnostics([diag({})], { [file]: source }, { color: true, cwd: "/project" });
    const plain = formatDiagnostics([diag({})], { [file]: source }, { color: false, cwd: "/project" });
    assert.match(colored, /\u001b\[/);
    assert.doesNotMatch(plain, /\u001b\[/);
    assert.equal(colored.replace(/\u001b\[[0-9;]*m/g, ""), plain);
  } finally {
    kleur.enabled = enabled;
  }
});
