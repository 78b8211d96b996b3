/** schemas/drama.schema.json is generated from the zod schema; a stale copy fails here. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { renderJsonSchema, SCHEMA_FILES } from "../src/project/schema-json.js";

const root = fileURLToPath(new URL("../", import.meta.url));

test("the checked-in JSON Schemas match the zod schema (run 'npm run schema' if this fails)", async () => {
  for (const { name, render } of SCHEMA_FILES) {
    const checkedIn = await readFile(path.join(root, "schemas", name), "utf8");
    assert.equal(checkedIn, render(), name);
  }
});

test("an episode file's schema completes an episode: its keys, its scenes", () => {
  const episode = JSON.parse(SCHEMA_FILES.find((f) => f.name === "episode.schema.json")!.render()) as {
    required: string[];
    properties: Record<string, { items?: { properties: Record<string, unknown> } }>;
  };
  assert.deepEqual(episode.required.sort(), ["id", "scenes", "title"]);
  assert.deepEqual(Object.keys(episode.properties).sort(), ["$schema", "budget", "cards", "cast", "cover", "id", "music", "premise", "scenes", "style", "theme", "title"]);
  assert.ok(episode.properties.scenes!.items!.properties.lines);
});

test("the JSON Schema describes the format for editors: keys, patterns, one-pair lines", () => {
  const schema = JSON.parse(renderJsonSchema()) as {
    $schema: string;
    required: string[];
    additionalProperties: boolean;
    properties: Record<string, { properties?: Record<string, unknown>; items?: { properties: Record<string, { items?: Record<string, unknown> }> } }>;
  };
  assert.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
  assert.deepEqual(schema.required.sort(), ["dramake", "title"]);
  // scenes (one episode) or episodes (a series), never both.
  assert.deepEqual((schema as unknown as { oneOf: { required: string[] }[] }).oneOf.map((o) => o.required), [["scenes"], ["episodes"]]);
  assert.equal(schema.additionalProperties, false);
  const scene = schema.properties.scenes!.items!;
  assert.deepEqual(Object.keys(scene.properties).sort(), ["action", "beat", "camera", "cast", "dialogue", "id", "lines", "seconds", "setting", "shots", "take", "transition"]);
  assert.equal(scene.properties.lines!.items!.maxProperties, 1);
  assert.equal((scene.properties.id as unknown as { pattern: string }).pattern, "^[a-z0-9][a-z0-9-]*$");
});

test("each example's yaml-language-server comment points at the schema", async () => {
  for (const example of ["examples/new-year-surprise", "examples/tea-shop", "examples/night-market"]) {
    const text = await readFile(path.join(root, example, "drama.yaml"), "utf8");
    const match = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    assert.ok(match, `${example} has no $schema comment`);
    assert.ok(existsSync(path.resolve(root, example, match[1]!)), `${example}: ${match[1]} does not exist`);
  }
});

test("the README's annotated example is a valid project", async () => {
  const { mkdtemp, mkdir, writeFile, copyFile, rm } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  const { loadProject } = await import("../src/project/load.js");
  const readme = await readFile(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The project file"));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(yaml, "no yaml block in the README's project file section");
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-readme-"));
  try {
    await writeFile(path.join(dir, "drama.yaml"), yaml);
    await mkdir(path.join(dir, "refs"));
    await copyFile(path.join(root, "test/fixtures/projects/with-files/refs/grandpa.png"), path.join(dir, "refs/grandpa.png"));
    const r = await loadProject(dir, { env: { OPENAI_API_KEY: "sk-readme" } });
    assert.ok(r.ok, r.ok ? "" : r.error.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
    assert.equal(r.value.slug, "grandpas-new-year-surprise");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
