import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { build, loadProject, plan, type EngineEvent } from "../src/index.js";
import { copyFixture } from "./build-helpers.js";

test("the library API: loadProject, plan and build on a project directory, errors as data", async () => {
  const dir = await copyFixture("builds/tiny");
  const project = await loadProject(dir);
  assert.ok(project.ok);
  assert.equal(project.value.scenes.length, 3);

  const before = await plan(dir);
  assert.ok(before.ok);
  assert.ok(before.value.steps.length > 0);
  assert.ok(before.value.steps.every((s) => s.action === "run"));

  const events: EngineEvent[] = [];
  const built = await build(dir, { onEvent: (e) => events.push(e) });
  assert.ok(built.ok);
  assert.equal(built.value.summary.failed, 0);
  assert.equal(built.value.summary.ran, before.value.steps.length);
  assert.ok(events.some((e) => e.type === "summary"));

  const after = await plan(dir);
  assert.ok(after.ok);
  assert.ok(after.value.steps.every((s) => s.action === "cached"));

  await writeFile(join(dir, "drama.yaml"), "dramake: 2\n");
  const broken = await plan(dir);
  assert.equal(broken.ok, false);
  assert.ok(!broken.ok && /drama\.yaml:1:\d+/.test(broken.error.message));
});
