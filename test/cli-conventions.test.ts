/**
 * The command line as people expect it from make, git and friends: help for
 * every command and flag, "did you mean", shell completion that really
 * completes in the real shells, a closed pipe that ends quietly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLI } from "./build-helpers.js";
import { commands } from "../src/cli/registry.js";
import { GLOBAL_FLAGS } from "../src/cli/flags.js";

const STACK = /\bat .*\.js:\d+/;
const dramake = (args: readonly string[], opts: { cwd?: string } = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: opts.cwd, env: { ...process.env, NO_COLOR: "1", COLUMNS: "200" } });
const all = async () => Promise.all(Object.values(commands).map(async (load) => (await load()).default));
const has = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status === 0;

test("every command's --help names and describes each of its flags and arguments; 'dramake help <command>' says the same", async () => {
  for (const c of await all()) {
    const r = dramake([c.name, "--help"]);
    assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^Usage: dramake ${c.name} `, "m"));
    // Help wraps at the terminal's width; compare with whitespace folded.
    const text = r.stdout.replace(/\s+/g, " ");
    assert.ok(text.includes(c.summary.replace(/\s+/g, " ")), `${c.name}: summary missing`);
    for (const [name, f] of [...Object.entries(c.flags), ...Object.entries(GLOBAL_FLAGS)]) {
      assert.ok(text.includes(`--${name}`), `${c.name} --help lacks --${name}`);
      assert.ok(text.includes(f.description), `${c.name} --help lacks the description of --${name}`);
      if (f.short) assert.ok(text.includes(`-${f.short}, --${name}`), `${c.name} --help lacks -${f.short}`);
    }
    for (const a of c.args) assert.ok(text.includes(a.description), `${c.name} --help lacks <${a.name}>`);
    assert.equal(dramake(["help", c.name]).stdout, r.stdout, `help ${c.name} differs from ${c.name} --help`);
  }
  const top = dramake(["--help"]);
  assert.equal(top.status, 0);
  for (const c of await all()) assert.match(top.stdout, new RegExp(`^  ${c.name} `, "m"));
});

test("'did you mean' for a mistyped command and a mistyped flag; exit code 2, no stack", () => {
  const cmd = dramake(["biuld"]);
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command 'biuld'; did you mean build\?/);
  const flag = dramake(["plan", "--jsno"]);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /^dramake plan: unknown option '--jsno'; did you mean --json\?$/m);
  assert.match(flag.stderr, /^usage: dramake plan \[options\] \[project\]$/m);
  const global = dramake(["--quite", "build"]);
  assert.equal(global.status, 2);
  assert.match(global.stderr, /did you mean --quiet\?/);
  for (const r of [cmd, flag, global]) assert.doesNotMatch(r.stderr, STACK);
});

test("bare 'dramake' prints the overview on stderr and exits 2; --version prints the version", () => {
  const bare = dramake([]);
  assert.equal(bare.status, 2);
  assert.equal(bare.stdout, "");
  assert.match(bare.stderr, /^Usage: dramake <command>/);
  const v = dramake(["--version"]);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});

/** Words bash offers after `line` (the last word is completed), through the real script. */
function bashComplete(script: string, line: string): string[] {
  const words = line.split(" ");
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _dramake; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["--norc", "-c", program], { encoding: "utf8", cwd: tmpdir() });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split("\n").filter(Boolean);
}

