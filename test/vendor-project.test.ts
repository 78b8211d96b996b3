/**
 * Issue 28, the project file: a provider `type` may be a video preset;
 * kling's access_key/secret_key, `capabilities:` (issue 27's shape) and
 * `uploads:` load as secrets or data, never into the project's JSON; bad
 * values are positioned errors saying what is allowed. The schema's preset
 * list and the runner's presets are the same list.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadProject } from "../src/project/load.js";
import type { Diagnostic } from "../src/project/diagnostic.js";
import { VIDEO_PRESET_TYPES } from "../src/project/schema.js";
import { PRESETS } from "../src/providers/http-jobs/presets/index.js";
import { jobApiSchema } from "../src/project/job-api.js";
import { CAPABILITIES } from "../src/providers/http-jobs/capabilities.js";

async function load(providers: string, use: string, env: Record<string, string> = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-vendor-"));
  await writeFile(
    path.join(dir, "drama.yaml"),
    `dramake: 1
title: Vendors
providers:
${providers}
use: ${use}
cast:
  kai: { name: Kai, look: courier in a yellow coat }
scenes:
  - id: delivery
    lines:
      - kai: Sign here, please.
`,
  );
  return loadProject(dir, { env });
}

const messages = (diags: readonly Diagnostic[]) => diags.filter((d) => d.severity === "error").map((d) => `${d.line}:${d.col} ${d.message} | ${d.allowed ?? ""}`);

const KLING = `  kling:
    type: kling
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
    models: { video: kling-v2-6 }
    capabilities: { kling-v3: { seconds: [5, 10], sizes: [720x1280], native_audio: false, references: 1 } }
    uploads: { put: "https://store.example/up/{sha256}{ext}", get: "https://cdn.example/{sha256}{ext}", token: "\${UPLOAD_TOKEN}" }`;

test("a kling provider: keys and upload token are secrets, capabilities and uploads are data", async () => {
  const env = { KLING_ACCESS_KEY: "AK-0123456789", KLING_SECRET_KEY: "SK-SECRET-0123456789", UPLOAD_TOKEN: "UP-SECRET-0123456789" };
  // The upload token from the environment goes to the store's put origin: the user trusts it (issue 33 item 5).
  const r = await load(KLING, "{ video: kling }", { ...env, DRAMAKE_TRUSTED_ORIGINS: "https://store.example" });
  assert.ok(r.ok, r.ok ? "" : messages(r.error).join("\n"));
  const p = r.value;
  assert.equal(p.secrets.credential("kling", "access_key"), "AK-0123456789");
  assert.equal(p.secrets.credential("kling", "secret_key"), "SK-SECRET-0123456789");
  assert.equal(p.secrets.credential("kling", "upload_token"), "UP-SECRET-0123456789");
  const k = p.providers.kling!;
  assert.equal(k.type, "kling");
  assert.equal(k.base_url, undefined, "the preset's own base URL applies");
  assert.deepEqual(k.capabilities, { "kling-v3": { seconds: [5, 10], sizes: ["720x1280"], native_audio: false, references: 1 } });
  assert.deepEqual(k.uploads, { put: "https://store.example/up/{sha256}{ext}", get: "https://cdn.example/{sha256}{ext}" });
  const json = JSON.stringify(p);
  for (const secret of Object.values(env)) assert.ok(!json.includes(secret), `${secret} in the project's JSON`);
});

test("bad preset values are positioned errors saying what is allowed", async () => {
  const typo = await load("  ark: { type: seedanse, api_key: x }", "{ video: ark }");
  assert.ok(!typo.ok);
  assert.match(messages(typo.error).join("\n"), /^4:\d+ .*\| .*seedance, kling, veo, minimax, wan, runway, luma, fal.*replicate/m);

  const caps = await load(KLING.replace("seconds: [5, 10]", "seconds: five"), "{ video: kling }", { KLING_ACCESS_KEY: "a", KLING_SECRET_KEY: "b", UPLOAD_TOKEN: "c" });
  assert.ok(!caps.ok);
  assert.match(messages(caps.error).join("\n"), /^9:\d+ .*\| clip lengths the model accepts, e\.g\. \[5, 10\]/m);

  const up = await load(KLING.replace("https://store.example/up/{sha256}{ext}", "https://store.example/up"), "{ video: kling }", { KLING_ACCESS_KEY: "a", KLING_SECRET_KEY: "b", UPLOAD_TOKEN: "c" });
  assert.ok(!up.ok);
  assert.match(messages(up.error).join("\n"), /^10:\d+ .*must contain \{sha256\}/m);
});

test("the schema's presets are the runner's presets; each preset's mapping validates and its default model is in the table", () => {
  assert.deepEqual([...VIDEO_PRESET_TYPES].sort(), Object.keys(PRESETS).sort());
  for (const [type, preset] of Object.entries(PRESETS)) {
    const parsed = jobApiSchema.safeParse(preset.api);
    assert.ok(parsed.success, `${type}: ${parsed.success ? "" : parsed.error.message}`);
    assert.ok(CAPABILITIES[preset.defaultModel], `${type}: ${preset.defaultModel} has no capability row`);
    assert.match(preset.baseUrl, /^https:\/\//);
  }
});

test("from the project file to a clip: jobsVideoFor + asProvider (the registry's one line), prices and capabilities from drama.yaml", async () => {
  const { startVendorFake } = await import("./fixtures/vendors/server.js");
  const { KEYS, SHAPES, clipRequest, leaks } = await import("./fixtures/vendors/harness.js");
  const { callContext, probe } = await import("./fixtures/openai-server/call-context.js");
  const { jobsVideoFor, asProvider, isVideoPreset } = await import("../src/providers/http-jobs/from-project.js");
  const f = await startVendorFake(SHAPES.kling, KEYS, { polls: 1 });
  try {
    const r = await load(
      `  kling:
    type: kling
    base_url: ${f.url}
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
    models: { video: kling-v3 }
    prices: { kling-v3: { per_second: 0.08 } }
    capabilities: { kling-v3: { seconds: [5, 10] } }`,
      "{ video: kling }",
      { KLING_ACCESS_KEY: KEYS.accessKey!, KLING_SECRET_KEY: KEYS.secretKey! },
    );
    assert.ok(r.ok, r.ok ? "" : messages(r.error).join("\n"));
    const config = r.value.providers.kling!;
    assert.ok(isVideoPreset(config.type));
    const jobs = jobsVideoFor(config, r.value.secrets, { poll: { firstMs: 10, maxMs: 20 } });
    const provider = asProvider(jobs, config.type, config.name);
    const req = await clipRequest(7);
    assert.equal(provider.estimate("video", req), 0.8, "10 s (the declared lengths) at the project's price");
    assert.equal(provider.unpriced?.("video", req), undefined);
    const ctx = await callContext("mp4");
    const usage = await provider.clip(req, ctx);
    assert.equal(usage.cost, 0.8);
    assert.equal(f.log.find((e) => e.route === "create")!.body!.duration, "10");
    assert.equal(f.log.find((e) => e.route === "create")!.body!.model_name, "kling-v3");
    assert.equal((await probe(ctx.outFile)).streams[0]?.codec_type, "video");
    assert.equal(leaks(JSON.stringify(jobs.identity)), undefined);
    assert.deepEqual(jobs.identity, { type: "kling", base_url: f.url, model: "kling-v3" });
    await assert.rejects(provider.lines({} as never, ctx), /a kling provider makes video only/);
  } finally {
    await f.close();
  }
});

test("a video preset named for another modality is a positioned error", async () => {
  const r = await load("  ark: { type: seedance, api_key: x }", "{ text: ark, video: ark }");
  assert.ok(!r.ok);
  const all = messages(r.error);
  assert.equal(all.length, 1, all.join("\n"));
  assert.match(all[0]!, /^5:14 provider 'ark' \(type seedance\) makes video only, not text \| use\.video: ark; text from another provider/);
});
