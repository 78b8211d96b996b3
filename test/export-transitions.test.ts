/**
 * Export of shots and transitions (issue 27), without a build: a hand-made
 * built episode (the shot wiring fills these fields later) over real media
 * made here with ffmpeg, through timelineOf to every writer. Scene `a` is two
 * shots (red, then green) joined by a short dissolve the build already mixed
 * into its cut; scene `b` (blue) dissolves in from `a`. melt renders the MLT:
 * its length is the cuts' less the overlap, a frame in the middle of the
 * scene dissolve is a mix of green and blue, the shots' transition leaves
 * the cut's own pictures as they are, and a cut has no mix.
 */
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EpisodeLayout } from "../src/graph/layout.js";
import type { BuiltEpisode, BuiltScene } from "../src/graph/timeline.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { edlText } from "../src/report/export/edl.js";
import { fcpxmlText } from "../src/report/export/fcpxml.js";
import { timelineOf } from "../src/report/export/from-build.js";
import { mltXml } from "../src/report/export/mlt.js";
import { otioJson } from "../src/report/export/otio.js";
import { timelineProblems, type Timeline } from "../src/report/export/timeline.js";

const FPS = 24;
const MELT = "/usr/bin/melt";
const tool = (name: "ffmpeg" | "ffprobe") => {
  const t = toolPath(name);
  assert.ok(t.ok);
  return t.value;
};

let dir = "";
let timeline: Timeline;

/** A solid-colour clip (or colours one after another), 180x320 at FPS, as an export's media file. */
function colours(file: string, parts: [string, number][]): void {
  const inputs = parts.flatMap(([c, frames]) => ["-f", "lavfi", "-i", `color=c=${c}:s=180x320:r=${FPS}:d=${frames / FPS}`]);
  const join = `${parts.map((_, i) => `[${i}:v]`).join("")}concat=n=${parts.length}:v=1:a=0[v]`;
  execFileSync(tool("ffmpeg"), ["-v", "error", "-y", ...inputs, "-filter_complex", join, "-map", "[v]", "-c:v", "libx264", "-crf", "1", "-pix_fmt", "yuv420p", file]);
}

const scene = (id: string, index: number, seconds: number, extra: Partial<BuiltScene>): BuiltScene => ({
  id,
  index,
  cut: `/objects/${id}`,
  seconds,
  take: 1,
  dialogue: { file: `/objects/${id}-dialogue`, seconds, loudness: {} as BuiltScene["dialogue"]["loudness"] },
  lines: [],
  cues: [],
  start: 0,
  transition: { kind: "cut", seconds: 0 },
  shots: [],
  ...extra,
});

const built: BuiltEpisode = {
  scenes: [
    // 84 frames: shot 1 is [0, 54), shot 2 [48, 84), overlapping by the 6-frame (0.25 s) dissolve between them.
    scene("a", 1, 84 / FPS, {
      start: 0,
      transition: { kind: "cut", seconds: 0 },
      shots: [
        { id: "1", start: 0, seconds: 54 / FPS, transition: { kind: "cut", seconds: 0 } },
        { id: "2", start: 48 / FPS, seconds: 36 / FPS, transition: { kind: "dissolve", seconds: 0.25 } },
      ],
    }),
    // Into b: a 12-frame (0.5 s) dissolve; it starts 12 frames before a ends. One shot: the whole cut, named for its scene.
    scene("b", 2, 2, { start: 72 / FPS, transition: { kind: "fade", seconds: 0.5 }, shots: [{ id: "1", start: 0, seconds: 2, transition: { kind: "cut", seconds: 0 } }] }),
    scene("c", 3, 1, { start: 120 / FPS, transition: { kind: "cut", seconds: 0 }, shots: [{ id: "1", start: 0, seconds: 1, transition: { kind: "cut", seconds: 0 } }] }),
  ],
  music: "/objects/music",
  seconds: (84 + 48 - 12 + 24) / FPS,
  srt: "/objects/srt",
};

const episode = {
  view: { format: { fps: FPS, width: 180, height: 320 }, cast: {}, title: "Shots" },
  final: { step: "final", file: "shots.mp4", srt: "shots.srt" },
} as unknown as EpisodeLayout;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "dramake-export-transitions-"));
  timeline = timelineOf(episode, built);
  const media = (scene: string) => join(dir, timeline.video.find((c) => c.scene === scene)!.media);
  execFileSync("mkdir", ["-p", join(dir, "media/shots")]);
  colours(media("a"), [["red", 48], ["green", 36]]);
  colours(media("b"), [["blue", 48]]);
  colours(media("c"), [["white", 24]]);
});

