/**
 * The output file's name from the title: letters of every script kept,
 * safe on every file system, the directory's name only when the title has
 * no letters or digits at all.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { build } from "../src/index.js";
import { projectSlug } from "../src/project/slug.js";

test("titles in any script name the output; Latin accents and punctuation do not", () => {
  const cases: [string, string][] = [
    ["茶馆奇缘", "茶馆奇缘"],
    ["茶馆 · 奇缘！", "茶馆-奇缘"],
    ["Grandpa's New Year Surprise", "grandpas-new-year-surprise"],
    ["Café au Lait", "cafe-au-lait"],
    ["Война и мир", "война-и-мир"],
    ["한국 드라마", "한국-드라마"],
    ["がっこう", "がっこう"],
    ["ＡＢＣ １２３", "abc-123"],
    ["İstanbul", "istanbul"],
    ['a/b\\c:d*e?f"g<h>i|j\u0000k', "a-b-c-d-e-f-g-h-i-j-k"],
    ["CON", "con-drama"],
    ["lpt1", "lpt1-drama"],
  ];
  for (const [title, slug] of cases) assert.equal(projectSlug(title, "/p/tea"), slug, title);
});

test("a title without letters or digits falls back to the directory's name, then to 'drama'", () => {
  assert.equal(projectSlug("!!! ???", "/projects/My Tea"), "my-tea");
  assert.equal(projectSlug("🎬 — 🎬", "/projects/…"), "drama");
});

test("any title gives a name that is safe on any file system", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 200 }), (title) => {
      const slug = projectSlug(title, "/p/fallback");
      assert.match(slug, /^[\p{L}\p{N}\p{M}]+(-[\p{L}\p{N}\p{M}]+)*$/u);
      assert.ok(Array.from(slug).length <= 60 + "-drama".length);
      assert.ok(Buffer.byteLength(`${slug}.mp4`) <= 255);
      assert.equal(slug, slug.normalize("NFC"));
      assert.equal(slug, slug.toLowerCase());
    }),
    { numRuns: 2000 },
  );
  const long = projectSlug("茶".repeat(500), "/p/x");
  assert.equal(Array.from(long).length, 60);
});

test("a Chinese title names the built video: build/茶馆奇缘.mp4", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-slug-"));
  try {
    await writeFile(
      path.join(dir, "drama.yaml"),
      "dramake: 1\ntitle: 茶馆奇缘\nlanguage: zh-CN\nformat: { size: 64x112, fps: 12 }\ncast:\n  lin: { name: 林, look: 年轻女子 }\nscenes:\n  - id: one\n    seconds: 1\n    lines:\n      - lin: 你好。\n",
    );
    const built = await build(dir, { onEvent: () => {} });
    assert.ok(built.ok, built.ok ? "" : JSON.stringify(built.error));
    assert.equal(built.value.summary.output, "build/茶馆奇缘.mp4");
    assert.ok(existsSync(path.join(dir, "build", "茶馆奇缘.mp4")));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
