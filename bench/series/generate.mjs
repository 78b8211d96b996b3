/**
 * Writes a generated series project: `episodes` episode files of `scenes`
 * scenes each (a written scene and a beat-only scene taking turns), a cast
 * file shared by all, and a drama.yaml that includes them. With episodes = 0,
 * a single-episode (format 1) project of `scenes` scenes: the baseline.
 * usage: node bench/series/generate.mjs <dir> [episodes=30] [scenes=8]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CAST = ["ann", "bob", "cat", "dan"];

function scene(e, s) {
  const cast = [CAST[s % CAST.length], CAST[(s + 1) % CAST.length]];
  const head = [`  - id: s${s + 1}`, `    setting: place ${s + 1} of episode ${e}`, `    cast: [${cast.join(", ")}]`, `    action: Something happens (${e}.${s + 1}).`, "    seconds: 2"];
  if (s % 2 === 1) return [...head, `    beat: The story turns (${e}.${s + 1}).`];
  return [...head, "    lines:", `      - ${cast[0]}: Line one of scene ${s + 1}, episode ${e}.`, `      - ${cast[1]}: Line two of scene ${s + 1}, episode ${e}.`];
}

export function generateSeries(dir, episodes = 30, scenes = 8) {
  mkdirSync(join(dir, "episodes"), { recursive: true });
  const header = ["dramake: 1", `title: Generated ${episodes || "single"}`, "format: { size: 64x112, fps: 12 }", "include: [cast.yaml]"];
  writeFileSync(join(dir, "cast.yaml"), ["cast:", ...CAST.flatMap((id) => [`  ${id}:`, `    name: ${id.toUpperCase()}`, `    look: person ${id}`])].join("\n") + "\n");
  const sceneLines = (e) => Array.from({ length: scenes }, (_, s) => scene(e, s)).flat();
  if (episodes === 0) {
    writeFileSync(join(dir, "drama.yaml"), [...header, "scenes:", ...sceneLines(1)].join("\n") + "\n");
    return;
  }
  const ids = Array.from({ length: episodes }, (_, i) => String(i + 1).padStart(2, "0"));
  for (const id of ids) {
    writeFileSync(join(dir, "episodes", `${id}.yaml`), [`id: "${id}"`, `title: Episode ${id}`, "scenes:", ...sceneLines(Number(id)).map((l) => l.slice(0))].join("\n") + "\n");
  }
  writeFileSync(join(dir, "drama.yaml"), [...header, "episodes:", ...ids.map((id) => `  - include: episodes/${id}.yaml`)].join("\n") + "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, episodes = "30", scenes = "8"] = process.argv.slice(2);
  if (!dir) {
    console.error("usage: node bench/series/generate.mjs <dir> [episodes=30] [scenes=8]");
    process.exit(2);
  }
  generateSeries(dir, Number(episodes), Number(scenes));
}
