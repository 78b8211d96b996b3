/** The parsed-YAML cache (src/project/parse-cache.ts): used when the bytes are the same, never otherwise. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "../src/project/load.js";

const YAML = `dramake: 1
title: Cached
providers:
  cloud:
    type: openai
    api_key: \${DRAMAKE_PARSE_CACHE_KEY}
    models: { text: gpt-4.1-mini }
use: { text: cloud }
include: [more.yaml]
cast:
  ana: { name: Ana, look: young woman }
scenes:
  - id: one
    lines:
      - ana: Hello.
`;
const MORE = `cast:\n  bo: { name: Bo, look: old man }\n`;

async function project(withDramake: boolean): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-parse-cache-"));
  await writeFile(path.join(dir, "drama.yaml"), YAML);
  await writeFile(path.join(dir, "more.yaml"), MORE);
  if (withDramake) await mkdir(path.join(dir, ".dramake"));
  return dir;
}

const entries = (dir: string): string[] => {
  const at = path.join(dir, ".dramake", "parsed");
  return existsSync(at) ? readdirSync(at).map((f) => path.join(at, f)) : [];
};

test("parse cache: the second load of the same bytes takes the data from it, and an edit parses again", async () => {
  const dir = await project(true);
  const first = await loadProject(dir, { keysOptional: true });
  assert.ok(first.ok);
  assert.equal(entries(dir).length, 2, "drama.yaml and the included file");
  // Proof that the data comes from the cache: a title only the cache holds.
  const main = entries(dir).find((f) => JSON.parse(readFileSync(f, "utf8")).data.title === "Cached")!;
  const entry = JSON.parse(readFileSync(main, "utf8"));
  entry.data.title = "From the cache";
  writeFileSync(main, JSON.stringify(entry));
  const second = await loadProject(dir, { keysOptional: true });
  assert.ok(second.ok);
  assert.equal(second.value.title, "From the cache");
  // Diagnostics from a cached load still point at the text (the document is parsed for them).
  assert.deepEqual(
    second.value.warnings.map((d) => [d.code, d.line, d.col]),
    first.value.warnings.map((d) => [d.code, d.line, d.col]),
  );
  assert.deepEqual(second.value.warnings.map((d) => [d.code, d.line]), [["unset-env", 6]]);
  // One more byte: parsed afresh, and still one entry per file.
  await writeFile(path.join(dir, "drama.yaml"), YAML.replace("title: Cached", "title: Cached again"));
  const third = await loadProject(dir, { keysOptional: true });
  assert.ok(third.ok);
  assert.equal(third.value.title, "Cached again");
  assert.equal(entries(dir).length, 2);
  // An included file is keyed by its own bytes too.
  await writeFile(path.join(dir, "more.yaml"), MORE.replace("old man", "tall man"));
  const fourth = await loadProject(dir, { keysOptional: true });
  assert.ok(fourth.ok);
  assert.equal(fourth.value.cast.bo?.look, "tall man");
});

test("parse cache: nothing is written into a project that has no .dramake/, nor for a file with YAML problems", async () => {
  const fresh = await project(false);
  assert.ok((await loadProject(fresh, { keysOptional: true })).ok);
  assert.ok(!existsSync(path.join(fresh, ".dramake")));

  const dir = await project(true);
  // A duplicate key is a YAML error; a second identical load must report it again, at the same place.
  await writeFile(path.join(dir, "drama.yaml"), YAML.replace("title: Cached", "title: Cached\ntitle: Twice"));
  for (let i = 0; i < 2; i++) {
    const r = await loadProject(dir, { keysOptional: true });
    assert.ok(!r.ok);
    assert.deepEqual(r.error.map((d) => [d.code, d.line]), [["yaml-duplicate-key", 3]]);
  }
  assert.deepEqual(entries(dir), [], "a file with a YAML error is not remembered");
});

test("parse cache: a project file's validated data is remembered with its YAML, only when nothing in it comes from the environment", async () => {
  const plain = YAML.replace("    api_key: ${DRAMAKE_PARSE_CACHE_KEY}\n", "").replace("include: [more.yaml]\n", "");
  const dir = await project(true);
  await writeFile(path.join(dir, "drama.yaml"), plain);
  const first = await loadProject(dir, { keysOptional: true });
  assert.ok(first.ok);
  const [file] = entries(dir);
  const entry = JSON.parse(readFileSync(file!, "utf8"));
  assert.equal(entry.valid.project.title, "Cached");
  // Proof that the second load validates nothing: a title only the remembered validation holds.
  entry.valid.project.title = "Validated before";
  writeFileSync(file!, JSON.stringify(entry));
  const second = await loadProject(dir, { keysOptional: true });
  assert.ok(second.ok);
  assert.equal(second.value.title, "Validated before");
  // A draft is validated by another schema: not taken from the project's.
  const draft = await loadProject(dir, { keysOptional: true, draft: true });
  assert.ok(draft.ok);
  assert.equal(draft.value.title, "Cached");
  // One more byte: validated afresh.
  await writeFile(path.join(dir, "drama.yaml"), plain.replace("title: Cached", "title: Cached again"));
  const third = await loadProject(dir, { keysOptional: true });
  assert.ok(third.ok);
  assert.equal(third.value.title, "Cached again");

  // A value from the environment (a key, a base URL) is never written into the cache, and follows the environment.
  const fromEnv = plain.replace("    type: openai\n", "    type: openai\n    api_key: ${DRAMAKE_PARSE_CACHE_KEY}\n    base_url: ${DRAMAKE_PARSE_CACHE_URL}\n");
  await writeFile(path.join(dir, "drama.yaml"), fromEnv);
  for (const [key, url] of [["sk-first-not-cached", "http://first.example/v1"], ["sk-second-not-cached", "http://second.example/v1"]] as const) {
    const r = await loadProject(dir, { keysOptional: true, env: { DRAMAKE_PARSE_CACHE_KEY: key, DRAMAKE_PARSE_CACHE_URL: url } });
    assert.ok(r.ok);
    assert.equal(r.value.providers.cloud?.base_url, url);
    const [cached] = entries(dir);
    const text = readFileSync(cached!, "utf8");
    assert.equal(JSON.parse(text).valid, undefined);
    assert.ok(!text.includes(key) && !text.includes(url));
  }
});
