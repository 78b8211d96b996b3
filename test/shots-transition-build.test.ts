/**
 * Issue 27: transitions between scenes in a built episode. A frame in the
 * middle of a `dissolve` is measurably a mix of the two scenes (close to
 * their average, far from either); at a `cut` the frames on each side are
 * each scene's own. Offline build, static cameras, frames read back with
 * ffmpeg as small RGB images. The overlap comes from the files alone: the
 * episode is shorter than its cuts by exactly it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "./build-helpers.js";
import { probe } from "./fixtures/openai-server/call-context.js";
import { toolPath } from "../src/media/ffmpeg-path.js";
import { loadBuildGraph } from "../src/graph/load.js";
import { builtEpisode } from "../src/graph/timeline.js";

const FPS = 24;
const project = `dramake: 1
title: Dissolve
language: en
theme: Three rooms.
format: { aspect: "9:16", size: 144x256, fps: ${FPS} }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
scenes:
  - id: kitchen
    setting: a red kitchen at dawn
    cast: [grandpa]
    camera: static
    seconds: 3
    lines:
      - grandpa: Morning.
  - id: garden
    setting: a green garden at noon
    cast: [grandpa]
    camera: static
    transition: dissolve
    seconds: 3
    lines:
      - grandpa: Noon.
  - id: station
    setting: a blue station at night
    cast: [grandpa]
    camera: static
    transition: cut
    seconds: 3
    lines:
      - grandpa: Night.
`;

const seconds = async (file: string) => Number((await probe(file) as unknown as { format: { duration: string } }).format.duration);

/** Every frame of the file in order, as 18x32 RGB pixels (decoded from the start: a seek may land a frame off). */
function frames(file: string): Uint8Array[] {
  const ffmpeg = toolPath("ffmpeg");
  assert.ok(ffmpeg.ok);
  const raw = execFileSync(ffmpeg.value, ["-v", "error", "-i", file, "-vf", "scale=18:32", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"], { maxBuffer: 1 << 26 });
  const size = 18 * 32 * 3;
  return Array.from({ length: raw.length / size }, (_, i) => new Uint8Array(raw.subarray(i * size, (i + 1) * size)));
}
const distance = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + Math.abs(v - b[i]!), 0) / a.length;
const average = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => Math.round((v + b[i]!) / 2));

test("a dissolve between scenes mixes their pictures in its middle; a cut shows each scene's own on either side", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-dissolve-"));
  await writeFile(join(dir, "drama.yaml"), project);
  const built = await runCli(["build", dir]);
  assert.equal(built.code, 0, built.stderr);
  const out = join(dir, "build", "dissolve.mp4");
  const [kitchen, garden, station] = await Promise.all(["kitchen", "garden", "station"].map((id) => seconds(join(dir, "build", "scenes", id, "cut.mp4"))));
  const total = await seconds(out);
  const overlap = kitchen! + garden! + station! - total;
  // The dissolve's 0.5 s, shortened to the quiet before the garden's first line (whole frames); the cut adds none.
  assert.ok(overlap >= 4 / FPS - 1e-3 && overlap <= 0.5 + 1e-3, `overlap ${overlap}`);

  const all = frames(out);
  assert.equal(all.length, Math.round(total * FPS));
  // Frame numbers: the garden comes in at `into`, over `n` frames.
  const n = Math.round(overlap * FPS);
  const into = Math.round(kitchen! * FPS) - n;
  const a = all[into - 3]!;
  const b = all[into + n + 3]!;
  const mid = all[into + Math.floor(n / 2)]!;
  assert.ok(distance(a, b) > 8, `the scenes differ (${distance(a, b)})`);
  const mix = distance(mid, average(a, b));
  assert.ok(mix < 0.4 * Math.min(distance(mid, a), distance(mid, b)), `mid-dissolve: ${mix} from the average, ${distance(mid, a)} from the kitchen, ${distance(mid, b)} from the garden`);

  const cut = into + Math.round(garden! * FPS);
  const before = all[cut - 1]!;
  const after = all[cut]!;
  const garden2 = all[cut - 4]!;
  const station2 = all[cut + 4]!;
  assert.ok(distance(garden2, station2) > 8, `the garden and the station differ (${distance(garden2, station2)})`);
  assert.ok(distance(before, garden2) < 0.2 * distance(before, station2), `the last frame before a cut is the garden's (${distance(before, garden2)} from it, ${distance(before, station2)} from the station; cut at frame ${cut})`);
  assert.ok(distance(after, station2) < 0.2 * distance(after, garden2), "the first frame after a cut is the station's");

  // The editor export's model reads the same answer: each cut's start and the overlap into it.
  const graph = await loadBuildGraph(dir);
  assert.ok(graph.ok);
  const ep = await builtEpisode(graph.value, graph.value.layout!, graph.value.layout!.episodes[0]!);
  assert.ok(ep.ok, ep.ok ? "" : ep.error.message);
  assert.deepEqual(
    ep.value.scenes.map((s) => [s.id, Math.round(s.start * FPS), s.transition.kind, Math.round(s.transition.seconds * FPS)]),
    [
      ["kitchen", 0, "cut", 0],
      ["garden", into, "dissolve", n],
      ["station", cut, "cut", 0],
    ],
    "in frames",
  );
  assert.ok(Math.abs(ep.value.seconds - total) < 1e-3);
  assert.deepEqual(ep.value.scenes[1]!.shots, [{ id: "1", start: 0, seconds: garden, transition: { kind: "cut", seconds: 0 } }]);
});

