/**
 * One broken file per mistake a writer makes: each must give exactly one
 * diagnostic, at the exact line:col, saying what is wrong.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { loadProject } from "../src/project/load.js";

const dir = fileURLToPath(new URL("./fixtures/invalid/", import.meta.url));

// file -> [line:col, code, message fragment]
const cases: Record<string, [string, string, string]> = {
  "alias-as-unknown-key.yaml": ["4:1", "unknown-key", "unknown key 'Fixture'"],
  "alias-bomb.yaml": ["5:8", "alias-limit", "aliases expand too much"],
  "alias-map-as-key.yaml": ["5:1", "yaml-collection-key", "the alias *look stands for a map or list, which cannot be a key"],
  "bad-cast-id.yaml": ["11:3", "bad-id", "'Mother' is not a valid id"],
  "bad-interpolation.yaml": ["8:16", "bad-interpolation", "malformed ${...}"],
  "bad-language.yaml": ["4:11", "invalid-format", "not a BCP-47 language tag"],
  "bad-scene-id.yaml": ["18:9", "bad-id", "'The Decision' is not a valid id"],
  "base-url-not-url.yaml": ["14:15", "invalid-format", "not an http(s) URL"],
  "binary.bin.yaml": ["1:1", "not-text", "not UTF-8 text"],
  "budget-negative.yaml": ["4:9", "out-of-range", "'budget' must be at least 0"],
  "budget-too-large.yaml": ["4:9", "out-of-range", "'budget' is too large: not a finite number"],
  "cast-typo.yaml": ["4:1", "unknown-key", "unknown key 'casts' (did you mean 'cast'?)"],
  "colon-in-line.yaml": ["17:14", "yaml-block-as-implicit-key", "quote a line that contains ': '"],
  "comma-in-flow-value.yaml": ["5:53", "comma-in-flow-map", "'blue jacket' has no value: inside { } (a YAML flow mapping) a comma ends an entry, so YAML read look: 'old man' and then 'blue jacket' as a key of its own"],
  // Issue 33 item 12: said "'defiant' must be text, not nothing … allowed: a voice name", and "unknown key 'piano'".
  "comma-in-voice-style.yaml": ["8:45", "comma-in-flow-map", "'defiant' has no value: inside { } (a YAML flow mapping) a comma ends an entry, so YAML read style: 'bright' and then 'defiant' as a key of its own"],
  "comma-in-music-mood.yaml": ["4:22", "comma-in-flow-map", "'piano' has no value: inside { } (a YAML flow mapping) a comma ends an entry, so YAML read mood: 'calm' and then 'piano' as a key of its own"],
  "concurrency-zero.yaml": ["14:27", "out-of-range", "'image' must be more than 0"],
  "duplicate-cast-id.yaml": ["8:3", "yaml-duplicate-key", "duplicate key 'grandpa'"],
  "duplicate-scene-id.yaml": ["18:9", "duplicate-id", "duplicate scene id 'the-call' (first used on line 12)"],
  "empty.yaml": ["1:1", "empty-file", "the file is empty"],
  "line-not-text.yaml": ["17:14", "invalid-type", 'must be text, not a whole number; put it in quotes: "42"'],
  "line-two-speakers.yaml": ["17:9", "invalid-value", "exactly one 'speaker: text' pair"],
  "missing-model.yaml": ["16:43", "missing-model", "providers.cloud.models has no speech model"],
  "missing-reference.yaml": ["8:16", "missing-file", "file not found: 'refs/nobody.png'"],
  "missing-title.yaml": ["2:1", "missing-key", "missing required key 'title'"],
  "missing-version.yaml": ["2:1", "missing-key", "missing required key 'dramake'"],
  "multiple-documents.yaml": ["21:1", "yaml-multiple-docs", "more than one YAML document"],
  "music-bad-extension.yaml": ["21:16", "bad-extension", "not a supported file type"],
  "music-for-openai.yaml": ["16:15", "unsupported-modality", "cannot make music"],
  "music-mood-and-file.yaml": ["21:22", "conflicting-keys", "'file' cannot be combined with 'mood'"],
  "no-cast.yaml": ["6:12", "unknown-cast", "unknown cast member 'grandpa': the file has no cast"],
  "no-lines-no-beat.yaml": ["18:9", "no-lines-or-beat", "scene 'decision' has neither lines nor a beat"],
  "odd-size.yaml": ["4:17", "invalid-format", "each side must be an even number"],
  "provider-typo.yaml": ["2:1", "unknown-key", "unknown key 'provider' (did you mean 'providers'?)"],
  "reference-absolute.yaml": ["8:16", "path-outside", "absolute paths are not allowed"],
  "reference-escapes.yaml": ["8:16", "path-outside", "points outside the project directory"],
  "reserved-offline.yaml": ["13:11", "reserved-name", "'offline' is built in"],
  "scenes-not-a-list.yaml": ["11:1", "invalid-type", "'scenes' must be a list"],
  "seconds-not-number.yaml": ["14:14", "invalid-type", "'seconds' must be a number, not text"],
  "seconds-too-long.yaml": ["14:14", "out-of-range", "'seconds' must be at most 60, got 90"],
  "seconds-zero.yaml": ["14:14", "out-of-range", "'seconds' must be at least 1, got 0"],
  "size-aspect-mismatch.yaml": ["4:33", "size-aspect-mismatch", "size 1280x720 does not match aspect 9:16"],
  "speaker-not-in-scene.yaml": ["17:9", "speaker-not-in-scene", "'son' speaks but is not in this scene's cast"],
  "tab-indent.yaml": ["9:1", "yaml-tab-as-indent", "tabs are not allowed for indentation"],
  "take-zero.yaml": ["21:23", "out-of-range", "'keyframe' must be more than 0"],
  "unclosed-flow.yaml": ["20:5", "yaml-bad-indent", "flow sequence"],
  "unclosed-quote.yaml": ["16:18", "yaml-missing-char", "this double quote is never closed"],
  "unknown-cast-in-scene.yaml": ["19:12", "unknown-cast", "unknown cast member 'granpa' (did you mean 'grandpa'?)"],
  "unknown-key-cast.yaml": ["10:5", "unknown-key", "unknown key 'loook' (did you mean 'look'?)"],
  "unknown-key-scene.yaml": ["15:5", "unknown-key", "unknown key 'acton' (did you mean 'action'?)"],
  "unknown-key-top.yaml": ["11:1", "unknown-key", "unknown key 'scences' (did you mean 'scenes'?)"],
  "unknown-provider-type.yaml": ["13:11", "invalid-value", "'gemini' is not allowed for 'type'"],
  "unknown-speaker.yaml": ["17:9", "unknown-cast", "unknown speaker 'wie'"],
  "unset-env.yaml": ["14:14", "unset-env", "environment variable DRAMAKE_FIXTURE_UNSET is not set"],
  "use-unknown-provider.yaml": ["16:28", "unknown-provider", "unknown provider 'clod' (did you mean 'cloud'?)"],
  "wrong-version.yaml": ["2:10", "unsupported-version", "unsupported format version 2"],
};

test("every broken fixture has a row in the table (and there are at least 25)", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
  assert.deepEqual(files, Object.keys(cases).sort());
  assert.ok(files.length >= 25, `only ${files.length} fixtures`);
});

for (const [file, [position, code, fragment]] of Object.entries(cases)) {
  test(`invalid/${file}: ${position} ${fragment}`, async () => {
    const result = await loadProject(path.join(dir, file), { env: {} });
    assert.equal(result.ok, false, "the broken file loaded");
    if (result.ok) return;
    const summary = result.error.map((d) => `${d.line}:${d.col} [${d.code}] ${d.message}`);
    assert.equal(result.error.length, 1, `expected one problem, got:\n${summary.join("\n")}`);
    const [d] = result.error;
    assert.equal(`${d!.line}:${d!.col}`, position, summary[0]);
    assert.equal(d!.code, code, summary[0]);
    assert.ok(d!.message.includes(fragment), `'${d!.message}' lacks '${fragment}'`);
    assert.equal(d!.file, path.join(dir, file));
    assert.ok(d!.length >= 1);
    assert.equal(d!.severity, "error");
    assert.ok(d!.allowed && d!.allowed.length > 3, "no 'allowed' hint");
  });
}

test("a comma inside { } is explained with the quoted text to write instead", async () => {
  for (const [file, allowed] of [
    ["comma-in-voice-style.yaml", 'text with a comma in quotes: style: "bright, defiant"'],
    ["comma-in-music-mood.yaml", 'text with a comma in quotes: mood: "calm, piano"'],
  ] as const) {
    const result = await loadProject(path.join(dir, file), { env: {} });
    assert.ok(!result.ok);
    assert.equal(result.error[0]!.allowed, allowed);
  }
});
