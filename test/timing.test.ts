/** graph/plan/timing.ts: the one rule for a cut's length and where each cut starts (issue 26). */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CUT_TAIL, cutSeconds, placeCuts } from "../src/graph/plan/timing.js";

test("a cut lasts its scene's seconds, or its dialogue plus the tail when longer, in whole frames", () => {
  assert.equal(cutSeconds(4, undefined, 24), 4);
  assert.equal(cutSeconds(4, 2, 24), 4);
  // 4.2 s spoken + 0.5 s tail = 4.7 s = 112.8 frames: 113 frames at 24 fps.
  assert.equal(cutSeconds(4, 4.2, 24), 113 / 24);
  assert.equal(CUT_TAIL, 0.5);
});

test("cuts placed end to end: the JSON is byte for byte what the soundtrack wrote before the rule moved here (its output digest stays)", () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.1, max: 30, noNaN: true }), { minLength: 1, maxLength: 12 }), (durations) => {
      // The soundtrack's inline placement before issue 26.
      const offsets = durations.map((_, i) => durations.slice(0, i).reduce((a, b) => a + b, 0));
      const seconds = durations.reduce((a, b) => a + b, 0);
      assert.equal(JSON.stringify(placeCuts(durations)), JSON.stringify({ durations, offsets, seconds }));
    }),
  );
});
