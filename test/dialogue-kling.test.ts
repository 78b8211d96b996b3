/**
 * Issue 29, Kling's lip sync through `dramake build`: when one `kling`
 * provider makes the clip and the lip sync, the lip-sync job names the clip
 * by the video_id Kling gave it (kept as the clip step's `vendor-id`
 * output), so no upload store is needed; the fake (from Kling's reference)
 * accepts only a video id of a finished image2video job. The voice goes
 * inline as base64. A line edit: one lip-sync job, no new clip.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { editProject, runCli, stepsIn } from "./build-helpers.js";
import { assertNoKeysUnder } from "./build-relay-helpers.js";
import { startVendorFake, type VendorFake } from "./fixtures/vendors/server.js";
import { klingLipsyncShape } from "./fixtures/vendors/kling-lipsync.js";
import { KEYS } from "./fixtures/vendors/harness.js";
import { silentClip } from "./fixtures/dialogue/media.js";

let fake: VendorFake;
let dir: string;

const env = () => ({ KLING_ACCESS_KEY: KEYS.accessKey!, KLING_SECRET_KEY: KEYS.secretKey!, DRAMAKE_OPENAI_POLL_MS: "20" });

before(async () => {
  fake = await startVendorFake(klingLipsyncShape, KEYS, { clip: await silentClip(5, "red") });
  dir = await mkdtemp(join(tmpdir(), "dramake-kling-lipsync-"));
  await writeFile(
    join(dir, "drama.yaml"),
    `dramake: 1
title: Kling Lips
format: { aspect: "9:16", size: 72x128, fps: 12 }
providers:
  kling:
    type: kling
    base_url: ${fake.url}
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
    models: { video: kling-v2-6 }
    prices: { kling-v2-6: { per_second: 0.07 }, kling-lip-sync: { per_second: 0.02 } }
use: { video: kling, lipsync: kling }
dialogue: lipsync
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
scenes:
  - id: the-door
    setting: a doorway
    seconds: 5
    lines:
      - grandpa: Who is it?
`,
  );
});
after(() => fake.close());

const lipCreates = () => fake.log.filter((e) => e.route === "create" && e.path === "/v1/videos/lip-sync");
const videoCreates = () => fake.log.filter((e) => e.route === "create" && e.path !== "/v1/videos/lip-sync");

test("kling makes the clip and its lip sync: the lip-sync job names the clip by its video_id, no upload store; a line edit buys one lip sync", async () => {
  const first = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(first.code, 0, first.stderr + first.stdout.slice(-1500));
  assert.ok(stepsIn(first.stdout, "ran").includes("scene/the-door/lipsync"));
  assert.equal(videoCreates().length, 1);
  assert.equal(lipCreates().length, 1);
  const input = lipCreates()[0]!.body!.input as Record<string, unknown>;
  assert.equal(typeof input.video_id, "string", JSON.stringify(input).slice(0, 300));
  assert.ok(!("video_url" in input), "by id, not by URL");
  assert.equal(input.audio_type, "file");
  assert.ok(typeof input.audio_file === "string" && Buffer.from(input.audio_file, "base64").subarray(0, 4).toString("latin1") === "RIFF", "the voice inline as base64 WAV");
  assert.equal(lipCreates()[0]!.status, 200, "the fake knew the video id");

  await editProject(dir, "grandpa: Who is it?", "grandpa: Who is there?");
  const again = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(videoCreates().length, 1, "no new clip");
  assert.equal(lipCreates().length, 2, "one lip sync");
  assert.equal(typeof (lipCreates()[1]!.body!.input as Record<string, unknown>).video_id, "string", "the cached clip's id is kept with it");
  await assertNoKeysUnder(dir, [KEYS.accessKey!, KEYS.secretKey!]);
});
