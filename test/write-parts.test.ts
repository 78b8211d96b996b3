/** The pure parts of `write`: sizing, chunking with overlap, the offline outline's acts, id normalization. */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { chunkText, shareScenes } from "../src/write/chunks.js";
import { normalizeDraft, toId } from "../src/write/normalize.js";
import { actOf, themePieces } from "../src/write/outline.js";
import { sizeFor } from "../src/write/size.js";

test("sizing: --minutes at 150 words a minute, --scenes, both, neither", () => {
  assert.deepEqual(sizeFor({}), { ok: true, value: { scenes: 4, secondsPerScene: 8, wordsPerScene: 20 } });
  // --minutes alone: the four acts stretch to 12 s scenes (the longest one clip makes), then scenes are added.
  assert.deepEqual(sizeFor({ minutes: 1 }), { ok: true, value: { scenes: 5, secondsPerScene: 12, wordsPerScene: 30 } });
  assert.deepEqual(sizeFor({ minutes: 2 }), { ok: true, value: { scenes: 10, secondsPerScene: 12, wordsPerScene: 30 } });
  assert.deepEqual(sizeFor({ minutes: 0.5 }), { ok: true, value: { scenes: 4, secondsPerScene: 7.5, wordsPerScene: 19 } });
  assert.deepEqual(sizeFor({ minutes: 0.05 }), { ok: true, value: { scenes: 1, secondsPerScene: 3, wordsPerScene: 8 } });
  for (let m = 0.1; m <= 60; m *= 1.7) {
    const r = sizeFor({ minutes: m });
    assert.ok(r.ok && r.value.secondsPerScene <= 12 && Math.abs(r.value.scenes * r.value.secondsPerScene - m * 60) < 0.1 * r.value.scenes, `${m} min: ${JSON.stringify(r)}`);
  }
  assert.deepEqual(sizeFor({ minutes: 2, scenes: 4 }), { ok: true, value: { scenes: 4, secondsPerScene: 30, wordsPerScene: 75 } });
  assert.match(sizeFor({ minutes: 5, scenes: 2 }).ok ? "" : (sizeFor({ minutes: 5, scenes: 2 }) as { error: string }).error, /at least 5 scenes/);
});

test("chunks: each at most the limit, words in order, each after the first carries the end of the one before", () => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z]{1,12}[.!?]?$/), { minLength: 1, maxLength: 400 }), fc.integer({ min: 40, max: 400 }), (words, max) => {
      const text = words.join(" ");
      const chunks = chunkText(text, max, 30);
      for (const c of chunks) assert.ok(c.text.length <= max, `${c.text.length} > ${max}`);
      assert.deepEqual(chunks.flatMap((c) => c.text.split(/\s+/)).filter(Boolean), text.split(/\s+/).filter(Boolean));
      chunks.forEach((c, i) => {
        if (i === 0) assert.equal(c.before, "");
        else assert.ok(chunks[i - 1]!.text.endsWith(c.before) && c.before.length > 0);
      });
    }),
    { numRuns: 200 },
  );
});

test("scenes shared by chunk length: every chunk at least one, the total exact", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 0, max: 100 }), (lengths, extra) => {
      const chunks = lengths.map((n) => ({ text: "x".repeat(n), before: "" }));
      const shares = shareScenes(chunks, chunks.length + extra);
      assert.equal(shares.reduce((a, b) => a + b, 0), chunks.length + extra);
      assert.ok(shares.every((s) => s >= 1));
    }),
  );
});

test("the outline's acts: hook first, resolution last, in order", () => {
  for (let n = 1; n <= 12; n++) {
    const acts = Array.from({ length: n }, (_, i) => actOf(i, n));
    assert.equal(acts[0], "hook");
    if (n > 1) assert.equal(acts.at(-1), "resolution");
    const order = ["hook", "turn", "climax", "resolution"];
    assert.deepEqual([...acts].sort((a, b) => order.indexOf(a) - order.indexOf(b)), acts);
  }
  assert.deepEqual(themePieces("An old man, far from home, takes the night train and surprises his son"), ["An old man,", "far from home,", "takes the night train", "surprises his son"]);
  assert.deepEqual(themePieces("一位老人得知儿子不能回家过年。他决定自己进城。"), ["一位老人得知儿子不能回家过年。", "他决定自己进城。"]);
});

test("ids from what a model calls things; a name with no ASCII gets a numbered id; speakers resolve by id or name", () => {
  assert.equal(toId("Scene 1: The Call!", "x"), "scene-1-the-call");
  assert.equal(toId("Grandpa Wang", "x"), "grandpa-wang");
  assert.equal(toId("王爷爷", "person-1"), "person-1");
  const r = normalizeDraft(
    {
      cast: [
        { id: "王爷爷", name: "王爷爷", look: "七十岁老人", gender: "male", voice_style: "" },
        { id: "Mara", name: "Mara", look: "already there", gender: "female", voice_style: "" },
      ],
      scenes: [{ id: "第一场", setting: "", cast: ["王爷爷", "nobody"], action: "", camera: "", seconds: 6, beat: "开场", lines: [{ speaker: "王爷爷", text: "你好。" }, { speaker: "mara", text: "Hi." }] }],
    },
    { existingCast: { mara: { name: "Mara" } }, takenSceneIds: ["scene-1"], language: "zh-CN", speechProvider: "cloud", secondsPerScene: 6, seconds: "near-plan" },
  );
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(Object.keys(r.value.cast), ["person-1"], "Mara is reused, not added");
  assert.deepEqual(r.value.cast["person-1"]!.voice, { cloud: "onyx", offline: "cmn+m1" });
  assert.equal(r.value.scenes[0]!.id, "scene-1-2", "a taken id is not reused");
  assert.deepEqual(r.value.scenes[0]!.lines, [{ "person-1": "你好。" }, { mara: "Hi." }]);
  assert.deepEqual(r.value.scenes[0]!.cast, ["person-1", "mara"]);
  assert.match(r.value.notes.join("\n"), /'nobody' is not in the cast/);
});
