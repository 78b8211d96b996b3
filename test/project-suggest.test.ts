/**
 * "Did you mean": why suggest.ts keeps its own edit distance instead of
 * fastest-levenshtein or leven. Those count a swapped pair of letters as two
 * edits, so a short key typed with two letters swapped (`csat`, `tilte`)
 * would fall out of a typo's reach and get no hint; optimal string
 * alignment counts it as one. Speed is no reason either way: a hint
 * compares one word with at most a few dozen keys.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { closest, didYouMean } from "../src/project/suggest.js";
import { keysAt } from "../src/project/schema-walk.js";
import { projectSchema } from "../src/project/schema.js";

const TOP = keysAt(projectSchema, []);

test("swapped letters are one typo: csat -> cast, tilte -> title, bugdet -> budget", () => {
  assert.equal(closest("csat", TOP), "cast");
  assert.equal(closest("tilte", TOP), "title");
  assert.equal(closest("bugdet", TOP), "budget");
});

test("missing, extra and wrong letters; letter case; nothing for a word too far off", () => {
  assert.equal(closest("scences", TOP), "scenes");
  assert.equal(closest("casts", TOP), "cast");
  assert.equal(closest("Title", TOP), "title");
  assert.equal(closest("soundtrack", TOP), undefined);
  assert.equal(didYouMean("provider", TOP), " (did you mean 'providers'?)");
  assert.equal(didYouMean("title", TOP), "");
});
