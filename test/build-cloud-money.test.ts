/**
 * Money on a cloud project: pricing before having a key (`plan` warns and sends
 * nothing; `build` refuses, an empty key counts as unset), and what a no-op saves.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { CLOUD, cloudEnv, copyFixture, startOpenAIServer } from "./build-openai-helpers.js";
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

test("a no-op rebuild reports as saved what the first build spent", async () => {
  const server = await startOpenAIServer();
  try {
    const dir = await copyFixture(CLOUD);
    const env = cloudEnv(server);
    const summary = async () => {
      const r = await runCli(["build", dir, "--json"], { env });
      assert.equal(r.code, 0, r.stderr);
      return events(r.stdout).find((e) => e.event === "summary") as { cost: { spent: number; saved: number }; steps: { ran: number } };
    };
    const first = await summary();
    assert.ok(first.cost.spent > 0);
    const again = await summary();
    assert.equal(again.steps.ran, 0);
    assert.ok(Math.abs(again.cost.saved - first.cost.spent) < 1e-5, `saved ${again.cost.saved}, spent ${first.cost.spent}`);
  } finally {
    await server.close();
  }
});
