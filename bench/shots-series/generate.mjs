/**
 * Writes a generated series with written shots (issue 27's bench): `episodes`
 * episode files of `scenes` scenes of `shots` shots each (every shot with its
 * size, camera, action and one line), a cast file shared by all, and a
 * drama.yaml that includes them. With episodes = 0, a single-episode
 * (format 1) project of the same shape: the baseline.
 * 60 x 5 x 4 = 60 episodes of 20 shots, 1,200 shots in all.
 * usage: node bench/shots-series/generate.mjs <dir> [episodes=60] [scenes=5] [shots=4]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CAST = ["ann", "bob", "cat", "dan"];
const SIZES = ["wide", "medium", "close-up", "medium"];
const CAMERAS = ["static", "slow push-in", "pan left", "static"];

function scene(e, s, shots) {
  const cast = [CAST[s % CAST.length], CAST[(s + 1) % CAST.length]];
  const out = [`  - id: s${s + 1}`, `    setting: place ${s + 1} of episode ${e}`, `    cast: [${cast.join(", ")}]`, "    shots:"];
  for (let k = 0; k < shots; k++) {
    const speaker = cast[k % 2];
    out.push(
      `      - size: ${SIZES[k % SIZES.length]}`,
      `        camera: ${CAMERAS[k % CAMERAS.length]}`,
      `        action: Shot ${k + 1} of scene ${s + 1}, episode ${e}.`,
      "        seconds: 2",
      "        lines:",
      `          - ${speaker}: Line ${k + 1} of scene ${s + 1}, episode ${e}.`,
    );
  }
  return out;
}

export function generateShotsSeries(dir, episodes = 60, scenes = 5, shots = 4) {
  mkdirSync(join(dir, "episodes"), { recursive: true });
  const header = ["dramake: 1", `title: Shots ${episodes || "single"}`, "format: { size: 64x112, fps: 12 }", "include: [cast.yaml]"];
  writeFileSync(join(dir, "cast.yaml"), ["cast:", ...CAST.flatMap((id) => [`  ${id}:`, `    name: ${id.toUpperCase()}`, `    look: person ${id}`])].join("\n") + "\n");
  const sceneLines = (e) => Array.from({ length: scenes }, (_, s) => scene(e, s, shots)).flat();
  if (episodes === 0) {
    writeFileSync(join(dir, "drama.yaml"), [...header, "scenes:", ...sceneLines(1)].join("\n") + "\n");
    return;
  }
  const ids = Array.from({ length: episodes }, (_, i) => String(i + 1).padStart(2, "0"));
  for (const id of ids) writeFileSync(join(dir, "episodes", `${id}.yaml`), [`id: "${id}"`, `title: Episode ${id}`, "scenes:", ...sceneLines(Number(id))].join("\n") + "\n");
  writeFileSync(join(dir, "drama.yaml"), [...header, "episodes:", ...ids.map((id) => `  - include: episodes/${id}.yaml`)].join("\n") + "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, episodes = "60", scenes = "5", shots = "4"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/shots-series/generate.mjs <dir> [episodes=60] [scenes=5] [shots=4]");
    process.exit(2);
  }
  generateShotsSeries(dir, Number(episodes), Number(scenes), Number(shots));
}
