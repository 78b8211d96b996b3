/**
 * The relay build tests: the real CLI against two fakes on 127.0.0.1, the
 * OpenAI one for text, images and speech and the relay one (its own URL and
 * key) for clips and music, as test/fixtures/projects/relay describes.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runCli, type CliRun } from "./build-helpers.js";
import { KEY, parseBuild, spawnDramake, type BuildResult } from "./build-openai-helpers.js";
import type { OpenAIServer } from "./fixtures/openai-server/server.js";
import type { RelayServer } from "./fixtures/relay-server/server.js";

export const RELAY = "projects/relay";
/** The relay's own key, distinct from the OpenAI one: neither may leak, and each must go only where it belongs. */
export const RELAY_KEY = "sk-relay-SECRET-456";

export interface Fakes {
  readonly openai: OpenAIServer;
  readonly relay: RelayServer;
}

export function relayEnv({ openai, relay }: Fakes): NodeJS.ProcessEnv {
  return {
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: KEY,
    RELAY_URL: relay.url,
    RELAY_KEY,
    DRAMAKE_OPENAI_POLL_MS: "20",
    DRAMAKE_OPENAI_BACKOFF_MS: "20",
  };
}

function assertNoKeys(text: string, where: string): void {
  for (const k of [KEY, RELAY_KEY]) assert.ok(!text.includes(k), `a key leaked into ${where}`);
}

export async function dramakeRelay(fakes: Fakes, args: readonly string[]): Promise<CliRun> {
  const r = await runCli(args, { env: relayEnv(fakes) });
  assertNoKeys(r.stdout + r.stderr, `the output of dramake ${args.join(" ")}`);
  return r;
}

export async function buildRelay(fakes: Fakes, dir: string, ...more: string[]): Promise<BuildResult> {
  return parseBuild(await dramakeRelay(fakes, ["build", dir, "--json", ...more]));
}

export function spawnRelayBuild(fakes: Fakes, dir: string): { child: ChildProcess; done: Promise<CliRun> } {
  const { child, done } = spawnDramake(fakes.openai, ["build", dir, "--json"], relayEnv(fakes));
  return { child, done: done.then((r) => (assertNoKeys(r.stdout + r.stderr, "a killed build's output"), r)) };
}

/** None of the keys (by default the OpenAI and relay ones) in any byte of any file under `dir`. */
export async function assertNoKeysUnder(dir: string, secrets: readonly string[] = [KEY, RELAY_KEY]): Promise<void> {
  const keys = secrets.map((k) => Buffer.from(k));
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(join(entry.parentPath, entry.name));
    for (const k of keys) assert.ok(!bytes.includes(k), `a key is stored in ${join(entry.parentPath, entry.name)}`);
  }
}
