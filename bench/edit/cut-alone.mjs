/**
 * The baseline of bench/edit: one scene's cut rendered alone, in a process of
 * its own, from the inputs the build used (read from drama.lock and the store).
 * usage: node cut-alone.mjs <project dir> <scene id> <out.mp4>
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
const [dir, scene, out] = process.argv.slice(2);
const dist = new URL("../../dist/", import.meta.url);
const { cutScene } = await import(new URL("media/cut.js", dist).href);
const { loadProject } = await import(new URL("project/load.js", dist).href);
const lock = JSON.parse(readFileSync(join(dir, "drama.lock"), "utf8")).steps;
const object = (d) => join(dir, ".dramake/cache/objects", d.slice(0, 2), d.slice(2));
const outputs = (step) => lock[`scene/${scene}/${step}`].outputs;
const project = (await loadProject(dir, { offline: true })).value;
const s = project.scenes.find((x) => x.id === scene);
const clip = outputs("clip");
const picture = clip.video ? object(clip.video.digest) : { still: object(clip.still.digest), camera: JSON.parse(readFileSync(object(clip.move.digest), "utf8")).camera };
const r = await cutScene(
  {
    clip: picture,
    dialogue: object(outputs("dialogue").audio.digest),
    ass: readFileSync(object(outputs("subtitles").ass.digest), "utf8"),
    seconds: s.seconds,
    size: { width: project.format.width, height: project.format.height },
    fps: project.format.fps,
  },
  out,
  { signal: new AbortController().signal },
);
if (!r.ok) {
  console.error(JSON.stringify(r.error));
  process.exit(1);
}
