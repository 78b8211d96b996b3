/**
 * `shots:` in drama.yaml (issue 27): how a written shot list resolves, and one
 * diagnostic per mistake, at the exact line:col, with what is allowed; the
 * same problems as JSON lines from `dramake validate --json`.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadProject } from "../src/project/load.js";
import type { Diagnostic } from "../src/project/diagnostic.js";

const root = fileURLToPath(new URL("../", import.meta.url));

const HEAD = `dramake: 1
title: Shots
cast:
  grandpa: { name: Grandfather Wang, look: "old man, blue jacket" }
  son: { name: Wei, look: "tired man, office shirt" }
  aunt: { name: Aunt Li, look: woman in a red scarf }
scenes:
`;

/** The example scene, plus a scene without shots after it. */
const EXAMPLE = `${HEAD}  - id: the-call
    setting: small village kitchen, New Year's Eve, one dim lamp
    cast: [grandpa, son]
    camera: static
    transition: dissolve
    take: { shot/reply/clip: 3 }
    shots:
      - size: wide
        camera: slow push-in
        action: The lamp flickers over untouched dumplings; the phone rings.
        seconds: 3
      - size: close-up
        on: [grandpa]
        lines:
          - grandpa: Wei? You are not coming home?
      - id: reply
        size: medium
        on: [son]
        transition: cut
        start: previous
        take: { keyframe: 2 }
        lines:
          - son: Sorry, Dad. Work.
          - grandpa: Work. Always work.
  - id: after
    lines:
      - grandpa: Then I will come to you.
`;

async function tempProject(yaml: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-shots-"));
  await writeFile(path.join(dir, "drama.yaml"), yaml);
  return dir;
}

test("the issue's shot list resolves: ids by position or as written, on: defaults, lines counted across the scene", async () => {
  const dir = await tempProject(EXAMPLE);
  const r = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : r.error.map((d) => `${d.line}:${d.col} ${d.message}`).join("\n"));
  const [scene, after] = r.value.scenes;
  assert.equal(scene!.transition, "dissolve");
  const shots = scene!.shots!;
  assert.deepEqual(
    shots.map((s) => [s.id, s.index, s.size, s.camera, s.on, s.firstLine, s.lines.length, s.transition, s.seconds, s.start]),
    [
      ["1", 1, "wide", "slow push-in", ["grandpa", "son"], 0, 0, "cut", 3, undefined],
      ["2", 2, "close-up", "static", ["grandpa"], 0, 1, "cut", undefined, undefined],
      ["reply", 3, "medium", "static", ["son"], 1, 2, "cut", undefined, "previous"],
    ],
  );
  assert.deepEqual(shots[2]!.take, { keyframe: 2 });
  assert.deepEqual(scene!.take, { "shot/reply/clip": 3 });
  // Voices stay per line, numbered across the scene: the scene's lines are the shots' lines in order.
  assert.deepEqual(
    scene!.lines!.map((l) => l.speaker),
    ["grandpa", "son", "grandpa"],
  );
  assert.equal(after!.shots, undefined, "a scene without shots: has no shots until the splitter cuts it");
});

test("without cast:, a shot scene's cast is its speakers and who its shots put on screen, in order of appearance", async () => {
  const dir = await tempProject(`${HEAD}  - id: door
    shots:
      - size: wide
        on: [aunt]
        action: She knocks.
      - lines:
          - son: Who is it?
`);
  const r = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
  assert.ok(r.ok);
  const scene = r.value.scenes[0]!;
  assert.deepEqual(scene.cast, ["aunt", "son"]);
  assert.deepEqual(scene.shots!.map((s) => [s.size, s.on]), [
    ["wide", ["aunt"]],
    ["medium", ["son"]],
  ]);
});

