/**
 * The export's timeline model without a build: the music's ducking keys, the
 * arithmetic check, EDL timecodes, the split of the dialogue among speakers,
 * and the writers over a hand-made timeline (a transition and an XML-hostile
 * name included, which the offline build never has).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { edlText, timecode } from "../src/report/export/edl.js";
import { fcpxmlText } from "../src/report/export/fcpxml.js";
import { mltXml } from "../src/report/export/mlt.js";
import { otioJson } from "../src/report/export/otio.js";
import { speakerSpans } from "../src/report/export/stems.js";
import { duckingKeys, DUCK_DB, MUSIC_LEVEL_DB, timelineProblems, type Timeline } from "../src/report/export/timeline.js";

const clip = (name: string, recordIn: number, duration: number) => ({ name, scene: name, shot: name, take: 1, media: `media/${name}.mp4`, available: duration, sourceIn: 0, duration, recordIn });

const timeline: Timeline = {
  name: `Tom & "Jerry" <1>`,
  stem: "tom",
  fps: 24,
  width: 720,
  height: 1280,
  frames: 120,
  // The dissolve plays 6 frames of each clip's media past its side of the cut (their handles).
  video: [{ ...clip("a", 0, 48), available: 54 }, { ...clip("b", 48, 72), sourceIn: 6, available: 78 }],
  transitions: [{ from: 0, inOffset: 6, outOffset: 6, kind: "dissolve" }],
  audio: [
    { name: "Ann", kind: "dialogue", speaker: "ann", clips: [{ name: "a line 1", media: "media/a.wav", available: 48, sourceIn: 8, duration: 20, recordIn: 8 }] },
    { name: "Bob", kind: "dialogue", speaker: "bob", clips: [{ name: "b line 1", media: "media/b.wav", available: 72, sourceIn: 10, duration: 30, recordIn: 58 }] },
  ],
  cues: [{ start: 8, end: 30, text: "Hi & <bye>" }],
  srt: "tom.srt",
  media: [],
};

test("ducking: the music's level, down by the duck over speech, back after the release; close lines merge", () => {
  const low = Math.round((MUSIC_LEVEL_DB + DUCK_DB) * 100) / 100;
  // At 24 fps the attack is 1 frame, the release 11.
  assert.deepEqual(duckingKeys([{ start: 24, end: 48 }], 24, 120), [
    { frame: 0, db: MUSIC_LEVEL_DB },
    { frame: 23, db: MUSIC_LEVEL_DB },
    { frame: 24, db: low },
    { frame: 48, db: low },
    { frame: 59, db: MUSIC_LEVEL_DB },
    { frame: 120, db: MUSIC_LEVEL_DB },
  ]);
  // Two lines 5 frames apart (inside the 11-frame release): one ducked stretch, not two.
  const merged = duckingKeys([{ start: 24, end: 30 }, { start: 35, end: 40 }], 24, 120);
  assert.equal(merged.filter((k) => k.db === low).length, 2);
  assert.deepEqual(merged.filter((k) => k.db === low).map((k) => k.frame), [24, 40]);
  // Speech at the very start: down from frame 0.
  assert.equal(duckingKeys([{ start: 0, end: 10 }], 24, 120)[0]!.db, low);
});

test("timelineProblems: a gap in the picture, a clip past its media, a picture longer than the timeline", () => {
  assert.deepEqual(timelineProblems(timeline), []);
  assert.match(timelineProblems({ ...timeline, video: [clip("a", 0, 48), clip("b", 50, 70)] }).join("; "), /b starts at frame 50, not 48/);
  assert.match(timelineProblems({ ...timeline, video: [{ ...clip("a", 0, 48), available: 40 }, clip("b", 48, 72)] }).join("; "), /a runs past its media/);
  assert.match(timelineProblems({ ...timeline, frames: 80 }).join("; "), /picture track is 120 frames, the timeline 80/);
  // A transition needs media past the cut on both sides.
  assert.match(timelineProblems({ ...timeline, video: [clip("a", 0, 48), clip("b", 48, 72)] }).join("; "), /a has no 6-frame handle after its out point for the transition into b; b has no 6-frame handle before its in point/);
});

test("EDL timecodes: hours, minutes, seconds, frames at the fps", () => {
  assert.equal(timecode(0, 24), "00:00:00:00");
  assert.equal(timecode(23, 24), "00:00:00:23");
  assert.equal(timecode(24 * 3661 + 5, 24), "01:01:01:05");
  // The dissolve into b: a held at the dissolve's start (source and record 00:00:01:18), then b from 6 frames before its in point.
  assert.match(edlText(timeline), /^002  AX       V     C        00:00:01:18 00:00:01:18 00:00:01:18 00:00:01:18$/m);
  assert.match(edlText(timeline), /^002  AX       V     D    012 00:00:00:00 00:00:03:06 00:00:01:18 00:00:05:00$/m);
});

test("speakers split the dialogue halfway through the silences between lines, from the start to the end", () => {
  const spans = speakerSpans(timeline, 48000);
  // Ann's line ends at frame 28 (56000 samples), Bob's starts at 58 (116000): the boundary at 86000.
  assert.deepEqual(spans, [
    { track: 0, from: 0, to: 86000 },
    { track: 1, from: 86000, to: Number.MAX_SAFE_INTEGER },
  ]);
});

test("the writers over one timeline: escaped names, the transition in OTIO, well-formed XML", async () => {
  const dir = await mkdtemp(join(tmpdir(), "export-model-"));
  const otio = JSON.parse(otioJson(timeline)) as { name: string; tracks: { children: { children: { OTIO_SCHEMA: string; in_offset?: { value: number } }[] }[] } };
  assert.equal(otio.name, timeline.name);
  const picture = otio.tracks.children[0]!.children;
  assert.deepEqual(picture.map((c) => c.OTIO_SCHEMA), ["Clip.1", "Transition.1", "Clip.1"]);
  assert.equal(picture[1]!.in_offset!.value, 6);
  for (const [ext, text] of [["mlt", mltXml(timeline)], ["fcpxml", fcpxmlText(timeline)]] as const) {
    const file = join(dir, `t.${ext}`);
    await writeFile(file, text);
    execFileSync("xmllint", ["--noout", file]);
    assert.match(text, /Tom &amp; &quot;Jerry&quot; &lt;1&gt;/);
  }
});
