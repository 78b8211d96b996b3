/**
 * The queue layer's pure parts, no Redis: URL redaction, names in Redis,
 * the payload guard (what may go over the wire), the failure envelope and
 * the worker's check of job data.
 */
import assert from "node:assert/strict";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { checkUrl, redactor, redactUrl } from "../src/engine/execute/queue/connection.js";
import type { StepJob } from "../src/engine/execute/queue/contract.js";
import { jobId, queueName } from "../src/engine/execute/queue/names.js";
import { checkPayload, parseJob } from "../src/engine/execute/queue/payload.js";
import { decodeFailure, encodeFailure, reasonText } from "../src/engine/execute/queue/wire.js";

const job: StepJob = {
  key: "9f86d081884c7d65",
  id: "scene/the-call/clip",
  op: "video",
  kind: "video",
  version: 1,
  params: { prompt: "He answers", provider: { type: "openai", base_url: "${OPENAI_BASE_URL:-https://api.openai.com/v1}", api_key: "${OPENAI_API_KEY}", video_path: "/videos/generations" } },
  inputs: { "scene/the-call/keyframe": { image: { digest: "a1b2c3", size: 10 } } },
  files: { "refs/grandpa.png": "d4e5f6" },
  take: 1,
  remote: true,
};

test("a queue URL is shown with its password hidden, in the URL and in any text", () => {
  assert.equal(redactUrl("redis://:s3cret@cache-host:6379"), "redis://:***@cache-host:6379");
  assert.equal(redactUrl("rediss://user:p%40ss@h:6380/2"), "rediss://user:***@h:6380/2");
  assert.equal(redactUrl("redis://cache-host:6379"), "redis://cache-host:6379");
  assert.equal(redactUrl("not a url :pw@"), "<the queue URL, which is not a valid URL>");
  const hide = redactor("rediss://user:p%40ss@h:6380/2");
  assert.equal(hide("AUTH p@ss failed for rediss://user:p%40ss@h:6380/2"), "AUTH *** failed for rediss://user:***@h:6380/2");
  assert.equal(checkUrl("redis://h:1").ok, true);
  assert.equal(checkUrl("rediss://h:1").ok, true);
  const bad = checkUrl("https://:pw@h:1");
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.message, "cannot reach the queue at https://:***@h:1: its scheme is https; use redis:// or rediss:// (TLS) (start Redis there, or fix DRAMAKE_QUEUE / --queue)");
    assert.ok(!JSON.stringify(bad.error).includes("pw"));
  }
});

test("job ids are step keys, made acceptable to BullMQ one-to-one; queue names per pool", () => {
  assert.equal(jobId("9f86d081884c7d65"), "9f86d081884c7d65");
  // BullMQ refuses an id that reads as an integer; an all-digit hex key gets a prefix no hex key has.
  assert.equal(jobId("1234567890123456"), "k1234567890123456");
  assert.equal(jobId("0123456789012345"), "k0123456789012345");
  assert.ok(!jobId("a:b").includes(":"));
  assert.equal(queueName({ kind: "local" }), "local");
  assert.equal(queueName({ kind: "provider", pool: "cloud:video", concurrency: 2 }), "pool-cloud%3Avideo");
  assert.notEqual(queueName({ kind: "provider", pool: "a:b", concurrency: 1 }), queueName({ kind: "provider", pool: "a%3Ab", concurrency: 1 }));
});

test("the payload guard passes references, URL paths and digests; refuses secret values and this machine's paths", () => {
  assert.equal(checkPayload(job, { secrets: ["sk-live-123456"] }).ok, true);
  const withKey = checkPayload({ ...job, params: { prompt: "x", headers: ["Bearer sk-live-123456"] } }, { secrets: ["sk-live-123456"] });
  assert.equal(withKey.ok, false);
  if (!withKey.ok) {
    assert.deepEqual(withKey.error.failure, { kind: "unsafe-job", field: "job.params.headers[0]", what: "secret" });
    assert.ok(!withKey.error.message.includes("sk-live"));
  }
  const tmpFile = checkPayload({ ...job, params: { image: join(tmpdir(), "x.png") } }, {});
  assert.equal(tmpFile.ok, false);
  const home = checkPayload({ ...job, files: { [join(homedir(), "proj", "a.png")]: "00" } }, {});
  assert.equal(home.ok, false);
  if (!home.ok) assert.equal(home.error.failure.what, "path");
  const project = checkPayload({ ...job, params: { root: "/srv/projects/drama" } }, { paths: ["/srv/projects/drama/"] });
  assert.equal(project.ok, false);
  // A sibling that only starts with the same letters is not under it.
  assert.equal(checkPayload({ ...job, params: { root: `${homedir()}-other/x` } }, {}).ok, true);
});

test("a step failure travels in BullMQ's failedReason and comes back whole; BullMQ's own reasons stay text", () => {
  const run = { message: "fake refused the request", failure: { kind: "refused", code: "content_policy", retry: null }, cost: 0.5, notices: ["slow"], worker: "h:1" };
  const reason = encodeFailure(run);
  assert.deepEqual(decodeFailure(reason), run);
  assert.equal(reasonText(reason), "fake refused the request");
  assert.equal(decodeFailure("job stalled more than allowable limit"), undefined);
  assert.equal(reasonText("job stalled more than allowable limit"), "job stalled more than allowable limit");
  assert.equal(decodeFailure("dramake-failure:{not json"), undefined);
  assert.equal(decodeFailure('dramake-failure:{"message":"m"}'), undefined);
});

test("a worker checks job data before running it", () => {
  assert.deepEqual(parseJob(JSON.parse(JSON.stringify(job))), { ok: true, value: job });
  assert.deepEqual(parseJob(null), { ok: false, error: "the job's data is not an object" });
  assert.deepEqual(parseJob({ ...job, take: 0 }), { ok: false, error: "the job's take is not a positive integer" });
  assert.deepEqual(parseJob({ ...job, inputs: { a: 1 } }), { ok: false, error: "the job's inputs are not a map of step to outputs (digest and size)" });
  assert.deepEqual(parseJob({ ...job, inputs: { a: { image: "a1b2c3" } } }), { ok: false, error: "the job's inputs are not a map of step to outputs (digest and size)" });
  assert.deepEqual(parseJob({ ...job, op: "" }), { ok: false, error: "the job's op is not a string" });
});
