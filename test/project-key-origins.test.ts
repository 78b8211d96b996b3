/**
 * A shared project cannot send the user's key anywhere (issue 33, item 5): an
 * API key from the environment or .env goes only to a trusted origin (the
 * vendors' own, loopback, `dramake trust`, DRAMAKE_TRUSTED_ORIGINS); anything
 * else stops at load time, before a request, naming the origin and the
 * command. A key written in the file is its author's and is not checked.
 *
 * The fake server listens on all addresses and the project names it as
 * http://[::ffff:7f00:1]:PORT, an IPv4-mapped address that reaches it but is
 * not one of the loopback names trusted by default, so the requests it sees
 * are counted honestly.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject } from "../src/project/load.js";
import { assertNoKeyIn, copyFixture, KEY, startOpenAIServer, CLOUD } from "./build-openai-helpers.js";
import { runCli } from "./build-helpers.js";

function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.DRAMAKE_TRUSTED_ORIGINS;
  delete base.OPENAI_API_KEY;
  delete base.OPENAI_BASE_URL;
  return { ...base, NO_COLOR: "1", DRAMAKE_OPENAI_POLL_MS: "20", DRAMAKE_OPENAI_BACKOFF_MS: "20", ...extra };
}

const PROJECT = (baseUrl: string, key: string) => `dramake: 1
title: Trust
providers:
  shared:
    type: openai
    base_url: ${baseUrl}
    api_key: ${key}
    models: { text: gpt-4.1-mini }
use: { text: shared }
cast:
  ann: { name: Ann, look: young woman }
scenes:
  - id: hi
    cast: [ann]
    beat: She waves.
`;

async function projectDir(text: string, dotEnv?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dramake-trust-"));
  await writeFile(join(dir, "drama.yaml"), text);
  if (dotEnv !== undefined) await writeFile(join(dir, ".env"), dotEnv);
  return dir;
}

test("a build with a key from the environment and an untrusted base_url sends nothing; after `dramake trust` it builds", { timeout: 120_000 }, async () => {
  const server = await startOpenAIServer({ host: "::" });
  try {
    // Listening on "::", the fixture names itself http://:::PORT; only the port is wanted.
    const port = /:(\d+)\/v1$/.exec(server.url)![1];
    const origin = `http://[::ffff:7f00:1]:${port}`;
    const dir = await copyFixture(CLOUD);
    const config = await mkdtemp(join(tmpdir(), "dramake-config-"));
    const vars = env({ OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: KEY, XDG_CONFIG_HOME: config });

    const refused = await runCli(["build", dir], { env: vars });
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /drama\.yaml:15:15: error: the API key from OPENAI_API_KEY would be sent to http:\/\/\[::ffff:7f00:1\]:\d+, which you have not trusted; nothing was sent/);
    assert.ok(refused.stderr.includes(`dramake trust ${origin}`), refused.stderr);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
    assertNoKeyIn(refused.stderr + refused.stdout, "the refusal");
    assert.equal(server.log.length, 0, "the untrusted server saw requests");

    // `plan` sends nothing: a warning there, not a refusal.
    const plan = await runCli(["plan", dir], { env: vars });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stderr, /which you have not trusted/);

    const trust = await runCli(["trust", `${origin}/v1/whatever`], { env: vars });
    assert.equal(trust.code, 0, trust.stderr);
    assert.deepEqual(JSON.parse(await readFile(join(config, "dramake", "trusted.json"), "utf8")), { origins: [origin] });
    assert.ok(!existsSync(join(dir, "trusted.json")) && !existsSync(join(dir, ".dramake", "trusted.json")));
    const listed = await runCli(["trust"], { env: vars });
    assert.match(listed.stdout, new RegExp(`^${origin.replace(/[[\].*+?^${}()|\\]/g, "\\$&")}\\t`, "m"));

    const built = await runCli(["build", dir], { env: vars });
    assert.equal(built.code, 0, built.stderr);
    assert.ok(server.log.length > 0, "the trusted server saw no requests");
  } finally {
    await server.close();
  }
});

test("a key from .env is checked the same way; DRAMAKE_TRUSTED_ORIGINS trusts for one shell; a literal key is exempt", async () => {
  const untrusted = "https://relay.example/v1";
  const fromDotEnv = await projectDir(PROJECT(untrusted, "${RELAY_KEY}"), "RELAY_KEY=sk-from-dotenv\n");
  const config = await mkdtemp(join(tmpdir(), "dramake-config-"));
  const refused = await loadProject(fromDotEnv, { env: env({ XDG_CONFIG_HOME: config }) });
  assert.ok(!refused.ok);
  assert.deepEqual(
    refused.error.map((d) => `${d.line}:${d.col} ${d.code}`),
    ["6:15 untrusted-origin"],
  );
  assert.match(refused.error[0]!.message, /the API key from RELAY_KEY would be sent to https:\/\/relay\.example/);
  assert.match(refused.error[0]!.allowed!, /dramake trust https:\/\/relay\.example \(or set DRAMAKE_TRUSTED_ORIGINS=https:\/\/relay\.example\)/);
  assert.ok(!JSON.stringify(refused.error).includes("sk-from-dotenv"));

  // Trust from .env does not count: a .env can come with the clone.
  await writeFile(join(fromDotEnv, ".env"), "RELAY_KEY=sk-from-dotenv\nDRAMAKE_TRUSTED_ORIGINS=https://relay.example\n");
  assert.ok(!(await loadProject(fromDotEnv, { env: env({ XDG_CONFIG_HOME: config }) })).ok);
  // From the shell it does.
  assert.ok((await loadProject(fromDotEnv, { env: env({ XDG_CONFIG_HOME: config, DRAMAKE_TRUSTED_ORIGINS: "https://other.example, https://relay.example" }) })).ok);

  // The author's own key, written in the file, goes where the author says.
  const literal = await projectDir(PROJECT(untrusted, "sk-written-in-the-file"));
  assert.ok((await loadProject(literal, { env: env({ XDG_CONFIG_HOME: config }) })).ok);
  // The vendor's own origin and loopback are trusted without asking.
  for (const url of ["https://api.openai.com/v1", "http://localhost:8080/v1", "http://127.0.0.1:9/v1", "http://[::1]:9/v1"]) {
    const dir = await projectDir(PROJECT(url, "${RELAY_KEY}"));
    const loaded = await loadProject(dir, { env: env({ XDG_CONFIG_HOME: config, RELAY_KEY: "sk-env" }) });
    assert.ok(loaded.ok, `${url}: ${loaded.ok ? "" : loaded.error.map((d) => d.message).join("; ")}`);
  }
  // Offline builds send nothing anywhere.
  assert.ok((await loadProject(fromDotEnv, { env: env({ XDG_CONFIG_HOME: config }), offline: true })).ok);
});

test("a preset's other credentials and an upload token are checked too; a preset's own default origin is trusted", async () => {
  const config = await mkdtemp(join(tmpdir(), "dramake-trust-config-"));
  const kling = (extra: string) => `dramake: 1
title: Trust
providers:
  kling:
    type: kling
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
${extra}use: { video: kling }
cast:
  ann: { name: Ann, look: young woman }
scenes:
  - id: hi
    cast: [ann]
    beat: She waves.
`;
  const keys = { XDG_CONFIG_HOME: config, KLING_ACCESS_KEY: "AK-from-env", KLING_SECRET_KEY: "SK-from-env-SECRET" };
  // No base_url: the preset's documented origin, trusted without asking.
  assert.ok((await loadProject(await projectDir(kling("")), { env: env(keys) })).ok);
  // A base_url of the project's choosing: the access and secret keys are refused there.
  const moved = await loadProject(await projectDir(kling("    base_url: https://collector.example/v1\n")), { env: env(keys) });
  assert.ok(!moved.ok);
  const text = JSON.stringify(moved.error);
  assert.match(text, /KLING_(ACCESS|SECRET)_KEY would be sent to https:\/\/collector\.example/);
  assert.ok(!text.includes("SK-from-env-SECRET"), "the message never shows the key");
  // An upload token from the environment goes only to a trusted put origin.
  const uploads = "    uploads: { put: \"https://bucket.example/{sha256}{ext}\", get: \"https://cdn.example/{sha256}{ext}\", token: \"${UPLOAD_TOKEN}\" }\n";
  const upload = await loadProject(await projectDir(kling(uploads)), { env: env({ ...keys, UPLOAD_TOKEN: "tok-SECRET" }) });
  assert.ok(!upload.ok);
  assert.match(JSON.stringify(upload.error), /UPLOAD_TOKEN would be sent to https:\/\/bucket\.example/);
  const trusted = await loadProject(await projectDir(kling(uploads)), { env: env({ ...keys, UPLOAD_TOKEN: "tok-SECRET", DRAMAKE_TRUSTED_ORIGINS: "https://bucket.example" }) });
  assert.ok(trusted.ok, trusted.ok ? "" : JSON.stringify(trusted.error));
});
