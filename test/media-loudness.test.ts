/** Loudness as data (src/media/loudness.ts): parsing ebur128's log, BS.1770 gating, placing cuts, the mix estimate. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { energy, integratedOf, joinProfiles, loudnessFromJson, loudnessJson, mixLoudness, parseLoudness } from "../src/media/loudness.js";

const line = (t: number, m: string) => `[Parsed_ebur128_0 @ 0x1d62fe40] t: ${t}  TARGET:-23 LUFS    M:${m} S:-120.7     I: -70.0 LUFS       LRA:   0.0 LU`;

test("parseLoudness keeps a block per 100 ms from 0.4 s on (whole 400 ms windows), silence as -Infinity", () => {
  const log = ["noise", line(0.0999792, "-120.7"), line(0.299979, " -30.0"), line(0.399979, " -21.1"), line(0.499979, "-120.7"), line(0.6, " -inf")].join("\n");
  assert.deepEqual(parseLoudness(log)?.blocks, [-21.1, -Infinity, -Infinity]);
  assert.equal(parseLoudness("no ebur128 here"), undefined);
  const p = parseLoudness(log)!;
  assert.deepEqual(loudnessFromJson(loudnessJson(p)), p, "silence survives JSON as null");
  assert.equal(loudnessFromJson("{"), undefined);
});

test("integratedOf gates like BS.1770: silence and blocks 10 LU under the mean do not count", () => {
  assert.equal(integratedOf([]), -Infinity);
  assert.ok(Math.abs(integratedOf([energy(-20), energy(-20)]) - -20) < 1e-9);
  // A quiet stretch (-40, 20 LU under) is gated out; absolute silence too.
  assert.ok(Math.abs(integratedOf([energy(-20), energy(-40), 0, energy(-20)]) - -20) < 1e-9);
  // Two levels within 10 LU both count: their energy mean.
  const mixed = integratedOf([energy(-20), energy(-26)]);
  assert.ok(mixed < -20 && mixed > -26, String(mixed));
});

test("joinProfiles places each cut's blocks at its start; mixLoudness adds music, less while someone speaks", () => {
  const a = { profile: { blocks: [-20, -20] }, seconds: 1 };
  const b = { profile: { blocks: [-30] }, seconds: 0.5 };
  const joined = joinProfiles([a, b]);
  // Cut a's blocks end at 0.4 and 0.5 s (indices 3, 4); cut b starts at 1 s, its block ends at 1.4 s (index 13).
  assert.deepEqual(joined.map((v, i) => (Number.isFinite(v) ? `${i}:${v}` : "")).filter(Boolean), ["3:-20", "4:-20", "13:-30"]);
  const duck = { threshold: 0.05, ratio: 4 };
  const dialogue = [-20, -20, -20, -20];
  const music = [-20, -20, -20, -20];
  const alone = mixLoudness({ dialogue, musicGain: 0.35, duck });
  const withMusic = mixLoudness({ dialogue, music, musicGain: 0.35, duck });
  const unducked = mixLoudness({ dialogue, music, musicGain: 0.35, duck: { threshold: 1, ratio: 4 } });
  assert.ok(withMusic > alone, "music adds loudness");
  assert.ok(unducked > withMusic, "ducking takes the music down under the dialogue");
});
