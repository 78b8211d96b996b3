/**
 * How the graph sets up an OpenAI-compatible backend: timing knobs from the
 * environment, prices from drama.yaml in the provider's units (seen through
 * `plan`), and the polish step only when a polish model is configured.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openAITuning, providerPrices } from "../src/providers/openai/register.js";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import { CLOUD, copyFixture, dramake, editProject, events, startOpenAIServer } from "./build-openai-helpers.js";

let server: OpenAIServer;
before(async () => {
  server = await startOpenAIServer();
});
after(() => server.close());

test("timing knobs: whole milliseconds, or a clear error naming the variable", () => {
  assert.deepEqual(openAITuning({}), { ok: true, value: {} });
  assert.deepEqual(openAITuning({ DRAMAKE_OPENAI_POLL_MS: "250", DRAMAKE_OPENAI_BACKOFF_MS: "10" }), {
    ok: true,
    value: { poll: { firstMs: 250, maxMs: 250 }, retry: { baseDelayMs: 10 } },
  });
  for (const bad of ["0", "-5", "1.5", "fast", "1e9"]) {
    const r = openAITuning({ DRAMAKE_OPENAI_POLL_MS: bad });
    assert.ok(!r.ok && r.error.startsWith(`DRAMAKE_OPENAI_POLL_MS=${JSON.stringify(bad)} is not allowed`), bad);
  }
});

test("project prices map onto the provider's units", () => {
  assert.deepEqual(providerPrices({ "sora-2": { per_second: 0.05 } }), {
    "sora-2": { per_second: 0.05, per_second_large: 0.05, per_minute: 3 },
  });
  assert.deepEqual(providerPrices({ m: { per_1m_input_tokens: 1, per_1m_output_tokens: 2, per_image: 0.1 } }), {
    m: { input_per_mtok: 1, output_per_mtok: 2, per_image: 0.1 },
  });
  assert.deepEqual(providerPrices({ "tts-1": { per_1k_chars: 15 } }), { "tts-1": { per_1k_chars: 15, per_minute: 0, input_per_mtok: 0 } });
});

async function plan(dir: string): Promise<Map<string, number>> {
  const r = await dramake(server, ["plan", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return new Map(events(r.stdout).filter((e) => e.event === "plan").map((e) => [e.id as string, e.estimate as number]));
}

test("plan prices steps with the project's prices, and lays out polish steps only with a polish model", async () => {
  const dir = await copyFixture(CLOUD);
  const before = await plan(dir);
  assert.equal(before.get("scene/bye/clip"), 0.4);
  assert.ok(before.has("scene/think/polish"));

  await editProject(
    dir,
    "    timeout_seconds: 20\n",
    "    timeout_seconds: 20\n    prices:\n      sora-2: { per_second: 0.05 }\n      gpt-4o-mini-tts: { per_1k_chars: 15 }\n",
  );
  await editProject(dir, "polish: gpt-4.1, ", "");
  const after = await plan(dir);
  assert.equal(after.get("scene/bye/clip"), 0.2, "4 s at the project's $0.05/s");
  assert.equal(after.get("scene/bye/voice/1"), 0.15, "'Thank you!' is 10 characters at $15 per 1000");
  assert.equal(after.has("scene/think/polish"), false, "no polish model, no polish step");
  assert.equal(server.log.length, 0, "planning sends nothing");
});

test("a bad timing knob stops the CLI before anything runs, as a usage error", async () => {
  const dir = await copyFixture(CLOUD);
  const r = await dramake(server, ["build", dir, "--json"], { DRAMAKE_OPENAI_POLL_MS: "fast" });
  assert.equal(r.code, 2);
  // --json: the refusal is the one error event on stdout, as for any invalid project; the terminal message on stderr.
  const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; message: string });
  assert.deepEqual(events.map((e) => e.event), ["error"]);
  assert.match(events[0]!.message, /DRAMAKE_OPENAI_POLL_MS="fast" is not allowed/);
  assert.match(r.stderr, /DRAMAKE_OPENAI_POLL_MS="fast" is not allowed: a whole number of milliseconds from 1 to 600000/);
  assert.equal(server.log.length, 0);
});
