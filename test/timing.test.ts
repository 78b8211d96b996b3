/** graph/plan/timing.ts: the one rule for a cut's length and where each cut starts (issue 26). */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { CUT_TAIL, cutSeconds, placeCuts } from "../src/graph/plan/timing.js";
import * as timing from "../src/graph/plan/timing.js";

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

test("a multi-shot scene's lines: each waits for its shot (after the transition into it), never overlaps the one before, never is cut", () => {
  const { lineFloors, placeLines, shotsTiming } = timing;
  const shots = [
    { seconds: 2, transition: "cut" as const, lines: [] },
    { seconds: 3, transition: "cut" as const, lines: ["a", "b"] },
    { seconds: 2, transition: "dissolve" as const, lines: ["c"] },
  ];
  const t = shotsTiming(shots, 24);
  assert.ok(t.overlaps[2]! > 0, "the dissolve overlaps");
  // One floor per line: shot 2's two lines its start, shot 3's line when the dissolve into it is done.
  assert.deepEqual(lineFloors(shots, 24), [2, 2, t.offsets[2]! + t.overlaps[2]!]);
  // Lines fit their shots: each starts a gap after its floor or the line before.
  assert.deepEqual(placeLines([1, 1, 1], [2, 2, 6], 0.5), [
    { start: 2.5, end: 3.5 },
    { start: 4, end: 5 },
    { start: 6.5, end: 7.5 },
  ]);
  // A line longer than its shot runs on (whole) and pushes the next one past its floor.
  assert.deepEqual(placeLines([3, 1], [0, 1], 0.5), [
    { start: 0.5, end: 3.5 },
    { start: 4, end: 5 },
  ]);
});

test("without floors the lines lay out as a format-1 scene's always did: the lead-in gap, then a gap between lines", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 0, max: 20_000 }), (lengths, gap) => {
      // mixDialogue's layout (media/audio.ts), in samples.
      let at = gap;
      const want = lengths.map((n) => {
        const span = { start: at, end: at + n };
        at += n + gap;
        return span;
      });
      const { placeLines } = timing;
      assert.deepEqual(placeLines(lengths, [], gap), want);
    }),
  );
});
