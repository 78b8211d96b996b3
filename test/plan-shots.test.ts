/**
 * src/graph/plan/shots.ts: a scene's shots and their clip lengths, from the
 * file alone. Examples for each rule, then properties over random scenes
 * (fast-check): lengths allowed, lines covered, deterministic, and a line
 * edit changes a clip length only when its estimate crosses an allowed length.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { cutToLengths, linesSeconds, planShots, snapUp, type ScenePlan } from "../src/graph/plan/shots.js";
import { spokenSeconds } from "../src/media/speaking-time.js";
import type { ResolvedScene, ResolvedShot } from "../src/project/project.js";
import type { Line } from "../src/project/schema.js";

const GAP = 0.35;

function scene(lines: Line[] | undefined, extra: Partial<ResolvedScene> = {}): ResolvedScene {
  return {
    id: "s",
    setting: "a kitchen",
    cast: [...new Set((lines ?? []).map((l) => l.speaker))],
    action: "",
    camera: "slow push-in",
    seconds: 6,
    ...(lines ? { lines } : { beat: "something happens" }),
    ...extra,
  };
}

const say = (speaker: string, text: string): Line => ({ speaker, text });

test("a scene that fits one clip is one shot with the format-1 ids, at its seconds as written", () => {
  const plan = planShots(scene([say("a", "Hello there."), say("b", "Hi.")], { seconds: 7 }), { lengths: { seconds: [5, 10] }, gap: GAP });
  assert.equal(plan.source, "whole");
  assert.equal(plan.formatOne, true);
  assert.equal(plan.shots.length, 1);
  assert.equal(plan.shots[0]!.seconds, 7, "the clip keeps today's parameter, so its key does not change");
  assert.equal(plan.shots[0]!.lines.length, 2);
  assert.equal(plan.notice, undefined);
});

test("the issue's 40 s scene of 8 lines against a model of 5 and 10 s: an opening, one close-up per turn, every clip 5 or 10 s", () => {
  const text = "I have told you this a hundred times, and you never listen to a word of it.";
  const lines = Array.from({ length: 8 }, (_, i) => say(i % 2 ? "son" : "grandpa", text));
  const s = scene(lines, { action: "The phone rings.", seconds: 40 });
  assert.ok(linesSeconds(lines, GAP) > 40, `the lines take ${linesSeconds(lines, GAP)} s`);
  const plan = planShots(s, { lengths: { seconds: [10, 5] }, gap: GAP });
  assert.equal(plan.source, "split");
  assert.equal(plan.formatOne, false);
  assert.deepEqual(
    plan.shots.map((x) => [x.id, x.size, x.on.join("+"), x.lines.length, x.firstLine, x.seconds]),
    [
      ["1", "wide", "grandpa+son", 0, 0, 5],
      ...lines.map((l, i) => [String(i + 2), "close-up", l.speaker, 1, i, snapUp(GAP + spokenSeconds(text), [5, 10])]),
    ],
  );
  assert.equal(plan.seconds, plan.shots.reduce((n, x) => n + x.seconds, 0));
});

test("a turn longer than the longest clip is cut into clips of the longest length and a snapped remainder; each line goes where it starts", () => {
  const long = "word ".repeat(30).trim(); // ~9.6 s each: the turn of three needs four 8 s clips
  const lines = [say("a", long), say("a", long), say("a", long), say("b", "Yes.")];
  const plan = planShots(scene(lines, { seconds: 6 }), { lengths: { seconds: [4, 8] }, gap: GAP });
  const turn = linesSeconds(lines.slice(0, 3), GAP);
  assert.deepEqual(
    plan.shots.map((x) => x.seconds),
    [...cutToLengths(turn, [4, 8]).map((p) => p.seconds), 4],
  );
  const k = Math.ceil(turn / 8);
  assert.equal(cutToLengths(turn, [4, 8]).length, k);
  assert.ok(k >= 3);
  assert.deepEqual(plan.shots.map((x) => x.size), ["close-up", ...Array.from({ length: k - 1 }, () => "medium"), "close-up"]);
  // Line n starts at gap + (n - 1) * (its length + gap): in part floor(start / 8).
  const starts = [0, 1, 2].map((n) => GAP + n * (spokenSeconds(long) + GAP));
  for (const [n, start] of starts.entries()) assert.ok(plan.shots[Math.floor(start / 8)]!.lines.includes(lines[n]!), `line ${n + 1} starts at ${start} s`);
  assert.deepEqual(plan.shots.flatMap((x) => x.lines), lines, "every line once, in order");
});

test("a beat-only scene longer than a clip is cut by its seconds; an unknown model keeps one clip per scene, with a notice", () => {
  const beat = planShots(scene(undefined, { seconds: 25, action: "He packs a bag." }), { lengths: { seconds: [5, 10] }, gap: GAP });
  assert.deepEqual(beat.shots.map((x) => [x.size, x.seconds, x.action]), [
    ["wide", 10, "He packs a bag."],
    ["medium", 10, ""],
    ["medium", 5, ""],
  ]);
  const unknown = planShots(scene([say("a", "word ".repeat(200))], { seconds: 50 }), { lengths: undefined, gap: GAP });
  assert.equal(unknown.formatOne, true);
  assert.equal(unknown.shots.length, 1);
  assert.match(unknown.notice!, /clip lengths are unknown.*capabilities:/);
  const empty = planShots(scene([say("a", "Hi.")]), { lengths: { seconds: [] }, gap: GAP });
  assert.equal(empty.formatOne, true, "an empty list is as good as unknown");
});

function shot(over: Partial<ResolvedShot> & Pick<ResolvedShot, "id" | "index">): ResolvedShot {
  return { size: "medium", camera: "static", on: ["a"], action: "", lines: [], firstLine: 0, transition: "cut", ...over };
}

test("written shots: seconds or the lines' estimate snapped up; too long is a problem; the first shot's transition is the scene's", () => {
  const lines = [say("a", "Wei? You are not coming home?")];
  const s = scene(undefined, {
    transition: "dissolve",
    shots: [
      shot({ id: "1", index: 1, size: "wide", seconds: 3, transition: "fade" }),
      shot({ id: "2", index: 2, size: "close-up", lines, firstLine: 0, transition: "wipe-left" }),
      shot({ id: "long", index: 3, seconds: 14, start: "previous", take: { clip: 2 } }),
      shot({ id: "4", index: 4 }),
    ],
  });
  const plan = planShots(s, { lengths: { seconds: [5, 10] }, gap: GAP });
  assert.equal(plan.source, "written");
  assert.deepEqual(
    plan.shots.map((x) => [x.id, x.seconds, x.transition, x.start ?? "-"]),
    [
      ["1", 5, "cut", "-"],
      ["2", 5, "wipe-left", "-"],
      ["long", 10, "cut", "previous"],
      ["4", 5, "cut", "-"],
    ],
  );
  assert.deepEqual(plan.shots[2]!.take, { clip: 2 });
  assert.deepEqual(plan.problems, [{ kind: "too-long", shot: "long", seconds: 14, longest: 10 }]);
  const unknown = planShots(s, { lengths: undefined, gap: GAP });
  assert.deepEqual(unknown.shots.map((x) => x.seconds), [3, Math.ceil(linesSeconds(lines, GAP)), 14, 3]);
  assert.deepEqual(unknown.problems, []);
});

// ---- properties ----

const WORDS = ["yes", "no", "father", "the train leaves at six", "我们回家吧", "对不起", "work", "always", "listen to me", "好"];
const lineArb = fc.record({ speaker: fc.constantFrom("a", "b", "c"), text: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 25 }).map((w) => w.join(" ")) }, { noNullPrototype: true });
const lengthsArb = fc.uniqueArray(fc.constantFrom(2, 3, 4, 5, 6, 8, 10, 12, 15), { minLength: 1, maxLength: 4 });
const sceneArb = fc.record(
  {
    lines: fc.option(fc.array(lineArb, { minLength: 1, maxLength: 12 }), { nil: undefined, freq: 5 }),
    seconds: fc.integer({ min: 1, max: 60 }),
    action: fc.constantFrom("", "The lamp flickers."),
  },
  { noNullPrototype: true },
);

function build(x: { lines: Line[] | undefined; seconds: number; action: string }): ResolvedScene {
  return scene(x.lines, { seconds: x.seconds, action: x.action });
}

test("property: every planned clip is an allowed length, and the shots cover the lines, each line once, in order", () => {
  fc.assert(
    fc.property(sceneArb, lengthsArb, (x, lengths) => {
      const s = build(x);
      const plan = planShots(s, { lengths: { seconds: lengths }, gap: GAP });
      const longest = Math.max(...lengths);
      if (plan.formatOne) {
        assert.ok(Math.max(s.seconds, linesSeconds(s.lines ?? [], GAP)) <= longest + 1e-9, "one clip only when it fits");
        return;
      }
      for (const shot of plan.shots) assert.ok(lengths.includes(shot.seconds), `${shot.seconds} not in ${lengths}`);
      assert.deepEqual(plan.shots.flatMap((sh) => sh.lines), s.lines ?? []);
      let n = 0;
      for (const sh of plan.shots) {
        if (sh.lines.length) assert.equal(sh.firstLine, n);
        n += sh.lines.length;
      }
      const total = plan.shots.reduce((a, sh) => a + sh.seconds, 0);
      assert.ok(total + 1e-9 >= linesSeconds(s.lines ?? [], GAP), `${total} s of shots for ${linesSeconds(s.lines ?? [], GAP)} s of lines`);
      if (!s.lines) assert.ok(total + 1e-9 >= s.seconds);
      assert.deepEqual(plan.shots.map((sh) => sh.id), plan.shots.map((_, i) => String(i + 1)));
    }),
    { numRuns: 400 },
  );
});

test("property: deterministic (the same scene, rebuilt, plans the same)", () => {
  fc.assert(
    fc.property(sceneArb, lengthsArb, (x, lengths) => {
      const a = planShots(build(x), { lengths: { seconds: lengths }, gap: GAP });
      const b = planShots(build(structuredClone(x)), { lengths: { seconds: [...lengths].reverse() }, gap: GAP });
      assert.deepEqual(a, b);
    }),
    { numRuns: 200 },
  );
});

/** Lengths a run of clips can add up to: m times the longest plus an allowed length. */
function crosses(a: number, b: number, lengths: readonly number[]): boolean {
  const longest = Math.max(...lengths);
  for (let m = 0; m * longest <= Math.max(a, b) + longest; m++) {
    for (const l of lengths) {
      const t = m * longest + l;
      if (a <= t + 1e-9 !== b <= t + 1e-9) return true;
    }
  }
  return false;
}