test("the model: a clip per shot, butting at the cuts, with transitions that take their handles from the media", () => {
  assert.deepEqual(timelineProblems(timeline), []);
  assert.deepEqual(
    timeline.video.map((c) => [c.name, c.shot, c.take, c.sourceIn, c.duration, c.recordIn]),
    [
      // Shot 1 plays up to the middle of its 6-frame dissolve (3 before the cut, 3 after), shot 2 from there.
      ["a/1", "1", 1, 0, 51, 0],
      ["a/2", "2", 1, 51, 27, 51],
      // 12 frames of dissolve into b: 6 of them before the cut out of a.
      ["b", "b", 1, 6, 42, 78],
      ["c", "c", 1, 0, 24, 120],
    ],
  );
  assert.deepEqual(timeline.transitions, [
    { from: 0, inOffset: 3, outOffset: 3, kind: "dissolve", effect: "dissolve" },
    { from: 1, inOffset: 6, outOffset: 6, kind: "dissolve", effect: "fade" },
  ]);
  assert.equal(timeline.frames, 144);
  // The scenes' starts as the timing module placed them, or as their overlaps put them: the same timeline.
  const unplaced = { ...built, scenes: built.scenes.map(({ start: _, ...rest }) => rest as BuiltScene) };
  assert.deepEqual(timelineOf(episode, unplaced), timeline);
  // A transition past a clip's media is a problem the writers never see.
  const tooLong = { ...timeline, transitions: [{ from: 1, inOffset: 20, outOffset: 6, kind: "dissolve" as const }] };
  assert.match(timelineProblems(tooLong).join("; "), /b has no 20-frame handle before its in point for the transition from a\/2/);
});

/** The average colour of one decoded frame, 0-255 per channel. */
function colourAt(file: string, frame: number): [number, number, number] {
  const raw = execFileSync(tool("ffmpeg"), ["-v", "error", "-i", file, "-vf", `select=eq(n\\,${frame}),scale=1:1:flags=area`, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]);
  return [raw[0]!, raw[1]!, raw[2]!];
}
const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((x, i) => x - b[i]!));

