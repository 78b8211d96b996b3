/**
 * dramake's own code as installed, for what is remembered across commands
 * (the no-op snapshot's identity, the parsed-YAML cache): every
 * module that decides what steps a project yields or how they run (graph,
 * steps, providers, media, engine, project). Upgrading or rebuilding dramake
 * rewrites some of them, so a snapshot taken by other code is not trusted.
 * Runs on every `dramake build`, so it is a plain walk: one readdir per
 * directory and one stat per module, about 130 of them (fs.readdirSync's
 * `recursive` option costs four times as much on Node 20). At the root of
 * src/ because engine/ and project/ both need it (see atomic.ts).
 */
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** bundle/: the command line's own copy of that code (scripts/bundle-cli.mjs), when built. */
const CODE_DIRS = ["graph", "engine", "providers", "media", "project", "bundle"];

/** Set by scripts/bundle-cli.mjs, whose bundle is not where this module is: the way from it to dist/. */
declare const DRAMAKE_CODE_ROOT: string | undefined;
const codeRoot = (): string => fileURLToPath(new URL(typeof DRAMAKE_CODE_ROOT === "string" ? DRAMAKE_CODE_ROOT : ".", import.meta.url));

/** `count:bytes:newest mtime` of the .js (or, run from source, .ts) modules under `top` (dist/ or src/), and the package.json above it. */
export function codeStamp(top = codeRoot()): string {
  let newest = 0;
  let count = 0;
  let bytes = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // bundle/ after a plain tsc run, or src/ (which has none)
    }
    for (const entry of entries) {
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
