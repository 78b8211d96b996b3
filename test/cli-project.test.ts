/**
 * The project-facing conventions on one real offline build of the tiny
 * fixture: paths shown relative to where the command ran, build -n, status
 * --exit-code / --json, validate --json and build --json on a broken file,
 * gc --dry-run, clean --all, -q and -v.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { copyFixture, editProject, events, runCli } from "./build-helpers.js";

test("conventions on a built project", async (t) => {
  const dir = await copyFixture("builds/tiny");
  const sub = join(dir, "notes");
  mkdirSync(sub);
  try {
    await t.test("defect 9: a build run from a subdirectory names its output relative to there", async () => {
      const r = await runCli(["build"], { cwd: sub });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^built: .* -> \.\.\/build\/tiny-test\.mp4$/m);
      const again = await runCli(["build"], { cwd: dir });
      assert.match(again.stdout, /^up to date: .* -> build\/tiny-test\.mp4$/m);
    });

    await t.test("-q prints nothing on success; -v lists every cached step", async () => {
      const quiet = await runCli(["build", "-q", dir]);
      assert.equal(quiet.code, 0, quiet.stderr);
      assert.equal(quiet.stdout, "");
      const verbose = await runCli(["-v", "build", dir]);
      assert.match(verbose.stdout, /^cached scene\/hello\/clip$/m);
      assert.match(verbose.stdout, /^up to date: /m);
    });

    await t.test("status --exit-code is 0 when nothing is stale, 1 after an edit; status --json lists the stale steps", async () => {
      const clean = await runCli(["status", "--exit-code"], { cwd: sub });
      assert.equal(clean.code, 0, clean.stderr);
      assert.match(clean.stdout, /nothing stale/);
      await editProject(dir, "- bob: Hello.", "- bob: Hello there.");
      const stale = await runCli(["status", "--exit-code", dir]);
      assert.equal(stale.code, 1, stale.stderr);
      assert.match(stale.stdout, /modified: {2}scene\/hello\/voice\/2/);
      assert.equal((await runCli(["status", dir])).code, 0, "without --exit-code, stale is not an error");
      const json = await runCli(["status", "--json", dir]);
      assert.equal(json.code, 0, json.stderr);
      const lines = events(json.stdout);
      const voice = lines.find((e) => e.id === "scene/hello/voice/2");
      assert.deepEqual({ event: voice?.event, state: voice?.state }, { event: "status", state: "modified" });
      const summary = lines.at(-1)!;
      assert.equal(summary.event, "status-summary");
      assert.equal(summary.stale, lines.length - 1);
    });

    await t.test("build -n is plan: it says what would run and runs nothing", async () => {
      const dry = await runCli(["build", "-n", "--json", dir]);
      assert.equal(dry.code, 0, dry.stderr);
      const plan = await runCli(["plan", "--json", dir]);
      assert.equal(dry.stdout, plan.stdout);
      assert.ok(events(dry.stdout).some((e) => e.event === "plan" && e.action === "run" && e.id === "scene/hello/voice/2"));
      assert.equal((await runCli(["status", "--exit-code", dir])).code, 1, "still stale: nothing ran");
    });

    await t.test("validate --json and build --json give each problem as a JSON line on stdout with file, line, col, code, message, allowed", async () => {
      await editProject(dir, "    seconds: 2\n", "    seconds: 2\n    sconds: 3\n");
      const v = await runCli(["validate", "--json"], { cwd: sub });
      assert.equal(v.code, 2);
      const [problem, done] = events(v.stdout);
      assert.deepEqual(Object.keys(problem!).sort(), ["allowed", "code", "col", "event", "file", "length", "line", "message"]);
      assert.equal(problem!.event, "error");
      assert.equal(problem!.file, "../drama.yaml");
      assert.equal(problem!.code, "unknown-key");
      assert.match(problem!.message as string, /sconds/);
      assert.match(problem!.allowed as string, /seconds/);
      assert.deepEqual(done, { event: "validated", ok: false, errors: 1, warnings: 0 });
      assert.match(v.stderr, /drama\.yaml:\d+:\d+: error: unknown key 'sconds'/, "people still get the frame on stderr");

      const b = await runCli(["build", "--json", dir]);
      assert.equal(b.code, 2);
      const [error] = events(b.stdout);
      assert.deepEqual({ ...error, file: undefined }, { ...problem, file: undefined });
      await editProject(dir, "    sconds: 3\n", "");
      const ok = await runCli(["validate", "--json", dir]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.deepEqual(events(ok.stdout), [{ event: "validated", ok: true, errors: 0, warnings: 0 }]);
    });

    await t.test("gc --dry-run counts what gc then removes, and removes nothing itself", async () => {
      await runCli(["build", dir]);
      await editProject(dir, "- bob: Hello there.", "- bob: Hello.");
      await runCli(["build", dir]);
      const objects = () => readdirSync(join(dir, ".dramake/cache/objects"), { recursive: true }).length;
      const before = objects();
      const dry = await runCli(["gc", "--dry-run", dir]);
      assert.equal(dry.code, 0, dry.stderr);
      const m = /^would remove (\d+) action record\(s\) and (\d+) object\(s\)/.exec(dry.stdout);
      assert.ok(m, dry.stdout);
      assert.ok(Number(m[1]) > 0, "the edit left unreferenced records");
      assert.equal(objects(), before, "a dry run removes nothing");
      const real = await runCli(["gc", dir]);
      assert.match(real.stdout, new RegExp(`^removed ${m[1]} action record\\(s\\) and ${m[2]} object\\(s\\)`));
    });

    await t.test("clean removes build/; clean --all also .dramake/, named relative to where it ran", async () => {
      const c = await runCli(["clean"], { cwd: sub });
      assert.equal(c.code, 0, c.stderr);
      assert.equal(c.stdout, "removed ../build/\n");
      assert.ok(existsSync(join(dir, ".dramake")));
      await runCli(["build", dir]);
      const all = await runCli(["clean", "--all", dir]);
      assert.equal(all.code, 0, all.stderr);
      assert.match(all.stdout, /^removed .*build\/ and .*\.dramake\/$/m);
      assert.ok(!existsSync(join(dir, "build")) && !existsSync(join(dir, ".dramake")));
      assert.ok(existsSync(join(dir, "drama.lock")), "the lockfile is the project's, not the cache's");
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
