/**
 * The one poll/resume policy (src/providers/http/job.ts) that OpenAI's video
 * jobs and the http-jobs runner both use: the journal's forms, what a
 * recorded job's check leads to (kept, replaced with a notice, or a failure),
 * and the poll schedule, measured as status checks made and time waited.
 * The wire-level counts per API are in openai-*.test.ts and vendor-*.test.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { pollDelay, pollJob, pollPolicy, readJobJournal, resumeJob, type JobState, type RemoteJob } from "../src/providers/http/job.js";
import { OpenAIProviderError } from "../src/providers/openai/errors.js";
import { callContext } from "./fixtures/openai-server/call-context.js";

type Status = { status: string; progress?: number };

/** A job whose status checks answer from `script` in order (the last repeats), counting them and when each came. */
function scripted(script: (Status | Error)[]): RemoteJob<Status> & { checks: number[] } {
  const checks: number[] = [];
  return {
    id: "job_1",
    what: "video",
    endpoint: "video.poll",
    checks,
    async check() {
      checks.push(Date.now());
      const next = script[Math.min(checks.length - 1, script.length - 1)]!;
      if (next instanceof Error) throw next;
      return next;
    },
    read: (a): JobState =>
      a.status === "failed"
        ? { state: "failed", code: "boom", reason: "the server's reason" }
        : { state: a.status === "done" ? "done" : "running", progress: a.progress ?? 0, label: `video ${a.status}` },
  };
}

const http = (status: number) => new OpenAIProviderError({ kind: "http", endpoint: "video.poll", status, message: `HTTP ${status}`, attempts: 1 });

test("the journal: a plain id as ever, an intent with its time, an id with the vendor's URLs; anything else is nothing", () => {
  assert.deepEqual(readJobJournal(undefined), {});
  assert.deepEqual(readJobJournal("video_123"), { id: "video_123" });
  assert.deepEqual(readJobJournal(JSON.stringify({ intent: "u-1", at: 1700000000 })), { intent: "u-1", at: 1700000000 });
  assert.deepEqual(readJobJournal(JSON.stringify({ intent: "dramake-ab" })), { intent: "dramake-ab" });
  assert.deepEqual(readJobJournal(JSON.stringify({ id: "r1", poll: "https://q/status", response: "https://q/r" })), { id: "r1", poll: "https://q/status", response: "https://q/r" });
  assert.deepEqual(readJobJournal("{not json"), {});
  assert.deepEqual(readJobJournal(JSON.stringify({ id: 5, intent: "", at: "x" })), {});
});

test("poll schedule: the first check after firstMs, then x1.5 per check up to maxMs; tuning overrides the provider's defaults", () => {
  const p = pollPolicy(undefined, { firstMs: 2000, maxMs: 10_000 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => pollDelay(p, n)), [2000, 3000, 4500, 6750, 10_000, 10_000]);
  assert.equal(p.jobTimeoutMs, 45 * 60_000);
  assert.deepEqual(pollPolicy({ firstMs: 5, jobTimeoutMs: 100 }, { firstMs: 1000, maxMs: 5000 }), { firstMs: 5, maxMs: 5000, jobTimeoutMs: 100 });
});

test("pollJob checks until done, waiting the schedule between checks, and reports progress", async () => {
  const ctx = await callContext("mp4");
  const job = scripted([{ status: "queued" }, { status: "in_progress", progress: 0.5 }, { status: "done", progress: 1 }]);
  const start = Date.now();
  const done = await pollJob(job, { status: "queued" }, { firstMs: 40, maxMs: 60, jobTimeoutMs: 60_000 }, ctx);
  assert.equal(done.status, "done");
  // The first answer (the create's) is not checked again: three checks, the third says done.
  assert.equal(job.checks.length, 3);
  const waits = [job.checks[0]! - start, job.checks[1]! - job.checks[0]!, job.checks[2]! - job.checks[1]!];
  for (const [i, want] of [40, 60, 60].entries()) assert.ok(waits[i]! >= want - 2, `wait ${i + 1} was ${waits[i]} ms, the schedule says ${want}`);
  assert.deepEqual(
    ctx.progressLog.map((p) => p.message),
    ["video queued", "video queued", "video in_progress", "video done"],
  );
  assert.equal(ctx.progressLog.at(-1)!.fraction, 0.99, "done is 0.99: the download is the last 1%");
});

test("pollJob: a failed job is job-failed with the server's reason; a job past its time is job-timeout, and neither checks again", async () => {
  const ctx = await callContext("mp4");
  const failing = scripted([{ status: "failed" }]);
  await assert.rejects(pollJob(failing, { status: "queued" }, { firstMs: 1, maxMs: 1, jobTimeoutMs: 60_000 }, ctx), (e: unknown) => {
    assert.ok(e instanceof OpenAIProviderError);
    assert.deepEqual(e.failure, { kind: "job-failed", endpoint: "video.poll", jobId: "job_1", code: "boom", reason: "the server's reason" });
    return true;
  });
  assert.equal(failing.checks.length, 1);

  const slow = scripted([{ status: "queued" }]);
  await assert.rejects(pollJob(slow, { status: "queued" }, { firstMs: 20, maxMs: 20, jobTimeoutMs: 50 }, ctx), (e: unknown) => {
    assert.ok(e instanceof OpenAIProviderError);
    assert.equal(e.failure.kind, "job-timeout");
    return true;
  });
  assert.ok(slow.checks.length >= 2 && slow.checks.length <= 4, `${slow.checks.length} checks in 50 ms at 20 ms apart`);
});

test("resumeJob keeps a running job; a failed, unknown (404) or unusable one is replaced with a notice; any other failure keeps it for the next build", async () => {
  const ctx = await callContext("mp4");
  assert.deepEqual(await resumeJob(scripted([{ status: "in_progress" }]), ctx), { status: "in_progress" });
  assert.deepEqual(ctx.notices, []);

  assert.equal(await resumeJob(scripted([{ status: "failed" }]), ctx), undefined);
  assert.equal(await resumeJob(scripted([http(404)]), ctx), undefined);
  assert.equal(await resumeJob(scripted([{ status: "done" }]), ctx, (a) => (a.status === "done" ? "finished but its download has expired" : undefined)), undefined);
  assert.deepEqual(ctx.notices, [
    "video job job_1 had failed (the server's reason); starting a new one",
    "video job job_1 is no longer known to the server; starting a new one",
    "video job job_1 finished but its download has expired; starting a new one",
  ]);

  // A 401 or a 500 says nothing about the job: paying for another could buy it twice.
  for (const status of [401, 500]) {
    await assert.rejects(resumeJob(scripted([http(status)]), ctx), (e: unknown) => e instanceof OpenAIProviderError && e.failure.kind === "http" && e.failure.status === status);
  }
  assert.equal(ctx.notices.length, 3);
});
