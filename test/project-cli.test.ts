/**
 * `dramake validate` and `dramake init` as a user runs them: the built CLI
 * (npm test compiles dist/ first), exit codes, where output goes, and
 * what must never be printed.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, truncate, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const cli = path.join(root, "dist/cli/main.js");
const STACK = /\bat .*\.(js|ts):\d+/;

function dramake(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env = { ...process.env, NO_COLOR: "1", ...options.env };
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", cwd: options.cwd ?? root, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the CLI is built", () => {
  assert.ok(existsSync(cli), "dist/cli/main.js is missing: run npx tsc -p . (npm test does)");
});

test("validate: both examples are ok, exit 0, one line on stdout", () => {
  const english = dramake(["validate", "examples/new-year-surprise"]);
  assert.equal(english.status, 0, english.stderr);
  assert.equal(english.stdout, "examples/new-year-surprise/drama.yaml: ok — 5 scenes, 3 cast\n");
  assert.equal(english.stderr, "");
  const chinese = dramake(["validate", "drama.yaml"], { cwd: path.join(root, "examples/tea-shop") });
  assert.equal(chinese.status, 0, chinese.stderr);
  assert.equal(chinese.stdout, "drama.yaml: ok — 4 scenes, 3 cast\n");
});

test("validate: a broken file exits 2 with position, frame and allowed on stderr, nothing on stdout, no stack", () => {
  const r = dramake(["validate", "test/fixtures/invalid/unknown-key-top.yaml"]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^test\/fixtures\/invalid\/unknown-key-top\.yaml:11:1: error: unknown key 'scences' \(did you mean 'scenes'\?\)\n/);
  assert.match(r.stderr, /> 11 \| scences:\n {5}\| \^{7}\n/);
  assert.match(r.stderr, /allowed: .*scenes/);
  assert.doesNotMatch(r.stderr, STACK);
  assert.doesNotMatch(r.stderr, /\u001b\[/, "NO_COLOR is honoured");
});

test("validate: a map alias used as a key is one diagnostic, with no Node warning printed before it", () => {
  const r = dramake(["validate", "test/fixtures/invalid/alias-map-as-key.yaml"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^test\/fixtures\/invalid\/alias-map-as-key\.yaml:5:1: error: the alias \*look stands for a map or list/);
  assert.doesNotMatch(r.stderr, /Warning:|\(node:\d+\)/);
});

test("validate: hostile input (binary, 50 MB, alias bomb, missing) exits 2 without a stack trace", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-cli-"));
  try {
    const huge = path.join(dir, "huge.yaml");
    await writeFile(huge, "");
    await truncate(huge, 50 * 1024 * 1024);
    for (const target of ["test/fixtures/invalid/binary.bin.yaml", "test/fixtures/invalid/alias-bomb.yaml", huge, path.join(dir, "missing")]) {
      const r = dramake(["validate", target]);
      assert.equal(r.status, 2, `${target}: ${r.stderr}`);
      assert.match(r.stderr, /:1?\d+:\d+: error: /);
      assert.doesNotMatch(r.stderr, STACK);
      assert.doesNotMatch(r.stderr, /internal error/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("validate: environment values never appear in the output", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-cli-env-"));
  const secret = "sk-SECRET-cli-42";
  try {
    await writeFile(
      path.join(dir, "drama.yaml"),
      `dramake: 1
title: Env
providers:
  cloud:
    type: openai
    base_url: \${BASE}
    api_key: \${DRAMAKE_TEST_KEY}
    models: { text: "\${DRAMAKE_TEST_KEY}" }
use: { text: cloud }
cast: {}
scenes:
  - id: one
    beat: \${DRAMAKE_TEST_KEY}
    seconds: \${DRAMAKE_TEST_KEY}
`,
    );
    await writeFile(path.join(dir, ".env"), `BASE=ftp://${secret}\n`);
    const r = dramake(["validate", dir], { env: { DRAMAKE_TEST_KEY: secret } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not an http\(s\) URL/);
    assert.match(r.stderr, /'seconds' must be a number/);
    assert.ok(!r.stderr.includes(secret) && !r.stdout.includes(secret), r.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("validate: usage errors exit 2", () => {
  assert.equal(dramake(["validate", "a", "b"]).status, 2);
  const r = dramake(["validate", "--bogus"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test("init: writes a starter that validates, a .gitignore, and refuses to overwrite", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-init-"));
  const target = path.join(dir, "my-first-drama");
  try {
    const r = dramake(["init", target]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wrote .*my-first-drama\/drama\.yaml and \.gitignore/);
    const yaml = await readFile(path.join(target, "drama.yaml"), "utf8");
    assert.match(yaml, /^title: "My First Drama"$/m);
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(yaml);
    assert.ok(schema && existsSync(path.resolve(target, schema[1]!)), `schema path ${schema?.[1]} does not resolve`);
    // Defect 9: a path relative to the project, never one machine's absolute path.
    assert.ok(!path.isAbsolute(schema[1]!), `schema path ${schema[1]} is absolute`);
    const gitignore = (await readFile(path.join(target, ".gitignore"), "utf8")).split("\n");
    assert.ok(gitignore.includes("build/") && gitignore.includes(".dramake/"));

    const valid = dramake(["validate", target]);
    assert.equal(valid.status, 0, valid.stderr);
    assert.match(valid.stdout, /ok — 2 scenes, 1 cast/);

    await writeFile(path.join(target, "drama.yaml"), "# my edits\n");
    const again = dramake(["init", target]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /drama\.yaml already exists; not overwriting it/);
    assert.equal(await readFile(path.join(target, "drama.yaml"), "utf8"), "# my edits\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("init: an existing .gitignore is kept and only gains missing lines", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-init-git-"));
  try {
    await writeFile(path.join(dir, ".gitignore"), "node_modules/\nbuild\n");
    const r = dramake(["init"], { cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote drama\.yaml \(added \.dramake\/, \.env to \.gitignore\)\nnext: dramake build\n$/);
    assert.equal(await readFile(path.join(dir, ".gitignore"), "utf8"), "node_modules/\nbuild\n.dramake/\n.env\n");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("init inside this repository points $schema at the repository's schema by a relative path", async () => {
  const scratch = path.join(root, "build", `test-init-${process.pid}`);
  try {
    await mkdir(scratch, { recursive: true });
    const r = dramake(["init", path.join(scratch, "demo")]);
    assert.equal(r.status, 0, r.stderr);
    const yaml = await readFile(path.join(scratch, "demo", "drama.yaml"), "utf8");
    assert.match(yaml, /^# yaml-language-server: \$schema=\.\.\/\.\.\/\.\.\/schemas\/drama\.schema\.json$/m);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
});
