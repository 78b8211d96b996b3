/**
 * `import` into a new directory writes init's .gitignore, so `git add -A`
 * commits neither build/, .dramake/ nor a .env with a key; init and import
 * warn when git already tracks a .env (issue 33, item 8). Real git, real CLI.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "./build-helpers.js";

const PLAY = fileURLToPath(new URL("./fixtures/screenplays/umbrella.fountain", import.meta.url));
const git = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd, encoding: "utf8" });

test("import into a new directory writes init's .gitignore: git add -A leaves out build/, .dramake/ and .env", async () => {
  const dir = join(await mkdtemp(join(tmpdir(), "dramake-gitignore-")), "umbrella");
  const imported = await runCli(["import", PLAY, dir]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(await readFile(join(dir, ".gitignore"), "utf8"), "build/\n.dramake/\n.env\n");
  assert.match(imported.stderr, /wrote \.gitignore/);

  await mkdir(join(dir, "build"));
  await mkdir(join(dir, ".dramake", "cache"), { recursive: true });
  await writeFile(join(dir, "build", "umbrella.mp4"), "video");
  await writeFile(join(dir, ".dramake", "cache", "x"), "cache");
  await writeFile(join(dir, ".env"), "OPENAI_API_KEY=sk-test-SECRET-123\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  assert.deepEqual(git(dir, "ls-files").trim().split("\n").sort(), [".gitignore", "drama.yaml"]);

  // The same lines init writes, from the same place.
  const fresh = join(await mkdtemp(join(tmpdir(), "dramake-gitignore-")), "started");
  assert.equal((await runCli(["init", fresh])).code, 0);
  assert.equal(await readFile(join(fresh, ".gitignore"), "utf8"), await readFile(join(dir, ".gitignore"), "utf8"));
});

test("a .env tracked by git is warned about by init and import, naming the command that stops tracking it", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-tracked-"));
  git(dir, "init", "-q");
  await writeFile(join(dir, ".env"), "OPENAI_API_KEY=sk-test-SECRET-123\n");
  git(dir, "add", ".env");
  git(dir, "commit", "-qm", "oops");
  const init = await runCli(["init", dir]);
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stderr, /warning: .*\.env is tracked by git, so your keys in it go into every commit and push; stop tracking it \(it stays on disk\): git rm --cached .*\.env/);
  assert.ok(!init.stderr.includes("sk-test-SECRET-123"));
  const imported = await runCli(["import", PLAY, dir]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /\.env is tracked by git/);

  // Once untracked, no warning.
  git(dir, "rm", "-q", "--cached", ".env");
  const again = await runCli(["import", PLAY, dir, "--force"]);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /tracked by git/);
});