test("bash completion completes commands, each command's flags and flag values", () => {
  const r = dramake(["completion", "bash"]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(bashComplete(r.stdout, "dramake bu"), ["build"]);
  assert.deepEqual(bashComplete(r.stdout, "dramake -C /tmp st"), ["status"]);
  assert.deepEqual(bashComplete(r.stdout, "dramake build --of"), ["--offline"]);
  assert.deepEqual(bashComplete(r.stdout, "dramake graph --format "), ["mermaid", "dot"]);
  assert.ok(bashComplete(r.stdout, "dramake gc --").includes("--max-size"));
  assert.ok(!bashComplete(r.stdout, "dramake gc --").includes("--offline"), "gc has no --offline");
  assert.deepEqual(bashComplete(r.stdout, "dramake help va"), ["validate"]);
});

test("fish completion completes commands and flags in a real fish", { skip: !has("fish") && "fish is not installed" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "dramake-fish-"));
  try {
    const script = join(dir, "dramake.fish");
    writeFileSync(script, dramake(["completion", "fish"]).stdout);
    const complete = (line: string) => {
      const r = spawnSync("fish", ["--no-config", "-c", `source ${script}; complete -C '${line}'`], { encoding: "utf8", cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0]);
    };
    assert.deepEqual(complete("dramake bu"), ["build"]);
    assert.ok(complete("dramake build --").includes("--keep-going"));
    assert.ok(!complete("dramake gc --").includes("--keep-going"));
    assert.deepEqual(complete("dramake graph --format "), ["mermaid", "dot"].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("zsh completion loads in a real zsh and registers for dramake", { skip: !has("zsh") && "zsh is not installed" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "dramake-zsh-"));
  try {
    const script = join(dir, "_dramake");
    writeFileSync(script, dramake(["completion", "zsh"]).stdout);
    const syntax = spawnSync("zsh", ["-n", script], { encoding: "utf8" });
    assert.equal(syntax.status, 0, syntax.stderr);
    const r = spawnSync("zsh", ["-f", "-c", `autoload -U compinit && compinit -u -D && source ${script} && print -r -- $_comps[dramake]`], { encoding: "utf8", cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "_dramake");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an unknown shell is a usage error naming the allowed ones", () => {
  const r = dramake(["completion", "tcsh"]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /allowed: bash, zsh, fish/);
});

/** A project with enough scenes that `plan --json` writes well past a pipe's 64 KiB buffer. */
function bigProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "dramake-big-"));
  const scenes = Array.from(
    { length: 120 },
    (_, i) => `  - id: s${i}\n    setting: room ${i}\n    cast: [ann]\n    action: She waits.\n    camera: static\n    seconds: 1\n    lines:\n      - ann: Line ${i}.\n      - ann: Another line ${i}.\n`,
  );
  writeFileSync(
    join(dir, "drama.yaml"),
    `dramake: 1\ntitle: Big\nlanguage: en\ntheme: A test.\nformat: { aspect: "9:16", size: 180x320, fps: 12 }\ncast:\n  ann:\n    name: Ann\n    look: a woman\nscenes:\n${scenes.join("")}music: { mood: calm }\n`,
  );
  return dir;
}

test("defect 4: `plan --json | head -1` ends quietly with exit code 0 when head closes the pipe", () => {
  const dir = bigProject();
  try {
    const r = spawnSync("bash", ["-c", 'set -o pipefail; node "$0" plan --json "$1" | head -1', CLI, dir], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    assert.equal(r.stderr, "", "nothing on stderr, no EPIPE stack");
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).event, "plan");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the project is found upward from a subdirectory (like git), or given with -C; none anywhere is a usage error", () => {
  const dir = bigProject();
  try {
    mkdirSync(join(dir, "notes", "deep"), { recursive: true });
    const total = (r: ReturnType<typeof dramake>) => JSON.parse(r.stdout.trim().split("\n").pop()!).steps.total as number;
    const here = dramake(["plan", "--json"], { cwd: dir });
    assert.equal(here.status, 0, here.stderr);
    const below = dramake(["plan", "--json"], { cwd: join(dir, "notes", "deep") });
    assert.equal(below.status, 0, below.stderr);
    assert.equal(total(below), total(here));
    const elsewhere = dramake(["-C", dir, "plan", "--json"], { cwd: tmpdir() });
    assert.equal(elsewhere.status, 0, elsewhere.stderr);
    assert.equal(total(elsewhere), total(here));
    const after = dramake(["plan", "--json", "-C", join(dir, "notes")], { cwd: tmpdir() });
    assert.equal(after.status, 0, after.stderr);

    const empty = mkdtempSync(join(tmpdir(), "dramake-none-"));
    const none = dramake(["plan"], { cwd: empty });
    rmSync(empty, { recursive: true, force: true });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /no drama\.yaml here or in any directory above/);
    const badC = dramake(["-C", join(dir, "nope"), "plan"]);
    assert.equal(badC.status, 2);
    assert.match(badC.stderr, /-C .*nope: no such directory/);
    // Run from a directory deleted under the shell: a usage error, and -C still works from there.
    const gone = mkdtempSync(join(tmpdir(), "dramake-gone-"));
    const fromGone = (args: string) =>
      spawnSync("sh", ["-c", `cd "$1" && rmdir "$1" && exec "$2" "$3" ${args}`, "sh", gone, process.execPath, CLI], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const deleted = fromGone("build");
    assert.equal(deleted.status, 2, deleted.stderr);
    assert.match(deleted.stderr, /^dramake build: the current directory no longer exists \(deleted or moved\); cd into the project, or name it with -C DIR$/m);
    assert.doesNotMatch(deleted.stderr, STACK);
    mkdirSync(gone);
    const withC = fromGone(`-C "${dir}" plan --json`);
    assert.equal(withC.status, 0, withC.stderr);
    assert.equal(total(withC), total(here));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
