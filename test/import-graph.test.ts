/**
 * Issue 26: the layering DESIGN §6 asks for, read from src/'s imports (static,
 * type-only and dynamic alike). `graph/` reaches providers only through the
 * registry (and the shared request types), so an op runs wherever the registry
 * is; `engine/` imports nothing above it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every relative import of every file, as src-relative paths with forward slashes (.js spelled as the .ts it is). */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
const edges: { from: string; to: string }[] = sources(SRC).flatMap((file) => {
  const text = readFileSync(file, "utf8");
  const from = relative(SRC, file).split(sep).join("/");
  return [...text.matchAll(IMPORT)].map((m) => ({ from, to: relative(SRC, resolve(dirname(file), m[1]!)).split(sep).join("/").replace(/\.js$/, ".ts") }));
});

test("the import scan sees the imports it judges", () => {
  assert.ok(edges.length > 300, `${edges.length} imports`);
  assert.ok(edges.some((e) => e.from === "graph/backends.ts" && e.to === "providers/registry.ts"));
  assert.ok(edges.some((e) => e.from === "providers/registry.ts" && e.to === "providers/openai/register.ts"));
});

test("graph/ imports no provider implementation, only the registry and the request types", () => {
  const allowed = new Set(["providers/registry.ts", "providers/types.ts"]);
  const bad = edges.filter((e) => e.from.startsWith("graph/") && e.to.startsWith("providers/") && !allowed.has(e.to));
  assert.deepEqual(bad, []);
});

test("engine/ imports nothing above it: only engine/ and src/'s shared root modules (result, atomic, disk; not the index)", () => {
  const root = (to: string) => !to.includes("/") && to !== "index.ts";
  const bad = edges.filter((e) => e.from.startsWith("engine/") && !e.to.startsWith("engine/") && !root(e.to));
  assert.deepEqual(bad, []);
});
