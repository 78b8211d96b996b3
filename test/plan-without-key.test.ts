/**
 * Pricing a cloud project before having a key: `plan` warns and sends
 * nothing; `build` refuses with the variable named; an empty key counts as unset.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CLOUD, copyFixture, startOpenAIServer } from "./build-openai-helpers.js";
import { events, runCli } from "./build-helpers.js";

test("plan works without an API key (a warning, no request); build refuses, also for an empty key", async () => {
  const server = await startOpenAIServer();
  try {
    const dir = await copyFixture(CLOUD);
    const env = { OPENAI_BASE_URL: server.url, OPENAI_API_KEY: undefined };
    const plan = await runCli(["plan", dir, "--json"], { env });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stderr, /warning: environment variable OPENAI_API_KEY is not set \(or empty\): fine for looking/);
    const lines = events(plan.stdout);
    assert.ok(lines.length > 0);
    assert.equal(server.log.length, 0, "plan sent a request");

    for (const key of [undefined, ""]) {
      const build = await runCli(["build", dir], { env: { ...env, OPENAI_API_KEY: key } });
      assert.equal(build.code, 2, build.stderr);
      assert.match(build.stderr, /drama\.yaml:\d+:\d+: error: environment variable OPENAI_API_KEY is not set \(or empty\)/);
    }
    assert.equal(server.log.length, 0, "a refused build sent a request");
  } finally {
    await server.close();
  }
});
