/**
 * `${VAR}` is read only where the schema marks a field with
 * `.meta({ interpolate: true })`: provider URLs and keys, file paths.
 * Anywhere else it is literal text, so a shared drama.yaml cannot pull a
 * user's environment (an API key) into a title, a line, a prompt or a video.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, loadProject, type Project } from "../src/index.js";
import { projectSchema } from "../src/project/schema.js";
import type { AnySchema } from "../src/project/schema-walk.js";
import { childSchema, defOf, interpolationOf, unwrap } from "../src/project/schema-walk.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const SECRET = "sk-test-MUST-NOT-LEAK-7f3a9c";

async function tempProject(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-interp-"));
  await writeFile(path.join(dir, "drama.yaml"), yaml);
  return dir;
}

/** Loads `yaml` from a temp project (after `setup` adds files) and expects it to load. */
async function loaded(yaml: string, env: Record<string, string>, setup?: (dir: string) => Promise<void>): Promise<Project> {
  const dir = await tempProject(yaml);
  try {
    await setup?.(dir);
    // The example origins are trusted from the shell (keys from the environment go only to trusted origins).
    const r = await loadProject(dir, { env: { DRAMAKE_TRUSTED_ORIGINS: "https://api.example.com,https://env.example.com", ...env } });
    assert.ok(r.ok, r.ok ? "" : r.error.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
    return r.value;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Every text field a writer fills in, each naming the key's variable. */
const LITERAL = `dramake: 1
title: Tea \${LEAK_KEY}
theme: a story about \${LEAK_KEY:-nothing}
style: flat colours, $$5 \${LEAK_KEY}
format: { size: 64x112, fps: 12 }
cast:
  ann:
    name: Ann \${LEAK_KEY}
    look: young woman holding a sign reading \${LEAK_KEY}
scenes:
  - id: one
    setting: a kitchen \${LEAK_KEY}
    action: she says \${LEAK_KEY}
    seconds: 1
    lines:
      - ann: My key is \${LEAK_KEY}.
  - id: two
    seconds: 1
    beat: she reads \${LEAK_KEY} aloud
music:
  mood: calm \${LEAK_KEY}
`;

test("${VAR} in a title, look, line, setting, beat, theme, style or mood stays literal text", async () => {
  const p = await loaded(LITERAL, { LEAK_KEY: SECRET });
  assert.equal(p.title, "Tea ${LEAK_KEY}");
  assert.equal(p.theme, "a story about ${LEAK_KEY:-nothing}");
  assert.equal(p.style, "flat colours, $$5 ${LEAK_KEY}");
  assert.equal(p.cast.ann!.name, "Ann ${LEAK_KEY}");
  assert.equal(p.cast.ann!.look, "young woman holding a sign reading ${LEAK_KEY}");
  assert.equal(p.scenes[0]!.setting, "a kitchen ${LEAK_KEY}");
  assert.deepEqual(p.scenes[0]!.lines, [{ speaker: "ann", text: "My key is ${LEAK_KEY}." }]);
  assert.equal(p.scenes[1]!.beat, "she reads ${LEAK_KEY} aloud");
  assert.deepEqual(p.music, { mood: "calm ${LEAK_KEY}" });
  assert.ok(!JSON.stringify(p).includes(SECRET));
  assert.deepEqual(p.envNames, [], "a literal ${...} is no variable the build depends on");
});

test("a malformed or unset ${...} in literal text is no problem at all", async () => {
  const p = await loaded(LITERAL.replace("title: Tea ${LEAK_KEY}", "title: Tea ${NOT A NAME} ${UNSET_VAR} ${"), {});
  assert.equal(p.title, "Tea ${NOT A NAME} ${UNSET_VAR} ${");
  assert.deepEqual(p.warnings, []);
});

test("provider URLs and keys and file paths still read ${VAR}; envNames lists them, never a key's variable", async () => {
  const yaml = `dramake: 1
title: Cloud
providers:
  cloud:
    type: openai
    base_url: \${CLOUD_URL:-https://api.example.com/v1}
    api_key: \${CLOUD_KEY}
    models: { text: gpt-4.1-mini }
  spare:
    type: openai
    base_url: https://\${CLOUD_KEY}.example.com/v1
    api_key: \${CLOUD_KEY}
use: { text: cloud }
cast:
  ann: { name: Ann, look: x, reference: "\${REF_DIR}/ann.png" }
scenes:
  - id: one
    lines:
      - ann: Hi.
music: { file: "\${MUSIC:-music/theme.wav}" }
`;
  const p = await loaded(yaml, { CLOUD_URL: "https://env.example.com/v1", CLOUD_KEY: SECRET, REF_DIR: "refs" }, async (dir) => {
    await mkdir(path.join(dir, "refs"));
    await mkdir(path.join(dir, "music"));
    await copyFile(path.join(fixtures, "projects/with-files/refs/grandpa.png"), path.join(dir, "refs/ann.png"));
    await copyFile(path.join(fixtures, "projects/with-files/music/theme.wav"), path.join(dir, "music/theme.wav"));
  });
  assert.equal(p.providers.cloud!.base_url, "https://env.example.com/v1");
  assert.equal(p.secrets.apiKey("cloud"), SECRET);
  assert.equal(p.cast.ann!.reference, "refs/ann.png");
  assert.deepEqual(p.music, { file: "music/theme.wav" });
  // CLOUD_KEY also shapes spare's URL, but a variable that holds a key is never hashed or stored.
  assert.deepEqual(p.envNames, ["CLOUD_URL", "MUSIC", "REF_DIR"]);
});

/** Value paths of every schema place marked to take ${VAR}, `*` for any key or index. */
function markedPaths(schema: AnySchema, at: string[] = [], depth = 0): string[] {
  const mode = interpolationOf(schema);
  if (mode !== "literal") return [`${at.join(".")}${mode === "secret" ? " (secret)" : ""}`];
  if (depth > 12) return [];
  const inner = unwrap(schema).schema;
  const def = defOf(inner);
  const keys: (string | number)[] =
    def.type === "object" ? Object.keys(def.shape as object) : def.type === "record" ? ["*"] : def.type === "array" ? [0] : [];
  if (def.type === "union") return (def.options as AnySchema[]).flatMap((o) => markedPaths(o, at, depth + 1));
  return keys.flatMap((k) => {
    const next = childSchema(inner, k);
    return next ? markedPaths(next, [...at, typeof k === "number" ? "*" : k], depth + 1) : [];
  });
}

test("the schema marks exactly the provider URLs and keys (per modality too) and the file paths as taking ${VAR}", () => {
  assert.deepEqual(markedPaths(projectSchema as unknown as AnySchema).sort(), [
    "cast.*.reference",
    // Issue 29: a voice sample is a project file like a picture.
    "cast.*.voice.sample",
    // A series' inline episodes have the same file paths.
    "episodes.*.cast.*.reference",
    "episodes.*.cast.*.voice.sample",
    "episodes.*.music.file",
    "music.file",
    // Issue 28: Kling's keys and the upload store.
    "providers.*.access_key (secret)",
    "providers.*.api_key (secret)",
    "providers.*.base_url",
    // Issue 9: each modality may have its own endpoint and key (issue 29: lipsync and transcribe too).
    ...["image", "lipsync", "music", "speech", "text", "transcribe", "video"].flatMap((m) => [`providers.*.endpoints.${m}.api_key (secret)`, `providers.*.endpoints.${m}.base_url`]),
    "providers.*.secret_key (secret)",
    "providers.*.uploads.get",
    "providers.*.uploads.put",
    "providers.*.uploads.token (secret)",
  ]);
});

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

test("an offline build of a project naming the key's variable writes no byte of the key anywhere", async () => {
  const dir = await tempProject(LITERAL);
  const saved = process.env.LEAK_KEY;
  process.env.LEAK_KEY = SECRET; // build() reads process.env, as the CLI does
  try {
    const built = await build(dir, { onEvent: () => {} });
    assert.ok(built.ok, built.ok ? "" : JSON.stringify(built.error));
    assert.equal(built.value.summary.failed, 0);
    const files = await filesUnder(dir);
    const srt = files.filter((f) => f.endsWith(".srt"));
    assert.ok(files.some((f) => f.endsWith(".mp4")), "no video was made");
    let sawLiteral = false;
    for (const file of files) {
      assert.ok(!file.includes(SECRET), `a file is named after the key: ${file}`);
      const bytes = await readFile(file);
      assert.ok(!bytes.includes(SECRET), `the key is in ${path.relative(dir, file)}`);
      if (bytes.includes("${LEAK_KEY}")) sawLiteral = true;
    }
    // The line is spoken and subtitled as written.
    assert.ok(sawLiteral, `no output holds the literal \${LEAK_KEY} (subtitles: ${srt.join(", ") || "none"})`);
  } finally {
    if (saved === undefined) delete process.env.LEAK_KEY;
    else process.env.LEAK_KEY = saved;
    await rm(dir, { recursive: true, force: true });
  }
});
