/**
 * `dramake providers`: every preset, its modality, its models with the
 * lengths the capability table allows and the published price; --json one
 * line per preset.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "./build-helpers.js";
import { PRESETS } from "../src/providers/http-jobs/presets/index.js";

test("dramake providers lists the presets, their models, lengths and prices; --json one line each", async () => {
  const text = await runCli(["providers"]);
  assert.equal(text.code, 0, text.stderr);
  for (const type of Object.keys(PRESETS)) assert.match(text.stdout, new RegExp(`^${type}  \\(video\\)  https://`, "m"));
  assert.match(text.stdout, /\* veo-3\.1-fast-generate-preview {2}4, 6, 8 s {2}sound {2}\$0\.150\/s/);
  assert.match(text.stdout, /\* doubao-seedance-2-0-260128 {2}4-15 s {2}sound/);
  assert.match(text.stdout, /\* kling-v2-6 {2}5, 10 s/);

  const json = await runCli(["providers", "--json"]);
  assert.equal(json.code, 0);
  const rows = json.stdout.trim().split("\n").map((l) => JSON.parse(l) as { event: string; type: string; models: { model: string; seconds: number[]; default: boolean }[] });
  assert.deepEqual(rows.map((r) => r.type), Object.keys(PRESETS));
  assert.ok(rows.every((r) => r.event === "preset" && r.models.filter((m) => m.default).length === 1));
  assert.deepEqual(rows.find((r) => r.type === "fal")!.models[0]!.seconds, [5, 10]);
});
