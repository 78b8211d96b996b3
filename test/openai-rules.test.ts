/**
 * The OpenAI provider's pure rules: Retry-After parsing, backoff bounds,
 * how a scene maps onto a video model, image sizes, price merging, redaction.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { backoff, retryAfterMs, type RetryPolicy } from "../src/providers/openai/retry.js";
import { mapVideo } from "../src/providers/openai/video-limits.js";
import { imageSize } from "../src/providers/openai/image.js";
import { priceBook } from "../src/providers/openai/prices.js";
import { redactor } from "../src/providers/openai/errors.js";

test("Retry-After: seconds, fractional seconds, an HTTP date, retry-after-ms, garbage", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(retryAfterMs(new Headers({ "retry-after": "1" }), now), 1000);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "0.5" }), now), 500);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "Thu, 01 Jan 2026 00:00:03 GMT" }), now), 3000);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "Wed, 31 Dec 2025 23:00:00 GMT" }), now), 0, "a past date means now");
  assert.equal(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }), now), 250);
  assert.equal(retryAfterMs(new Headers({ "retry-after": "soon" }), now), undefined);
  assert.equal(retryAfterMs(new Headers(), now), undefined);
});

test("backoff grows exponentially, stays within its ceiling and above half of it", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
      const policy = { baseDelayMs: 100, maxDelayMs: 5000, random: () => r } as RetryPolicy;
      const ceiling = Math.min(5000, 100 * 2 ** (attempt - 1));
      const d = backoff(policy, attempt);
      return d >= ceiling / 2 && d <= ceiling;
    }),
  );
});

test("video seconds map to the smallest allowed length that is long enough", () => {
  const at = (seconds: number) => mapVideo("sora-2", { sceneId: "s", seconds, size: { width: 720, height: 1280 } });
  assert.deepEqual([1, 4, 4.5, 8, 9, 12].map((s) => { const m = at(s); return m.ok ? m.value.seconds : "no"; }), [4, 4, 8, 8, 12, 12]);
  const tooLong = at(12.5);
  assert.ok(!tooLong.ok && tooLong.error.kind === "unsupported" && tooLong.error.subject === "scene s");
});

test("video sizes map to the model's allowed sizes of the same orientation", () => {
  const size = (model: string, width: number, height: number) => {
    const m = mapVideo(model, { sceneId: "s", seconds: 4, size: { width, height } });
    return m.ok ? m.value.sizeParam : `error: ${m.error.kind}`;
  };
  assert.equal(size("sora-2", 720, 1280), "720x1280");
  assert.equal(size("sora-2", 1080, 1920), "720x1280");
  assert.equal(size("sora-2", 1920, 1080), "1280x720");
  assert.equal(size("sora-2-pro", 1080, 1920), "720x1280", "9:16 is closer to 720x1280 than to 4:7");
  assert.equal(size("sora-2-pro", 1024, 1792), "1024x1792");
  assert.equal(size("sora-2-pro-2025-10-06", 1792, 1024), "1792x1024");
  assert.equal(size("sora-2", 1024, 1792), "720x1280");
  assert.equal(size("sora-2", 1080, 1080), "error: unsupported");
});

test("image sizes follow the aspect ratio per model family", () => {
  assert.equal(imageSize("gpt-image-1", { width: 720, height: 1280 }), "1024x1536");
  assert.equal(imageSize("gpt-image-1", { width: 1280, height: 720 }), "1536x1024");
  assert.equal(imageSize("gpt-image-1", { width: 1000, height: 1000 }), "1024x1024");
  assert.equal(imageSize("dall-e-3", { width: 720, height: 1280 }), "1024x1792");
  assert.equal(imageSize("dall-e-2", { width: 720, height: 1280 }), "1024x1024");
});

test("price overrides merge field by field over the defaults; unknown models are unpriced", () => {
  const book = priceBook({ "sora-2-pro": { per_second: 0.25 }, "my-relay-model": { input_per_mtok: 1 } });
  assert.deepEqual(book.price("sora-2-pro"), { per_second: 0.25, per_second_large: 0.5 });
  assert.ok(book.priced("my-relay-model"));
  assert.ok(!book.priced("mystery"));
  assert.deepEqual(book.price("mystery"), {});
});

test("redaction removes the key and any bearer token, and leaves short secrets alone", () => {
  const redact = redactor("sk-test-SECRET-123");
  assert.equal(redact("key sk-test-SECRET-123 was wrong"), "key [redacted] was wrong");
  assert.equal(redact('{"auth":"Bearer abc.def"}'), '{"auth":"Bearer [redacted]"}');
  assert.equal(redactor("a")("a cat"), "a cat");
});
