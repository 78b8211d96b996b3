/**
 * Runs after tsc (`npm run build`): replaces dist/cli/main.js with one file
 * holding the entry and every module a no-op `dramake build` loads (argv
 * parsing, the build command, the no-op check, the reporters). Loading ~25
 * small ES modules one by one is most of what a no-op costs above Node's own
 * start-up; one file is read, compiled and linked once.
 *
 * Only that hot path is inlined: every other dynamic import (the other
 * commands, the graph loader, the engine, commander for help) stays an import
 * of the module tsc wrote next to it in dist/, so the library API, the tests
 * and a full build load the same modules as before. The inlined modules hold
 * no state, so the copies that cold modules import from dist/ behave alike.
 * Packages stay external (kleur's `enabled` is shared by every palette),
 * except get-east-asian-width: pure, and five files to load.
 *
 * A plain `tsc` run writes the unbundled main.js back: slower, never wrong.
 */
import { build } from "esbuild";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const out = join(dist, "cli", "main.js");

/** Dynamically imported modules on the no-op path (source paths): inlined. */
const HOT = new Set(
  ["cli/commands/build.ts", "cli/build-run.ts", "engine/noop-check.ts", "report/terminal.ts", "report/json.ts"].map((p) => join(src, p)),
);
const BUNDLED_PACKAGES = new Set(["get-east-asian-width"]);

const toSource = (importer, spec) => resolve(dirname(importer), spec).replace(/\.js$/, ".ts");

const hotPath = {
  name: "hot-path",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const target = toSource(args.importer, args.path);
      if (HOT.has(target)) return undefined;
      // A cold module: import tsc's output, relative to where the bundle lives.
      const compiled = join(dist, relative(src, target)).replace(/\.ts$/, ".js");
      const spec = relative(dirname(out), compiled).split(sep).join("/");
      return { path: spec.startsWith(".") ? spec : `./${spec}`, external: true };
    });
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      const name = args.path.startsWith("@") ? args.path.split("/").slice(0, 2).join("/") : args.path.split("/")[0];
      return BUNDLED_PACKAGES.has(name) ? undefined : { path: args.path, external: true };
    });
  },
};

const result = await build({
  entryPoints: [join(src, "cli", "main.ts")],
  outfile: out,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
  // code-stamp.ts finds dist/ from its own place; inlined here it is one folder down (dist/cli/).
  define: { DRAMAKE_CODE_ROOT: JSON.stringify("../") },
  plugins: [hotPath],
});
const inputs = Object.keys(result.metafile.inputs).length;
const bytes = result.metafile.outputs[relative(root, out).split(sep).join("/")]?.bytes;
console.log(`bundle-cli: dist/cli/main.js, ${inputs} modules, ${bytes} bytes`);
