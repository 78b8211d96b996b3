/**
 * dramake's own code as installed, for the no-op snapshot's identity: every
 * module that decides what steps a project yields or how they run (graph,
 * steps, providers, media, engine, project). Upgrading or rebuilding dramake
 * rewrites some of them, so a snapshot taken by other code is not trusted.
 * Runs on every `dramake build`, so it is a plain walk: one readdir per
 * directory and one stat per module, about 130 of them (fs.readdirSync's
 * `recursive` option costs four times as much on Node 20).
 */
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CODE_DIRS = ["graph", "engine", "providers", "media", "project"];

/** `count:bytes:newest mtime` of the .js (or, run from source, .ts) modules under `top` (dist/ or src/), and the package.json above it. */
export function codeStamp(top = fileURLToPath(new URL("..", import.meta.url))): string {
  let newest = 0;
  let count = 0;
  let bytes = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = entry.name;
      const path = `${dir}/${name}`;
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (!(name.endsWith(".js") || name.endsWith(".ts")) || name.endsWith(".d.ts")) continue;
      const s = statSync(path, { throwIfNoEntry: false });
      if (!s) continue;
      if (s.mtimeMs > newest) newest = s.mtimeMs;
      count++;
      bytes += s.size;
    }
  };
  const base = top.endsWith("/") ? top.slice(0, -1) : top;
  for (const dir of CODE_DIRS) walk(`${base}/${dir}`);
  // The package's version: a release is a miss even where no module changed.
  const pkg = statSync(`${base}/../package.json`, { throwIfNoEntry: false });
  return `${count}:${bytes}:${newest}:${pkg ? `${pkg.size}:${pkg.mtimeMs}` : "-"}`;
}
