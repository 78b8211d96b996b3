/**
 * Issue 33 item 16, what a series' reports say: the costs of its episodes and
 * of the steps they share (portraits, the series' music) add up to the
 * total, in `plan` and in a build's summary; a cast member with no voice for
 * the speech provider in use is named by `validate` and `plan`, at the file
 * and line where the member is written, instead of silently speaking as 'alloy'.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "./build-helpers.js";
import { summaryLine } from "../src/report/terminal.js";
import type { BuildSummary } from "../src/engine/events.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const env = { OPENAI_API_KEY: "sk-test-not-sent", OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
const CLOUD = `providers:
  cloud:
    type: openai
    base_url: \${OPENAI_BASE_URL}
    api_key: \${OPENAI_API_KEY}
    models: { image: gpt-image-1, speech: gpt-4o-mini-tts }
`;

/** The night-market series with its images (portraits, keyframes) priced by a cloud provider; `use` replaced. */
async function series(use: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-series-costs-"));
  await cp(path.join(root, "examples/night-market"), dir, { recursive: true });
  const main = path.join(dir, "drama.yaml");
  const text = await readFile(main, "utf8");
  await writeFile(main, text.replace(/^use: .*$/m, `${CLOUD}use: ${use}`));
  return dir;
}

const usdIn = (line: string): number => Number(/\$(\d+\.\d+)/.exec(line)?.[1] ?? NaN);

test("plan on a series: a 'series' line for the shared steps, and the episodes' lines and it add up to the total", async () => {
  const dir = await series("{ image: cloud }");
  const r = await runCli(["plan", dir], { env });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  const total = usdIn(lines.find((l) => /to run, .*estimated cost/.test(l))!);
  const episodes = lines.filter((l) => /^ {2}episode \d+: estimated cost/.test(l)).map(usdIn);
  const shared = lines.find((l) => l.startsWith("  series (shared: portraits, music): estimated cost"));
  assert.equal(episodes.length, 3, r.stdout);
  assert.ok(shared, r.stdout);
  // Three portraits are the series' own: they belong to no one episode.
  assert.ok(usdIn(shared) > 0, shared);
  assert.ok(Math.abs(episodes.reduce((a, b) => a + b, 0) + usdIn(shared) - total) < 0.011, `${episodes.join(" + ")} + ${usdIn(shared)} != ${total}`);
  await rm(dir, { recursive: true, force: true });
});

test("a build summary of a series: the series line is what the episodes' lines leave of the total", () => {
  const summary: BuildSummary = {
    total: 40, ran: 40, cached: 0, failed: 0, skipped: 0, estimated: 2.03, spent: 2.03, saved: 0, output: undefined, ms: 1000, aborted: false,
    groups: { "01": { estimated: 0.6, spent: 0.6, saved: 0, output: undefined }, "02": { estimated: 0.59, spent: 0.59, saved: 0, output: undefined }, "03": { estimated: 0.6, spent: 0.6, saved: 0, output: undefined } },
  };
  const text = summaryLine(summary);
  assert.match(text, /\n {2}episode 03: spent \$0\.60, saved \$0\.00\n {2}series \(shared: portraits, music\): spent \$0\.24, saved \$0\.00\n$/);
});

test("a cast member with no voice for the speech provider in use: validate and plan say so at the member's line; one with a voice is not named", async () => {
  const dir = await series("{ speech: cloud }");
  const cast = path.join(dir, "cast.yaml");
  const text = await readFile(cast, "utf8");
  // Ming gets a voice for cloud; Jun and Mrs Tan have offline voices only.
  await writeFile(cast, text.replace("voice: { offline: en+m3 }", "voice: { offline: en+m3, cloud: onyx }"));
  const line = (id: string) => text.split("\n").findIndex((l) => l.startsWith(`  ${id}:`)) + 1;
  for (const command of ["validate", "plan"]) {
    const r = await runCli([command, dir], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /cast member 'jun' has no voice for 'cloud' \(use\.speech\): the build speaks their lines with 'alloy'/, `${command}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`cast\\.yaml:${line("jun") + 3}:5: warning: cast member 'jun' has no voice`), `${command}: ${r.stderr}`);
    assert.match(r.stderr, /cast member 'mrs-tan' has no voice/);
    assert.doesNotMatch(r.stderr, /'ming' has no voice/);
  }
  await rm(dir, { recursive: true, force: true });
});
