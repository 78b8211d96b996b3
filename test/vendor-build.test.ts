/**
 * A video preset through `dramake build` (issue 28): a project whose clips
 * come from Kling (the fake checks its HS256 JWT, so the access and secret
 * keys must travel from the project's environment through the executor to
 * the op), everything else offline. One create per scene at a length the
 * model allows, clips probed, a rebuild buys nothing, and neither key lands
 * in the lock, the cache or build/.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { events, runCli, stepsIn } from "./build-helpers.js";
import { assertNoKeysUnder } from "./build-relay-helpers.js";
import { startVendorFake, type VendorFake } from "./fixtures/vendors/server.js";
import { KEYS, SHAPES } from "./fixtures/vendors/harness.js";
import { probe } from "./fixtures/openai-server/call-context.js";

let fake: VendorFake;
let dir: string;

const project = (url: string) => `dramake: 1
title: Kling Test
language: en
theme: A phone call.
format: { aspect: "9:16", size: 72x128, fps: 24 }
providers:
  kling:
    type: kling
    base_url: ${url}
    access_key: \${KLING_ACCESS_KEY}
    secret_key: \${KLING_SECRET_KEY}
    models: { video: kling-v2-6 }
    prices: { kling-v2-6: { per_second: 0.07 } }
use: { video: kling }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
scenes:
  - id: the-call
    setting: a kitchen
    cast: [grandpa]
    action: He answers the phone.
    seconds: 7
    lines:
      - grandpa: Hello?
  - id: the-door
    setting: a doorway
    cast: [grandpa]
    action: He opens the door.
    seconds: 4
    lines:
      - grandpa: Who is it?
`;

const env = () => ({ KLING_ACCESS_KEY: KEYS.accessKey!, KLING_SECRET_KEY: KEYS.secretKey!, DRAMAKE_OPENAI_POLL_MS: "20" });

before(async () => {
  fake = await startVendorFake(SHAPES.kling, KEYS, { polls: 2 });
  dir = await mkdtemp(join(tmpdir(), "dramake-kling-"));
  await writeFile(join(dir, "drama.yaml"), project(fake.url));
});
after(async () => fake.close());

test("kling through dramake build: one create per scene at an allowed length, JWT from the executor's secrets, nothing bought twice", async () => {
  const first = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(stepsIn(first.stdout, "ran").filter((id) => id.endsWith("/clip")), ["scene/the-call/clip", "scene/the-door/clip"]);
  const creates = fake.log.filter((e) => e.route === "create");
  assert.equal(creates.length, 2, "one create per clip");
  // Kling's model takes 5 or 10 s: 7 s is asked as "10", 4 s as "5" (the cut trims to the scene).
  assert.deepEqual(creates.map((e) => e.body!.duration).sort(), ["10", "5"]);
  assert.ok(creates.every((e) => e.status === 200), "the fake accepted every create (a bad JWT is a 401)");
  const summary = events(first.stdout).find((e) => e.event === "summary") as { cost: { spent: number } };
  assert.ok(Math.abs(summary.cost.spent - 0.07 * 15) < 1e-9, `spent ${summary.cost.spent}`);
  const out = join(dir, "build", "kling-test.mp4");
  const info = await probe(out);
  assert.ok(info.streams.some((s) => s.codec_type === "video"));

  const again = await runCli(["build", "--json", dir], { env: env() });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(stepsIn(again.stdout, "ran"), []);
  assert.equal(fake.log.filter((e) => e.route === "create").length, 2, "a rebuild buys nothing");
  for (const e of fake.log.filter((e) => e.side === "cdn")) assert.deepEqual(e.credentials, [], "no credential to the download host");
  await assertNoKeysUnder(dir, [KEYS.accessKey!, KEYS.secretKey!]);
});