test("start: previous: a shot's clip starts from the previous shot's last frame", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dramake-start-previous-"));
  const shots = (start: string) => `dramake: 1
title: Continuous
language: en
theme: One action.
format: { aspect: "9:16", size: 144x256, fps: ${FPS} }
cast:
  grandpa: { name: Grandpa, look: old man, voice: { offline: en+m3 } }
scenes:
  - id: door
    setting: a red door in a grey corridor
    cast: [grandpa]
    shots:
      - size: wide
        camera: slow push-in
        action: He walks to the door.
        seconds: 2
      - size: close-up
        camera: static
        action: His hand on the handle.
        seconds: 2${start}
`;
  await writeFile(join(dir, "drama.yaml"), shots("\n        start: previous"));
  const built = await runCli(["build", dir]);
  assert.equal(built.code, 0, built.stderr);
  // Offline, a shot's cut is its still and move, rendered once in the scene's cut (issue 27's speed):
  // the shots are read from there: the first is its 2 s (48 frames), then the second, joined by a cut.
  const door = () => frames(join(dir, "build/scenes/door/cut.mp4"));
  const cutAt = 2 * FPS;
  const scene = door();
  assert.ok(scene.length >= 2 * cutAt, `two 2 s shots (${scene.length} frames)`);
  assert.ok(!existsSync(join(dir, "build/scenes/door/shots/1/cut.mp4")), "a moving shot's cut is no file of its own");
  const first = scene.slice(0, cutAt);
  const second = scene.slice(cutAt, 2 * cutAt);
  const own = frames(join(dir, "build/scenes/door/shots/2/keyframe.png"))[0]!;
  const joined = distance(first.at(-1)!, second[0]!);
  assert.ok(distance(own, first.at(-1)!) > 8, "the second shot's own keyframe differs from the first shot's end");
  assert.ok(joined < 2, `the second shot begins where the first ended (${joined})`);

  // Without it, the second shot is its own keyframe.
  await writeFile(join(dir, "drama.yaml"), shots(""));
  const again = await runCli(["build", dir]);
  assert.equal(again.code, 0, again.stderr);
  const apart = door()[cutAt]!;
  assert.ok(distance(apart, own) < 0.3 * distance(apart, first.at(-1)!), `without start: previous it opens on its own keyframe (${distance(apart, own)} from it, ${distance(apart, first.at(-1)!)} from the first shot's end)`);
});
