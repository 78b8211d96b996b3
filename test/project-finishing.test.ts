/** `subtitles:`, `cards:`, `cover:` and `deliver:`: accepted when right, one positioned error with what is allowed when wrong. */
import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "node:test";
import { loadProject } from "../src/project/load.js";
import { DELIVERY_PRESETS } from "../src/project/finishing.js";
import { PRESET_NAMES, PRESETS, presetFor, subtitleSafeArea, type CustomPresetSpec } from "../src/media/presets.js";

const BASE = `dramake: 1
title: Fixture
cast:
  grandpa: { name: Grandfather Wang, look: old man }
scenes:
  - id: the-call
    cast: [grandpa]
    lines:
      - grandpa: Wei? You are not coming home?
  - id: the-door
    cast: [grandpa]
    beat: He knocks.
`;

async function load(extra: string) {
  const dir = await mkdtemp(join(tmpdir(), "dramake-finishing-"));
  const file = join(dir, "drama.yaml");
  await writeFile(file, BASE + extra);
  return loadProject(file, { env: {} });
}

test("the finishing keys load: subtitles, cards, cover and deliver with presets and a custom target", async () => {
  const r = await load(`subtitles:
  cps: 15
  max_lines: 1
  max_chars: 30
  position: top
  safe_area: douyin
  style: { font: Noto Sans, size: 4.5, color: "#FFE000", outline: 10, box: "#00000080" }
  burn: false
cards: { title: true, hook: "He has never been on a train.", end: { text: "Next: the station", seconds: 3 } }
cover: { shot: scene/the-door/shot/2, at: 1.5, title: true }
deliver:
  - douyin
  - shorts
  - { name: archive, like: tiktok, size: 720x1280, fps: 25, bitrate: 6M, loudness: -16, true_peak: -1.5, max_seconds: 3600, safe_area: { top: 0.1, bottom: 0.2, left: 0.05, right: 0.1 } }
`);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.error.map((d) => `${d.line}:${d.col} ${d.message}`)));
  const p = r.value as unknown as Record<string, unknown>;
  assert.deepEqual((p.subtitles as { style: unknown }).style, { font: "Noto Sans", size: 4.5, color: "#FFE000", outline: 10, box: "#00000080" });
  assert.deepEqual(p.cover, { shot: "scene/the-door/shot/2", at: 1.5, title: true });
  assert.equal((p.deliver as unknown[]).length, 3);
  // What the file says is what the media layer delivers.
  const [douyin, shorts, custom] = (p.deliver as (keyof typeof PRESETS | CustomPresetSpec)[]).map(presetFor);
  assert.equal(douyin, PRESETS.douyin);
  assert.equal(shorts!.maxSeconds, 180);
  assert.deepEqual(custom, {
    name: "archive",
    size: { width: 720, height: 1280 },
    fps: 25,
    video: { bitrate: "6M" },
    loudness: -16,
    truePeak: -1.5,
    maxSeconds: 3600,
    safeArea: { top: 0.1, bottom: 0.2, left: 0.05, right: 0.1 },
  });
  assert.equal(presetFor({ name: "plain" }).maxSeconds, undefined, "a custom target without like: no platform limit");
  assert.equal(presetFor({ name: "t", like: "tiktok", crf: 22 }).maxSeconds, 600);
  // Subtitles keep to one area whatever is delivered (so a deliver: edit reruns only deliveries): inside every preset's by default.
  const all = subtitleSafeArea();
  for (const preset of Object.values(PRESETS)) {
    for (const side of ["top", "bottom", "left", "right"] as const) assert.ok(all[side] >= preset.safeArea[side], `${preset.name} ${side}`);
  }
  assert.deepEqual(all, { top: 0.14, bottom: 0.35, left: 0.06, right: PRESETS.douyin.safeArea.right });
  assert.equal(subtitleSafeArea("douyin"), PRESETS.douyin.safeArea);
});

const cases: [string, string, string, string][] = [
  ["subtitles:\n  position: middle\n", "14:13", "invalid-value", "'middle'"],
  ["subtitles:\n  max_lines: 0\n", "14:14", "out-of-range", "max_lines"],
  ["subtitles:\n  style: { color: red }\n", "14:19", "invalid-format", "not a colour"],
  ["subtitles:\n  style: { box: red }\n", "14:17", "invalid-format", "not a colour #RRGGBB or #RRGGBBAA"],
  ["subtitles:\n  safe_area: douyn\n", "14:14", "invalid-value", "did you mean 'douyin'"],
  ["subtitles:\n  safe_area: { top: 0.6, bottom: 0, left: 0, right: 0 }\n", "14:21", "out-of-range", "top"],
  ["subtitles:\n  burn: maybe\n", "14:9", "invalid-type", "burn"],
  ["cover: { shot: scene/the-dor/shot/2 }\n", "13:16", "unknown-scene", "'the-dor'"],
  ["cover: { shot: the-door }\n", "13:16", "invalid-format", "not a scene or shot"],
  ["deliver: [douyn]\n", "13:11", "invalid-value", "douyn"],
  ["deliver: [douyin, douyin]\n", "13:19", "duplicate-delivery", "'douyin' is delivered twice"],
  ["deliver:\n  - { name: hq, crf: 18, bitrate: 8M }\n", "14:26", "conflicting-keys", "'bitrate' cannot be combined with 'crf'"],
  ["deliver:\n  - { name: hq, size: 1080by1920 }\n", "14:23", "invalid-format", "not a size"],
  ["cards: { end: { text: Next, seconds: 60 } }\n", "13:38", "out-of-range", "seconds"],
];

for (const [extra, position, code, fragment] of cases) {
  test(`finishing: ${JSON.stringify(extra.trim())} is one error at ${position}`, async () => {
    const r = await load(extra);
    assert.ok(!r.ok, "loaded");
    const summary = r.error.map((d) => `${d.line}:${d.col} [${d.code}] ${d.message} | ${d.allowed}`);
    assert.equal(r.error.length, 1, summary.join("\n"));
    const d = r.error[0]!;
    assert.equal(`${d.line}:${d.col}`, position, summary[0]);
    assert.equal(d.code, code, summary[0]);
    assert.ok(d.message.includes(fragment), summary[0]);
    assert.ok(d.allowed && d.allowed.length > 3, summary[0]);
  });
}

test("the schema's preset names are the media layer's presets", () => {
  assert.deepEqual([...DELIVERY_PRESETS].sort(), [...PRESET_NAMES].sort());
});
