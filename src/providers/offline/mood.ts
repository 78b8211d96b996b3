/**
 * From a music mood ("emotional reunion, erhu and piano") to a pad: minor or
 * major from the mood's words, tempo from its energy, key from its hash.
 */
import type { PadSpec } from "../../media/synth.js";
import { hash32 } from "./hash.js";

const MINOR = /\b(sad|melanchol\w*|emotional|tense|tension|dark|lonely|loss|grief|mystery|mysterious|night|suspense\w*|tragic|somber|sombre|nostalg\w*)\b/g;
const MAJOR = /\b(happy|joy\w*|warm|hope\w*|reunion|bright|comed\w*|light|uplift\w*|festive|celebrat\w*|love|romantic|triumph\w*)\b/g;
const ENERGY = /\b(action|chase|upbeat|energetic|fast|tense|festive|celebrat\w*|comedy|fight)\b/;
const PLUCKED = /\b(piano|guitar|harp|erhu|pipa|guzheng|pluck\w*|bell\w*|music box)\b/;

/** Scale degrees as semitone offsets from the root. */
const MAJOR_PROGRESSION = [[0, 4, 7, 11], [7, 11, 14, 17], [9, 12, 16, 19], [5, 9, 12, 16]]; // I V vi IV
const MINOR_PROGRESSION = [[0, 3, 7, 10], [8, 12, 15, 19], [3, 7, 10, 14], [10, 14, 17, 20]]; // i VI III VII

export function padForMood(mood: string): PadSpec {
  const m = mood.toLowerCase();
  const minor = (m.match(MINOR)?.length ?? 0) > (m.match(MAJOR)?.length ?? 0);
  const root = 48 + (hash32(`mood:${m}`) % 7);
  const energetic = ENERGY.test(m);
  return {
    chords: (minor ? MINOR_PROGRESSION : MAJOR_PROGRESSION).map((c) => c.map((n) => root + n)),
    secondsPerChord: energetic ? 2 : 4,
    plucksPerChord: PLUCKED.test(m) ? (energetic ? 4 : 6) : 0,
    brightness: minor ? 0.35 : 0.6,
  };
}
