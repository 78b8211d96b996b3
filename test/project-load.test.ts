/** loadProject on valid projects: defaults, resolution, env, secrets, files, limits. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, readFile, rm, symlink, truncate, writeFile, copyFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";
import { loadProject, readSources } from "../src/project/load.js";
import { formatDiagnostics } from "../src/project/diagnostic.js";
import type { Diagnostic } from "../src/project/diagnostic.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const fixtures = path.join(root, "test/fixtures/projects");

async function tempProject(yaml: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-project-"));
  await writeFile(path.join(dir, "drama.yaml"), yaml);
  for (const [name, text] of Object.entries(extra)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const MINIMAL = `dramake: 1
title: Minimal
cast:
  ana: { name: Ana, look: young woman }
scenes:
  - id: one
    lines:
      - ana: Hello.
`;

function codes(diags: readonly Diagnostic[]): string[] {
  return diags.map((d) => `${d.line}:${d.col} ${d.code}`);
}

test("the English example loads with 5 scenes, 3 cast, offline everywhere", async () => {
  const r = await loadProject(path.join(root, "examples/new-year-surprise"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
  const p = r.value;
  assert.equal(p.scenes.length, 5);
  assert.equal(Object.keys(p.cast).length, 3);
  assert.equal(p.slug, "grandpas-new-year-surprise");
  assert.equal(p.file, path.join(root, "examples/new-year-surprise/drama.yaml"));
  assert.equal(p.dir, path.join(root, "examples/new-year-surprise"));
  assert.deepEqual(Object.values(p.use), ["offline", "offline", "offline", "offline", "offline", "offline", "offline"]);
  assert.deepEqual(Object.keys(p.providers), ["offline"]);
  assert.equal(p.scenes.filter((s) => s.lines === undefined && s.beat).length, 1, "one scene with only a beat");
  for (const scene of p.scenes) assert.ok(scene.seconds >= 3 && scene.seconds <= 6, `${scene.id} is ${scene.seconds}s`);
  assert.deepEqual(p.scenes[0]!.lines![0], { speaker: "grandpa", text: "Wei? You are not coming home?" });
  assert.equal(p.cast.grandpa!.voice.offline, "en+m3");
  assert.deepEqual(p.warnings, []);
});

test("the Chinese example loads; its Chinese title names the output", async () => {
  const r = await loadProject(path.join(root, "examples/tea-shop/drama.yaml"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
  assert.equal(r.value.language, "zh-CN");
  assert.equal(r.value.scenes.length, 4);
  assert.equal(r.value.slug, "茶馆奇缘");
  assert.match(r.value.scenes[0]!.lines![0]!.text, /[\u4e00-\u9fff]/);
});

test("defaults: language, format, seconds, camera, use, the built-in offline provider, scene cast from speakers", async () => {
  const dir = await tempProject(MINIMAL);
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
    const p = r.value;
    assert.equal(p.language, "en");
    assert.deepEqual(p.format, { aspect: "9:16", size: "720x1280", width: 720, height: 1280, fps: 24 });
    assert.equal(p.scenes[0]!.seconds, 6);
    assert.equal(p.scenes[0]!.camera, "slow push-in");
    assert.deepEqual(p.scenes[0]!.cast, ["ana"]);
    assert.equal(p.use.video, "offline");
    assert.equal(p.providers.offline!.type, "offline");
    assert.equal(p.slug, "minimal");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("format: aspect alone derives the size, size alone derives the aspect", async () => {
  const landscape = await tempProject(MINIMAL.replace("cast:", 'format: { aspect: "16:9" }\ncast:'));
  const tall = await tempProject(MINIMAL.replace("cast:", "format: { size: 1080x1920, fps: 30 }\ncast:"));
  try {
    const a = await loadProject(landscape, { env: {} });
    const b = await loadProject(tall, { env: {} });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.value.format, { aspect: "16:9", size: "1280x720", width: 1280, height: 720, fps: 24 });
    assert.deepEqual(b.value.format, { aspect: "9:16", size: "1080x1920", width: 1080, height: 1920, fps: 30 });
  } finally {
    await rm(landscape, { recursive: true, force: true });
    await rm(tall, { recursive: true, force: true });
  }
});

test("referenced files are checked and listed project-relative, normalized and sorted", async () => {
  const r = await loadProject(path.join(fixtures, "with-files"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
  assert.deepEqual(r.value.referencedFiles, ["music/theme.wav", "refs/grandpa.png"]);
  // Written as ./refs/grandpa.png: the project carries the same normalized path the engine uses.
  assert.equal(r.value.cast.grandpa!.reference, "refs/grandpa.png");
  assert.deepEqual(r.value.music, { file: "music/theme.wav" });
});

const CLOUD = `dramake: 1
title: Cloud
providers:
  cloud:
    type: openai
    base_url: \${TEST_BASE_URL:-https://api.example.com/v1}
    api_key: \${TEST_API_KEY}
    models: { text: gpt-4.1-mini, image: gpt-image-1 }
    prices: { gpt-image-1: { per_image: 0.04 } }
use: { text: cloud, image: cloud }
cast:
  ana: { name: Ana, look: young woman }
scenes:
  - id: one
    lines:
      - ana: Hello.
`;

test("${VAR} comes from the environment and .env (the environment wins); keys live only in secrets", async () => {
  const secret = "sk-test-SECRET-0123456789";
  const dir = await tempProject(CLOUD, { ".env": `# keys\nTEST_API_KEY=${secret}\nexport TEST_BASE_URL="https://dotenv.example.com/v1"\n` });
  try {
    // Trusted from the shell: a key from .env goes only to an origin the user trusts (test/project-key-origins.test.ts).
    const r = await loadProject(dir, { env: { TEST_BASE_URL: "https://env.example.com/v1", DRAMAKE_TRUSTED_ORIGINS: "https://env.example.com" } });
    assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
    const p = r.value;
    assert.equal(p.providers.cloud!.base_url, "https://env.example.com/v1");
    assert.equal(p.providers.cloud!.has_api_key, true);
    assert.deepEqual(p.providers.cloud!.prices, { "gpt-image-1": { per_image: 0.04 } });
    assert.equal(p.secrets.apiKey("cloud"), secret);
    assert.equal(p.secrets.apiKey("offline"), undefined);
    // However the project is printed, the key is not in it.
    assert.ok(!JSON.stringify(p).includes(secret));
    assert.ok(!inspect(p, { depth: 10, showHidden: true }).includes(secret));
    assert.ok(!String(p.secrets).includes(secret));
    assert.ok(!Object.keys(p.providers.cloud!).includes("api_key"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("${VAR:-default} applies when unset; $$ is a literal $", async () => {
  const dir = await tempProject(CLOUD.replace("${TEST_BASE_URL:-https://api.example.com/v1}", "https://api.example.com/$$v${NOPE:-1}"));
  try {
    const r = await loadProject(dir, { env: { TEST_API_KEY: "k", DRAMAKE_TRUSTED_ORIGINS: "https://api.example.com" } });
    assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
    assert.equal(r.value.providers.cloud!.base_url, "https://api.example.com/$v1");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an unset key matters only for a provider in use, and not when loading offline", async () => {
  const unused = await tempProject(CLOUD.replace("use: { text: cloud, image: cloud }\n", ""));
  const used = await tempProject(CLOUD);
  try {
    assert.ok((await loadProject(unused, { env: {} })).ok);
    const r = await loadProject(used, { env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(codes(r.error), ["7:14 unset-env"]);
    const offline = await loadProject(used, { env: {}, offline: true });
    assert.ok(offline.ok, offline.ok ? "" : codes(offline.error).join("\n"));
    assert.equal(offline.value.use.image, "offline");
  } finally {
    await rm(unused, { recursive: true, force: true });
    await rm(used, { recursive: true, force: true });
  }
});

test("values from the environment are never printed, even when they are what is wrong", async () => {
  const secret = "SECRET-VALUE-do-not-print";
  const yaml = CLOUD.replace("${TEST_BASE_URL:-https://api.example.com/v1}", "${TEST_BASE_URL}").replace(
    "look: young woman }",
    "look: young woman, reference: \"${TEST_REF}\" }",
  );
  const dir = await tempProject(yaml, { ".env": `TEST_REF=/abs/${secret}.png\nthis line is broken ${secret}\n` });
  try {
    const r = await loadProject(dir, { env: { TEST_BASE_URL: `not a url ${secret}`, TEST_API_KEY: secret } });
    assert.ok(!r.ok);
    const text = formatDiagnostics(r.error, await readSources(r.error), { color: false });
    assert.match(text, /not an http\(s\) URL/);
    assert.match(text, /absolute paths are not allowed/);
    assert.match(text, /\.env line 2: expected NAME=value/);
    assert.ok(!text.includes(secret), text);
    assert.ok(!JSON.stringify(r.error).includes(secret));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("one typo is one error: `casts:` in the English example gives its did-you-mean and nothing that follows from it", async () => {
  const text = await readFile(path.join(root, "examples/new-year-surprise/drama.yaml"), "utf8");
  const dir = await tempProject(text.replace(/^cast:$/m, "casts:"));
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(r.error.map((d) => d.message), ["unknown key 'casts' (did you mean 'cast'?)"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("every problem is reported at once, in file order", async () => {
  const yaml = `dramake: 1
title: Many problems
format: { aspect: "9:16", size: 1280x720 }
cast:
  ana: { name: Ana, look: young woman }
scenes:
  - id: one
    seconds: 99
    lines:
      - bob: Hello.
  - id: one
    cast: [ana]
    setings: oops
`;
  const dir = await tempProject(yaml);
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(codes(r.error), [
      "3:33 size-aspect-mismatch",
      "8:14 out-of-range",
      "10:9 unknown-cast",
      "11:9 duplicate-id",
      "11:9 no-lines-or-beat",
      "13:5 unknown-key",
    ]);
    const lines = r.error.map((d) => d.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
    for (const code of ["size-aspect-mismatch", "out-of-range", "unknown-cast", "duplicate-id", "unknown-key", "no-lines-or-beat"]) {
      assert.ok(r.error.some((d) => d.code === code), `missing ${code}: ${codes(r.error).join(", ")}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a symlink pointing outside the project is refused; one inside is fine", async () => {
  const outside = await mkdtemp(path.join(tmpdir(), "dramake-outside-"));
  const yaml = MINIMAL.replace("look: young woman }", "look: young woman, reference: refs/ana.png }");
  const dir = await tempProject(yaml);
  try {
    await writeFile(path.join(outside, "secret.png"), "x");
    await mkdir(path.join(dir, "refs"));
    await symlink(path.join(outside, "secret.png"), path.join(dir, "refs/ana.png"));
    const r = await loadProject(dir, { env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(codes(r.error), ["4:51 path-outside"]);
    assert.match(r.error[0]!.message, /links to a file outside the project directory/);

    await rm(path.join(dir, "refs/ana.png"));
    await copyFile(path.join(fixtures, "with-files/refs/grandpa.png"), path.join(dir, "refs/real.png"));
    await symlink("real.png", path.join(dir, "refs/ana.png"));
    const inside = await loadProject(dir, { env: {} });
    assert.ok(inside.ok, inside.ok ? "" : codes(inside.error).join("\n"));
    assert.deepEqual(inside.value.referencedFiles, ["refs/ana.png"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  }
});

test("a 50 MB file is refused by size without being read", async () => {
  const dir = await tempProject("");
  try {
    await truncate(path.join(dir, "drama.yaml"), 50 * 1024 * 1024); // sparse: costs no disk
    const started = performance.now();
    const r = await loadProject(dir, { env: {} });
    const ms = performance.now() - started;
    assert.ok(!r.ok);
    assert.deepEqual(codes(r.error), ["1:1 file-too-large"]);
    assert.match(r.error[0]!.message, /50\.0 MB; a project file may be at most 10 MB/);
    assert.ok(ms < 500, `took ${ms} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("deep nesting, unresolved aliases and stray control bytes give diagnostics, not exceptions", async () => {
  const inputs = [
    `dramake: 1\ntitle: ${"[".repeat(100_000)}\n`,
    `dramake: 1\ntitle: x\nscenes: ${"[".repeat(2000)}${"]".repeat(2000)}\n`,
    "dramake: 1\ntitle: *nowhere\n",
    "dramake: 1\ntitle: \u0007bell\nscenes: []\n",
    "\ufeffdramake: 1\n",
    "- just\n- a list\n",
    "dramake: 1\n__proto__: { polluted: true }\ntitle: x\nscenes: [{ id: a, beat: b }]\n",
  ];
  for (const input of inputs) {
    const dir = await tempProject(input);
    try {
      const r = await loadProject(dir, { env: {} });
      assert.ok(!r.ok, `loaded: ${JSON.stringify(input.slice(0, 40))}`);
      assert.ok(r.error.length > 0);
      for (const d of r.error) assert.notEqual(d.code, "internal", d.message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test("a missing project says where it looked and how to start one", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-empty-"));
  try {
    const r = await loadProject(dir);
    assert.ok(!r.ok);
    assert.equal(r.error[0]!.code, "not-found");
    assert.match(r.error[0]!.allowed ?? "", /dramake init/);
    const missing = await loadProject(path.join(dir, "nope.yaml"));
    assert.ok(!missing.ok);
    assert.equal(missing.error[0]!.code, "not-found");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("a near-miss voice provider key is a warning; the project still loads", async () => {
  const dir = await tempProject(MINIMAL.replace("look: young woman }", "look: young woman, voice: { ofline: en+f3, cloud: nova } }"));
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(r.ok, r.ok ? "" : codes(r.error).join("\n"));
    assert.deepEqual(r.value.warnings.map((d) => `${d.code} ${d.severity} ${d.message}`), [
      "unknown-provider warning voice for unknown provider 'ofline' (did you mean 'offline'?)",
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("thousands of broken scenes: the first 100 problems and a count of the rest, no stack overflow", async () => {
  const scenes = Array.from({ length: 40_000 }, (_, i) => `  - id: Scene${i}\n    seconds: 99\n    lines:\n      - bob: hi\n`).join("");
  const dir = await tempProject(`dramake: 1\ntitle: Big\ncast:\n  ana: { name: Ana, look: x }\nscenes:\n${scenes}`);
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(!r.ok);
    assert.equal(r.error.length, 101);
    assert.deepEqual(codes(r.error.slice(0, 3)), ["6:9 bad-id", "7:14 out-of-range", "9:9 unknown-cast"]);
    assert.equal(r.error[100]!.code, "more");
    assert.match(r.error[100]!.message, /^and \d+ more problems/);
    assert.ok(r.error.every((d) => d.code !== "internal"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an API key written in the file is a warning, and no code frame ever shows it", async () => {
  const key = "sk-literal-0123456789abcdef";
  const yaml = CLOUD.replace("${TEST_API_KEY}", key).replace("    models:", "    typo: 1\n    models:");
  const dir = await tempProject(yaml);
  try {
    const r = await loadProject(dir, { env: {} });
    assert.ok(!r.ok);
    assert.deepEqual(codes(r.error), ["7:14 literal-secret", "8:5 unknown-key"]);
    assert.equal(r.error[0]!.severity, "warning");
    const text = formatDiagnostics(r.error, await readSources(r.error), { color: false });
    assert.ok(!text.includes(key), text);
    assert.match(text, /api_key: \*{27}\n/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
