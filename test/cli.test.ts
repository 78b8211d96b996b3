import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

test("an unknown command is a usage error with exit code 2 and lists what is allowed", () => {
  const r = spawnSync(process.execPath, [cli, "bulid"], { encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'bulid'/);
  assert.match(r.stderr, /allowed: build, plan/);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/); // no stack trace
});