/** Where `marker` (the n-th occurrence, from 1) starts in `yaml`, as "line:col". */
function at(yaml: string, marker: string, nth = 1): string {
  let offset = -1;
  for (let i = 0; i < nth; i++) offset = yaml.indexOf(marker, offset + 1);
  assert.ok(offset >= 0, `no '${marker}' in the case`);
  const before = yaml.slice(0, offset).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

const SHOT = `  - id: s
    cast: [grandpa, son]
    shots:
      - size: wide
        action: A kitchen.
`;

// name -> [yaml, marker (where the one problem is), nth occurrence, code, message fragment, allowed fragment]
const cases: Record<string, [string, string, number, string, string, string]> = {
  "size not in the list": [`${SHOT}      - size: closeup\n`, "closeup", 1, "invalid-value", "'closeup' is not allowed for 'size' (did you mean 'close-up'?)", "extreme-close-up"],
  "transition not in the list": [`${SHOT}      - transition: disolve\n`, "disolve", 1, "invalid-value", "(did you mean 'dissolve'?)", "slide-up"],
  "scene transition not in the list": [`${SHOT}    transition: wipe\n`, "wipe", 1, "invalid-value", "'wipe' is not allowed for 'transition'", "wipe-left"],
  "a shot key misspelled": [`${SHOT}      - acton: He sits.\n`, "acton", 1, "unknown-key", "unknown key 'acton' (did you mean 'action'?)", "action"],
  "on: names someone not in the cast at all": [`${SHOT}      - on: [grandpaa]\n`, "grandpaa", 1, "unknown-cast", "unknown cast member 'grandpaa' (did you mean 'grandpa'?)", "grandpa"],
  "on: names cast outside the scene": [`${SHOT}      - on: [aunt]\n`, "aunt]", 1, "on-not-in-scene", "'aunt' is on screen but not in this scene's cast", "grandpa, son"],
  "a shot's speaker outside the scene": [`${SHOT}      - lines:\n          - aunt: Hello.\n`, "aunt: Hello", 1, "speaker-not-in-scene", "'aunt' speaks but is not in this scene's cast", "grandpa, son"],
  "a shot's speaker unknown": [`${SHOT}      - lines:\n          - sun: Hello.\n`, "sun: Hello", 1, "unknown-cast", "unknown speaker 'sun' (did you mean 'son'?)", "grandpa"],
  "duplicate shot ids": [`${SHOT}      - id: reply\n      - id: reply\n`, "reply", 2, "duplicate-id", "duplicate shot id 'reply'", "used once in its scene"],
  "an id that names another shot's position": [`${SHOT}      - size: medium\n      - id: "2"\n`, '"2"', 1, "duplicate-id", "duplicate shot id '2' in scene 's' (shot 2 is '2' too, by its position)", "by its position"],
  "start: previous on the first shot": [SHOT.replace("action: A kitchen.", "action: A kitchen.\n        start: previous"), "previous", 1, "start-previous-first", "has no previous shot to start from", "second shot or later"],
  "start: anything else": [`${SHOT}      - start: next\n`, "next", 1, "invalid-value", "'next' is not allowed for 'start'", "previous"],
  "lines on the scene and in shots": [SHOT.replace("    shots:", "    lines:\n      - son: Hi.\n    shots:"), "lines:", 1, "conflicting-keys", "scene 's' has shots, so 'lines' belongs inside them", "inside the shots"],
  "a beat on the scene and shots": [SHOT.replace("    shots:", "    beat: He waits.\n    shots:"), "beat", 1, "conflicting-keys", "so 'beat' belongs inside them", "lines inside the shots"],
  "seconds on the scene and shots": [SHOT.replace("    shots:", "    seconds: 9\n    shots:"), "seconds", 1, "conflicting-keys", "'seconds' belongs inside them", "seconds on each shot"],
  "empty shot list": [`  - id: s\n    shots: []\n`, "[]", 1, "out-of-range", "'shots' needs at least 1 item", "shots"],
  "shot seconds out of range": [`${SHOT}      - seconds: 0\n`, "0\n", 1, "out-of-range", "'seconds' must be at least 1, got 0", "1 to 60"],
  "a shot take for a step a shot does not have": [`${SHOT}      - take: { voice: 2 }\n`, "voice", 1, "unknown-step", "a shot has no step 'voice'", "keyframe, clip"],
  "a scene take for an unknown shot": [SHOT.replace("    shots:", "    take: { shot/9/clip: 2 }\n    shots:"), "shot/9/clip", 1, "unknown-shot", "scene 's' has no shot '9'", "shot/<id>/<step> with a shot id of the scene: 1"],
  "a scene take for a shot's unknown step": [SHOT.replace("    shots:", "    take: { shot/1/clp: 2 }\n    shots:"), "shot/1/clp", 1, "unknown-step", "shot '1' has no step 'clp' (did you mean 'clip'?)", "keyframe, clip"],
  "a shot take of zero": [`${SHOT}      - take: { clip: 0 }\n`, "0 }", 1, "out-of-range", "'clip' must be more than 0", ">= 1"],
};

for (const [name, [body, marker, nth, code, fragment, allowed]] of Object.entries(cases)) {
  test(`shots: ${name} -> ${code}`, async () => {
    const yaml = HEAD + body;
    const dir = await tempProject(yaml);
    const r = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
    assert.equal(r.ok, false, "the broken file loaded");
    if (r.ok) return;
    const summary = r.error.map((d: Diagnostic) => `${d.line}:${d.col} [${d.code}] ${d.message} | ${d.allowed ?? ""}`);
    assert.equal(r.error.length, 1, `expected one problem, got:\n${summary.join("\n")}`);
    const d = r.error[0]!;
    assert.equal(`${d.line}:${d.col}`, at(yaml, marker, nth), summary[0]);
    assert.equal(d.code, code, summary[0]);
    assert.ok(d.message.includes(fragment), `'${d.message}' lacks '${fragment}'`);
    assert.ok(d.allowed?.includes(allowed), `'${d.allowed}' lacks '${allowed}'`);
    assert.equal(d.severity, "error");
  });
}

test("validate --json: every mistake in the new keys is one JSON line with its position (built CLI)", async () => {
  const yaml = `${HEAD}  - id: s
    cast: [grandpa, son]
    transition: disolve
    take: { shot/9/clip: 2 }
    shots:
      - size: closeup
        start: previous
      - on: [aunt]
        transition: wipe
        seconds: 99
      - id: "2"
        acton: He sits.
`;
  const dir = await tempProject(yaml);
  const r = spawnSync(process.execPath, [path.join(root, "dist/cli/main.js"), "validate", "--json", path.join(dir, "drama.yaml")], { encoding: "utf8" });
  assert.equal(r.status, 2, r.stderr);
  const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
  const done = events.pop();
  const got = events.map((e) => `${e.line}:${e.col} ${e.code}`).sort();
  const want = [
    `${at(yaml, "disolve")} invalid-value`,
    `${at(yaml, "shot/9/clip")} unknown-shot`,
    `${at(yaml, "closeup")} invalid-value`,
    `${at(yaml, "previous")} start-previous-first`,
    `${at(yaml, "aunt]")} on-not-in-scene`,
    `${at(yaml, "wipe")} invalid-value`,
    `${at(yaml, "99")} out-of-range`,
    `${at(yaml, '"2"')} duplicate-id`,
    `${at(yaml, "acton")} unknown-key`,
  ].sort();
  assert.deepEqual(got, want, r.stdout);
  for (const e of events) {
    assert.equal(e.event, "error");
    assert.ok(typeof e.allowed === "string" && e.allowed.length > 3, JSON.stringify(e));
  }
  assert.deepEqual(done, { event: "validated", ok: false, errors: want.length, warnings: 0 });
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
});

test("a transition into the first scene or the first shot is not drawn: one warning each, at its value; the file still loads", async () => {
  const yaml = `${HEAD}  - id: one
    transition: fade
    cast: [grandpa]
    shots:
      - size: wide
        transition: wipe-left
        action: Snow.
      - transition: dissolve
        lines:
          - grandpa: Cold.
  - id: two
    transition: fade-black
    lines:
      - son: Warm.
`;
  const dir = await tempProject(yaml);
  const r = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
  assert.ok(r.ok, r.ok ? "" : r.error.map((d) => d.message).join("\n"));
  const warnings = r.value.warnings.map((d) => `${d.line}:${d.col} ${d.code} ${d.severity}`);
  assert.deepEqual(warnings, [`${at(yaml, "fade")} transition-first warning`, `${at(yaml, "wipe-left")} transition-first warning`]);
  assert.equal(r.value.scenes[1]!.transition, "fade-black");
});

test("property: any shots: value (wrong types, ids, takes, nesting) gives diagnostics with positions or a project, never a throw", async () => {
  const { default: fc } = await import("fast-check");
  const { stringify } = await import("yaml");
  const leaf = fc.oneof(fc.constantFrom("grandpa", "son", "aunt", "previous", "dissolve", "close-up", "shot/1/clip", "2", "", "x y"), fc.integer({ min: -2, max: 70 }), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("v"), { maxLength: 3 }), fc.dictionary(fc.constantFrom("id", "size", "on", "lines", "seconds", "start", "take", "transition", "action", "camera", "grandpa", "clip", "shot/1/clip"), tie("v"), { maxKeys: 4 })),
  })).v;
  const dir = await tempProject("");
  const seen = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.array(value, { minLength: 0, maxLength: 4 }), fc.option(value, { nil: undefined }), async (shots, take) => {
      const scene: Record<string, unknown> = { id: "s", cast: ["grandpa", "son"], shots };
      if (take !== undefined) scene.take = take;
      const yaml = HEAD + stringify([scene]).replace(/^/gm, "  ");
      await writeFile(path.join(dir, "drama.yaml"), yaml);
      const r = await loadProject(path.join(dir, "drama.yaml"), { env: {} });
      if (r.ok) {
        seen.add("ok");
        return;
      }
      for (const d of r.error) {
        seen.add(d.code);
        assert.ok(d.line >= 1 && d.col >= 1 && d.message.length > 0, JSON.stringify(d));
        assert.ok(d.allowed === undefined || d.allowed.length > 0);
      }
    }),
    { numRuns: 150 },
  );
  // The inputs reach the shots' cross-checks, not only YAML or shape errors.
  assert.ok(["unknown-shot", "unknown-step", "duplicate-id", "start-previous-first", "on-not-in-scene"].some((c) => seen.has(c)), [...seen].join(", "));
});