test("MLT: melt renders the transitions: its length, a mid-dissolve frame a mix, a cut none", async (t) => {
  const file = join(dir, "shots.mlt");
  await writeFile(file, mltXml(timeline));
  execFileSync("xmllint", ["--noout", file]);
  if (!existsSync(MELT)) {
    t.skip("melt is not installed (apt-get install melt): the render check did not run");
    return;
  }
  const rendered = join(dir, "melt.mp4");
  execFileSync(MELT, ["-quiet", file, "-consumer", `avformat:${rendered}`, "vcodec=libx264", "crf=1", "an=1"], { cwd: dir, stdio: "ignore" });
  const frames = Number(execFileSync(tool("ffprobe"), ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", rendered], { encoding: "utf8" }).trim());
  assert.equal(frames, 144, "84 + 48 - 12 + 24 frames: the dissolve overlaps the two cuts");
  const duration = Number(execFileSync(tool("ffprobe"), ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", rendered], { encoding: "utf8" }).trim());
  assert.ok(Math.abs(duration - 6) < 0.1, `${duration} s`);
  const red = colourAt(rendered, 20);
  const green = colourAt(rendered, 60);
  const blue = colourAt(rendered, 100);
  assert.ok(red[0] > 200 && red[1] < 40, `red ${red}`);
  assert.ok(green[1] > 100 && green[0] < 40, `green ${green}`);
  assert.ok(blue[2] > 200 && blue[1] < 40, `blue ${blue}`);
  // The scene dissolve runs over timeline frames 72..83 (the cut at 78): its middle is half green, half blue.
  const mid = colourAt(rendered, 78);
  const mix = green.map((g, i) => (g + blue[i]!) / 2);
  assert.ok(distance(mid, mix) < 30, `frame 78 ${mid}, the average of green and blue ${mix}`);
  assert.ok(distance(mid, green) > 60 && distance(mid, blue) > 60, `frame 78 ${mid} is neither side`);
  // The dissolve moves from one to the other: a quarter in is nearer green, three quarters nearer blue.
  assert.ok(distance(colourAt(rendered, 74), green) < distance(colourAt(rendered, 74), blue));
  assert.ok(distance(colourAt(rendered, 81), blue) < distance(colourAt(rendered, 81), green));
  // The shots' transition plays the cut's own frames (the build mixed it already): the red-to-green change
  // in the media stays a hard change at its frame 48, nothing mixed around it.
  assert.ok(distance(colourAt(rendered, 47), red) < 20, "the last red frame");
  assert.ok(distance(colourAt(rendered, 48), green) < 20, "the first green frame");
  // A cut (b to c, at frame 120) has no mix on either side.
  assert.ok(distance(colourAt(rendered, 119), blue) < 20);
  assert.ok(distance(colourAt(rendered, 120), [255, 255, 255]) < 20);
});

test("FCPXML: a Cross Dissolve transition between the clips, over the cut, the spine still adding up", async () => {
  const text = fcpxmlText(timeline);
  const file = join(dir, "shots.fcpxml");
  await writeFile(file, text);
  execFileSync("xmllint", ["--noout", file]);
  const r = (v: string) => (v === "0s" ? 0 : Number(/^(\d+)\/24s$/.exec(v)![1]));
  const transitions = [...text.matchAll(/<transition name="Cross Dissolve" offset="([^"]+)" duration="([^"]+)">\s*<filter-video ref="([^"]+)" name="Cross Dissolve"\/>/g)];
  assert.deepEqual(transitions.map((m) => [r(m[1]!), r(m[2]!)]), [[48, 6], [72, 12]]);
  const effect = new RegExp(`<effect id="${transitions[0]![3]}" name="Cross Dissolve" uid="FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"/>`);
  assert.match(text, effect);
  // A transition sits between the clips it joins, in spine order.
  const spine = /<spine>([\s\S]*)<\/spine>/.exec(text)![1]!;
  const order = [...spine.matchAll(/^ {8}<(asset-clip|transition) [^>]*?(?:name="([^"]*)")/gm)].map((m) => (m[1] === "transition" ? "~" : m[2]));
  assert.deepEqual(order, ["a/1", "~", "a/2", "~", "b", "c"]);
  const clips = [...spine.matchAll(/^ {8}<asset-clip [^>]*offset="([^"]+)" start="([^"]+)" duration="([^"]+)"/gm)];
  assert.equal(clips.reduce((n, m) => n + r(m[3]!), 0), 144);
});

test("OTIO: Transition.1 with in/out offsets between the clips it joins; the clips add up without it", () => {
  const doc = JSON.parse(otioJson(timeline)) as { tracks: { children: { kind: string; children: Record<string, unknown>[] }[] } };
  const picture = doc.tracks.children.find((t) => t.kind === "Video")!.children;
  assert.deepEqual(picture.map((c) => (c.OTIO_SCHEMA === "Transition.1" ? `~${(c.in_offset as { value: number }).value}+${(c.out_offset as { value: number }).value}` : c.name)), ["a/1", "~3+3", "a/2", "~6+6", "b", "c"]);
  const tr = picture.find((c) => c.OTIO_SCHEMA === "Transition.1")!;
  assert.equal(tr.transition_type, "SMPTE_Dissolve");
  assert.deepEqual(tr.metadata, { dramake: { transition: "dissolve" } });
  const frames = picture.filter((c) => c.OTIO_SCHEMA === "Clip.1").reduce((n, c) => n + (c.source_range as { duration: { value: number } }).duration.value, 0);
  assert.equal(frames, 144);
});

test("EDL: a dissolve event (D and its frames) from the outgoing clip; record times follow on to the end", () => {
  const text = edlText(timeline);
  // Shot 1 to shot 2: their cut at frame 51, the 6-frame dissolve from 48 (00:00:02:00) to 54; shot 2
  // then runs to where the next dissolve starts (72, 00:00:03:00).
  assert.match(text, /^001  AX       V     C        00:00:00:00 00:00:02:00 00:00:00:00 00:00:02:00$/m);
  assert.match(text, /^002  AX       V     C        00:00:02:00 00:00:02:00 00:00:02:00 00:00:02:00$/m);
  assert.match(text, /^002  AX       V     D    006 00:00:02:00 00:00:03:00 00:00:02:00 00:00:03:00$/m);
  assert.match(text, /^003  AX       V     D    012 00:00:00:00 00:00:02:00 00:00:03:00 00:00:05:00$/m);
  assert.match(text, /^004  AX       V     C        00:00:00:00 00:00:01:00 00:00:05:00 00:00:06:00$/m);
  const tc = (s: string) => s.split(":").map(Number).reduce((n, x, i) => (i === 3 ? n * FPS + x : n * 60 + x), 0);
  // Every event's record range is as long as its source range, and they tile the timeline.
  let at = 0;
  for (const m of text.matchAll(/^\d{3}  AX\s+V\s+(?:C|D\s+\d{3})\s+(\S+) (\S+) (\S+) (\S+)$/gm)) {
    assert.equal(tc(m[2]!) - tc(m[1]!), tc(m[4]!) - tc(m[3]!));
    assert.equal(tc(m[3]!), at);
    at = tc(m[4]!);
  }
  assert.equal(at, 144);
});
