/** In-place edits of drama.yaml: only the edited or added nodes change, every other byte stays. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, readdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { editYamlFile, editYamlText } from "../src/project/edit.js";
import type { YamlEdit } from "../src/project/edit.js";
import { starterProject } from "../src/project/starter.js";
import { addedLines } from "./additions.js";

const root = fileURLToPath(new URL("../", import.meta.url));

function edited(text: string, edits: YamlEdit[]): string {
  const r = editYamlText(text, edits);
  assert.ok(r.ok, r.ok ? "" : r.error.message);
  return r.value;
}

const starter = starterProject({ title: "Edit Me", schemaPath: "../schemas/drama.schema.json" });

test("adding a cast member and appending a scene to the starter is a diff of additions only, comments kept", () => {
  const after = edited(starter, [
    { kind: "add", path: ["cast"], entries: { zed: { name: "Zed", look: "tall man, grey coat", voice: { offline: "en+m1" } } } },
    { kind: "append", path: ["scenes"], items: [{ id: "the-reply", cast: ["mara", "zed"], beat: "She writes back: to herself, at ten." }], comment: "written by a test" },
  ]);
  const added = addedLines(starter, after);
  assert.ok(added, `some original line changed:\n${after}`);
  assert.deepEqual(
    added.filter((l) => l.trim() !== ""),
    ["  zed:", "    name: Zed", "    look: tall man, grey coat", "    voice:", "      offline: en+m1", "  # written by a test", "  - id: the-reply", "    cast:", "      - mara", "      - zed", '    beat: "She writes back: to herself, at ten."'],
  );
  const data = parse(after);
  assert.deepEqual(Object.keys(data.cast), ["mara", "zed"]);
  assert.equal(data.scenes.length, 3);
  assert.equal(data.scenes[2].beat, "She writes back: to herself, at ten.");
  // The commented-out reference line stays with mara, above the new member.
  assert.ok(after.indexOf("# reference: refs/mara.png") < after.indexOf("  zed:"));
  // The scene list's blank-line rhythm is kept: one blank line before the new scene.
  assert.match(after, /# no lines: they are written for you\n\n {2}# written by a test\n {2}- id: the-reply/);
});

test("set changes only the value's characters: a trailing comment on the same line survives", () => {
  const text = "dramake: 1\ntitle: A   # the working title\nscenes:\n  - id: a\n    take: { clip: 1 }   # best so far\n    beat: x\n";
  const after = edited(text, [
    { kind: "set", path: ["title"], value: "B, the sequel" },
    { kind: "set", path: ["scenes", 0, "take", "clip"], value: 3 },
    { kind: "set", path: ["scenes", 0, "take", "keyframe"], value: 2 },
  ]);
  assert.equal(after, 'dramake: 1\ntitle: "B, the sequel"   # the working title\nscenes:\n  - id: a\n    take: { clip: 3, keyframe: 2 }   # best so far\n    beat: x\n');
});

test("set creates missing maps on the way (take: under a block scene) and reads back", () => {
  const text = "scenes:\n  - id: a\n    beat: x   # keep\n\n  - id: b\n    lines:\n      - m: hi\n# tail comment\n";
  const after = edited(text, [{ kind: "set", path: ["scenes", 0, "take", "clip"], value: 2 }, { kind: "set", path: ["scenes", 1, "take", "keyframe"], value: 4 }]);
  assert.deepEqual(addedLines(text, after), ["    take:", "      clip: 2", "    take:", "      keyframe: 4"]);
  assert.deepEqual(parse(after).scenes.map((s: { take: unknown }) => s.take), [{ clip: 2 }, { keyframe: 4 }]);
  assert.ok(after.endsWith("      keyframe: 4\n# tail comment\n"), "a less indented comment after the list stays after it");
});

test("replacing a block value re-prints that entry only; a block scalar keeps the line after it", () => {
  const text = "theme: >-\n  long text\n  over lines\nstyle: warm   # look\ncast:\n  a:\n    name: A\n    look: old\nend: 1\n";
  const after = edited(text, [
    { kind: "set", path: ["theme"], value: "short" },
    { kind: "set", path: ["cast", "a"], value: { name: "A", look: "young" } },
  ]);
  assert.equal(after, "theme: short\nstyle: warm   # look\ncast:\n  a:\n    name: A\n    look: young\nend: 1\n");
});

test("an empty value, an empty document, flow sequences and CRLF files", () => {
  assert.equal(edited("title: x\ncast:\nscenes: []\n", [{ kind: "add", path: ["cast"], entries: { a: { name: "A" } } }]), "title: x\ncast:\n  a:\n    name: A\nscenes: []\n");
  assert.equal(edited("title: x\ncast:   # later\n", [{ kind: "set", path: ["cast"], value: "none" }]), "title: x\ncast: none   # later\n");
  assert.equal(edited("# only a comment\n", [{ kind: "set", path: ["dramake"], value: 1 }]), "# only a comment\ndramake: 1\n");
  assert.equal(edited("", [{ kind: "append", path: ["scenes"], items: [{ id: "a" }] }]), "scenes:\n  - id: a\n");
  assert.equal(edited("cast: [a, b]\n", [{ kind: "append", path: ["cast"], items: ["c, d"] }]), 'cast: [a, b, "c, d"]\n');
  assert.equal(edited("m: {}\n", [{ kind: "add", path: ["m"], entries: { k: "v" } }]), "m:\n  k: v\n");
  const crlf = "title: x\r\ncast:\r\n  a:\r\n    name: A\r\nscenes:\r\n  - id: s\r\n";
  const after = edited(crlf, [{ kind: "add", path: ["cast"], entries: { b: { name: "B" } } }, { kind: "append", path: ["scenes"], items: [{ id: "t", beat: "two\nlines" }] }]);
  assert.equal(after, "title: x\r\ncast:\r\n  a:\r\n    name: A\r\n  b:\r\n    name: B\r\nscenes:\r\n  - id: s\r\n  - id: t\r\n    beat: |-\r\n      two\r\n      lines\r\n");
  assert.equal(parse(after).scenes[1].beat, "two\nlines");
});

test("refusals: an existing key, a plain value, a missing item, an alias, broken YAML; the text is not touched", () => {
  const text = "a: &x { k: 1 }\nb: *x\nc: plain\ns:\n  - 1\n";
  const cases: [YamlEdit, string][] = [
    [{ kind: "add", path: ["a"], entries: { k: 2 } }, "exists"],
    [{ kind: "add", path: ["c"], entries: { k: 2 } }, "not-a-map"],
    [{ kind: "append", path: ["a"], items: [1] }, "not-a-sequence"],
    [{ kind: "set", path: ["c", "k"], value: 1 }, "not-a-map"],
    [{ kind: "set", path: ["s", 5], value: 1 }, "bad-path"],
    [{ kind: "set", path: ["b", "k"], value: 2 }, "alias"],
  ];
  for (const [edit, code] of cases) {
    const r = editYamlText(text, [edit]);
    assert.equal(r.ok, false, JSON.stringify(edit));
    if (!r.ok) assert.equal(r.error.code, code, `${JSON.stringify(edit)}: ${r.error.message}`);
  }
  const broken = editYamlText("a: [1\n", [{ kind: "set", path: ["b"], value: 1 }]);
  assert.equal(broken.ok ? "" : broken.error.code, "yaml-error");
});

test("the examples take every kind of edit as additions only, and read back", async () => {
  for (const name of ["new-year-surprise", "tea-shop"]) {
    const text = await readFile(path.join(root, "examples", name, "drama.yaml"), "utf8");
    const data = parse(text);
    const last = data.scenes.length - 1;
    const after = edited(text, [
      { kind: "add", path: ["cast"], entries: { narrator: { name: "Narrator", look: "unseen", voice: { offline: "en+m2" } } } },
      { kind: "append", path: ["scenes"], items: [{ id: "coda", beat: "Years later, the same kitchen." }] },
      { kind: "set", path: ["scenes", 0, "take", "clip"], value: 2 },
      { kind: "set", path: ["scenes", last, "take", "keyframe"], value: 3 },
    ]);
    assert.ok(addedLines(text, after), `${name}: an original line changed`);
    const back = parse(after);
    assert.deepEqual(back.scenes[0].take, { ...(data.scenes[0].take ?? {}), clip: 2 });
    assert.equal(back.scenes[last].take.keyframe, 3);
    assert.equal(back.scenes.at(-1).id, "coda");
    assert.equal(back.cast.narrator.name, "Narrator");
  }
});

test("editYamlFile writes atomically (no temp file left) and refuses when the file changed meanwhile", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "dramake-edit-"));
  try {
    const file = path.join(dir, "drama.yaml");
    await writeFile(file, starter);
    const r = await editYamlFile(file, [{ kind: "set", path: ["scenes", 0, "take", "clip"], value: 2 }]);
    assert.ok(r.ok);
    assert.equal(await readFile(file, "utf8"), r.value.after);
    assert.equal(r.value.before, starter);
    assert.deepEqual(await readdir(dir), ["drama.yaml"]);
    const refused = await editYamlFile(file, [{ kind: "add", path: ["cast"], entries: { mara: { name: "M" } } }]);
    assert.equal(refused.ok ? "" : refused.error.code, "exists");
    assert.equal(await readFile(file, "utf8"), r.value.after, "a refused edit writes nothing");
    const missing = await editYamlFile(path.join(dir, "nope.yaml"), []);
    assert.equal(missing.ok ? "" : missing.error.code, "io");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an empty flow collection in a block file that gains items becomes a block", () => {
  assert.equal(edited("title: x\nscenes: []   # none yet\nmusic: {}\n", [{ kind: "append", path: ["scenes"], items: [{ id: "a", beat: "b" }] }]), "title: x\nscenes:   # none yet\n  - id: a\n    beat: b\nmusic: {}\n");
  assert.equal(edited("m: { a: [] }\n", [{ kind: "append", path: ["m", "a"], items: [1] }]), "m: { a: [ 1 ] }\n");
});
