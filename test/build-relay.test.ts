/**
 * Issue 9 end to end: a project whose clips and music come from a relay's
 * JSON job API (its own URL and key under `endpoints`) builds with the real
 * CLI; a failed job fails only its scene under --keep-going; an undecodable
 * download (issue 10 defect 1) fails the clip, caches nothing, and the next
 * build downloads the same job again without paying for another; a model
 * with no price is "price unknown" and a budget refuses it.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { copyFixture, editProject, events } from "./build-helpers.js";
import { inState } from "./build-openai-helpers.js";
import { startOpenAIServer } from "./fixtures/openai-server/server.js";
import { startRelayServer } from "./fixtures/relay-server/server.js";
import { probe } from "./fixtures/openai-server/call-context.js";
import { KEY } from "./build-openai-helpers.js";
import { assertNoKeysUnder, buildRelay, dramakeRelay, RELAY, RELAY_KEY, type Fakes } from "./build-relay-helpers.js";

let fakes: Fakes;
let dir: string;
before(async () => {
  const [openai, relay] = await Promise.all([startOpenAIServer({ apiKey: KEY }), startRelayServer({ apiKey: RELAY_KEY, polls: 2 })]);
  fakes = { openai, relay };
  dir = await copyFixture(RELAY);
});
after(async () => {
  await fakes.openai.close();
  await fakes.relay.close();
});

const creates = (from = 0) => fakes.relay.log.slice(from).filter((e) => e.route === "video.create" && e.status === 200);

test("a model without a price: plan says 'price unknown'; a budget refuses before any request, saying how to set it", async () => {
  const priced = await copyFixture(RELAY);
  await editProject(priced, "      kling-v2: { per_second: 0.05 }\n", "");
  const plan = await dramakeRelay(fakes, ["plan", priced]);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /run +scene\/door\/clip price unknown/);
  assert.match(plan.stdout, /\+ 2 at a price unknown \(set prices: \{ kling-v2: \{ per_second: <USD> \} \} under providers\.relay\)/);
  const json = events((await dramakeRelay(fakes, ["plan", priced, "--json"])).stdout).filter((e) => e.event === "plan" && String(e.id).endsWith("/clip"));
  assert.deepEqual(json.map((e) => e.price), ["unknown", "unknown"]);

  const refused = await buildRelay(fakes, priced);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /2 step\(s\) to run have no known price \(scene\/door\/clip, scene\/open\/clip\), so the budget of \$5\.00 cannot be kept; nothing was run \(set prices: \{ kling-v2: \{ per_second: <USD> \} \} under providers\.relay/);
  assert.equal(fakes.openai.log.length + fakes.relay.log.length, 0, "not a single request");
});

test("a failed job fails its scene only (--keep-going); a bad download fails the clip and caches nothing; the next build finishes without a second job", async () => {
  fakes.relay.reset();
  fakes.openai.reset();
  fakes.relay.inject("video.create", { kind: "job-fail", reason: "the relay's GPUs are on fire" });
  const first = await buildRelay(fakes, dir, "--keep-going");
  assert.equal(first.code, 1);
  const failedClips = inState(first, "failed").filter((id) => id.endsWith("/clip"));
  assert.equal(failedClips.length, 1, JSON.stringify([...first.steps]));
  assert.match(first.steps.get(failedClips[0]!)!.reason!, /video job gen_\d+ failed \(failed\): the relay's GPUs are on fire/);
  const other = failedClips[0] === "scene/door/clip" ? "scene/open/clip" : "scene/door/clip";
  assert.equal(first.steps.get(other)?.state, "ran", "--keep-going finished the other scene");
  assert.equal(first.steps.get("music")?.state, "ran");
  assert.equal(creates().length, 2);

  // The failed job is replaced by one new job, whose download is cut to half a file with a matching length.
  fakes.relay.inject("download", { kind: "short-file", times: 10 });
  const second = await buildRelay(fakes, dir);
  assert.equal(second.code, 1);
  assert.match(second.steps.get(failedClips[0]!)!.reason!, /video\.download: the downloaded video does not decode/);
  assert.equal(creates().length, 3, "one new job for the failed one");

  fakes.relay.clearFaults();
  const mark = fakes.relay.log.length;
  const third = await buildRelay(fakes, dir);
  assert.equal(third.code, 0, third.stderr);
  assert.deepEqual(inState(third, "ran").filter((id) => id.endsWith("/clip")), [failedClips[0]]);
  assert.equal(creates(mark).length, 0, "the recorded job is downloaded again, not bought again");
  assert.equal(fakes.relay.log.slice(mark).filter((e) => e.route === "download").length, 1);
  assert.equal(third.summary.output, "build/relay-test.mp4");
  const final = await probe(join(dir, "build/relay-test.mp4"));
  assert.deepEqual(final.streams.map((s) => s.codec_type).sort(), ["audio", "video"]);
});

test("a fresh relay build: one job per scene and one for music (the episode's length); the key goes to its own API only", async () => {
  const fresh = await copyFixture(RELAY);
  fakes.relay.reset();
  fakes.openai.reset();
  const b = await buildRelay(fakes, fresh);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(creates().length, 2);
  const music = fakes.relay.log.filter((e) => e.route === "music.create");
  assert.deepEqual(music.map((e) => e.body?.duration), [3], "1 s + 1.5 s of scenes, rounded up");
  assert.ok(Math.abs(b.steps.get("scene/door/clip")!.cost! - 0.05) < 1e-9, "1 s of kling-v2 at $0.05/s");
  assert.ok(Math.abs(b.steps.get("scene/open/clip")!.cost! - 0.1) < 1e-9, "1.5 s asked as 2 s");
  assert.ok(Math.abs(b.steps.get("music")!.cost! - 0.03) < 1e-9);
  const downloads = fakes.relay.log.filter((e) => e.route === "download");
  assert.equal(downloads.length, 3);
  assert.ok(downloads.every((e) => !e.auth), "the CDN never saw an Authorization header");
  assert.ok(fakes.relay.log.filter((e) => e.route !== "download").every((e) => e.auth), "the relay got its own key");
  assert.equal(fakes.openai.log.filter((e) => e.route.startsWith("video")).length, 0, "no clip request went to the text/image API");
  // Requests per build, for the closing note.
  const perRoute: Record<string, number> = {};
  for (const e of [...fakes.openai.log, ...fakes.relay.log]) perRoute[e.route] = (perRoute[e.route] ?? 0) + 1;
  console.log(`requests for one relay build: ${fakes.openai.log.length + fakes.relay.log.length} ${JSON.stringify(perRoute)}`);

  const mark = fakes.relay.log.length + fakes.openai.log.length;
  const again = await buildRelay(fakes, fresh);
  assert.equal(again.code, 0);
  assert.equal(fakes.relay.log.length + fakes.openai.log.length, mark, "a rebuild asks nothing");
  await assertNoKeysUnder(fresh);
});