const seconds = (p: ScenePlan) => p.shots.map((s) => s.seconds);

/** A split plan's clip lengths by group: the opening (if any), then each turn's close-up and its continuations. */
function groups(plan: ScenePlan): { wide: number[]; turns: number[][] } {
  const out = { wide: [] as number[], turns: [] as number[][] };
  for (const s of plan.shots) {
    if (s.size === "wide") out.wide.push(s.seconds);
    else if (s.size === "close-up") out.turns.push([s.seconds]);
    else out.turns.at(-1)!.push(s.seconds);
  }
  return out;
}

test("property: a line edit changes clip lengths only when its turn's estimate crosses an allowed length, and then only its own shots", () => {
  fc.assert(
    fc.property(fc.array(lineArb, { minLength: 1, maxLength: 12 }), lengthsArb, fc.nat(), lineArb.map((l) => l.text), (lines, lengths, pick, text) => {
      const i = pick % lines.length;
      const edited = lines.map((l, j) => (j === i ? { ...l, text } : l));
      const opts = { lengths: { seconds: lengths }, gap: GAP };
      const p = planShots(scene(lines, { action: "A knock.", seconds: 5 }), opts);
      const q = planShots(scene(edited, { action: "A knock.", seconds: 5 }), opts);
      const longest = Math.max(...lengths);
      const fits = (ls: Line[]) => Math.max(5, linesSeconds(ls, GAP)) <= longest + 1e-9;
      assert.equal(p.formatOne, fits(lines));
      assert.equal(q.formatOne, fits(edited), "splitting starts or stops only when the scene crosses the longest clip");
      if (p.formatOne || q.formatOne) {
        if (p.formatOne && q.formatOne) assert.deepEqual(seconds(p), seconds(q), "one clip at the scene's seconds, whatever the lines");
        return;
      }
      // The edited line's turn: which one, and its lines.
      let turn = 0;
      for (let j = 1; j <= i; j++) if (lines[j]!.speaker !== lines[j - 1]!.speaker) turn++;
      let a = i;
      let b = i;
      while (a > 0 && lines[a - 1]!.speaker === lines[i]!.speaker) a--;
      while (b < lines.length - 1 && lines[b + 1]!.speaker === lines[i]!.speaker) b++;
      const eOld = linesSeconds(lines.slice(a, b + 1), GAP);
      const eNew = linesSeconds(edited.slice(a, b + 1), GAP);
      const gp = groups(p);
      const gq = groups(q);
      if (!crosses(eOld, eNew, lengths)) {
        assert.deepEqual(seconds(q), seconds(p), `no crossing between ${eOld} and ${eNew}, yet the lengths changed`);
      } else {
        const total = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
        assert.notEqual(total(gq.turns[turn]!), total(gp.turns[turn]!), "crossing an allowed length changes the turn's clips");
      }
      // Every other group keeps its clips either way.
      assert.deepEqual(gq.wide, gp.wide);
      assert.deepEqual(gq.turns.filter((_, t) => t !== turn), gp.turns.filter((_, t) => t !== turn));
    }),
    { numRuns: 500 },
  );
});
