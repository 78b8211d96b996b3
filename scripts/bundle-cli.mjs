/**
 * Runs after tsc (`npm run build`): the command line as two bundles, so a
 * process loads a few files instead of ~300 small ES modules (ours, zod's,
 * yaml's), which is most of what a short command costs above Node's start-up.
 *
 * - dist/cli/main.js: the entry and every module a no-op `dramake build`
 *   loads (argv parsing, the build command, the no-op check, the reporters),
 *   in one file. Packages stay outside it except get-east-asian-width (pure,
 *   five files).
 * - dist/bundle/: everything the entry imports lazily (the other commands,
 *   the graph loader, the engine, the providers, help), as one esbuild build
 *   with shared chunks, zod, yaml and commander inside.
 *
 * The inlined modules hold no state, so the copies of them the lazy side
 * carries behave alike. Packages that keep state or load slowly only when
 * used stay in node_modules: kleur (one `enabled` flag for every palette),
 * openai, chokidar, and the ffmpeg installers found through require.
 * The library API (dist/index.js) and the tests use tsc's modules as before;
 * a plain `tsc` run writes the unbundled main.js back: slower, never wrong.
 */
import { build } from "esbuild";
import { chmodSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = join(root, "src");
const dist = join(root, "dist");
const entry = join(dist, "cli", "main.js");
const lazyDir = join(dist, "bundle");

/** Dynamically imported modules on the no-op path (source paths): inlined into main.js. */
const HOT = new Set(
  ["cli/commands/build.ts", "cli/build-run.ts", "engine/noop-check.ts", "report/terminal.ts", "report/json.ts"].map((p) => join(src, p)),
);
const HOT_PACKAGES = new Set(["get-east-asian-width"]);
const EXTERNAL_PACKAGES = new Set(["kleur", "openai", "chokidar", "@ffmpeg-installer/ffmpeg", "@ffprobe-installer/ffprobe"]);

const packageName = (spec) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]);
const toSource = (importer, spec) => resolve(dirname(importer), spec).replace(/\.js$/, ".ts");
const relativeSpec = (from, to) => {
  const spec = relative(dirname(from), to).split(sep).join("/");
  return spec.startsWith(".") ? spec : `./${spec}`;
};

const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  metafile: true,
  logLevel: "warning",
  // code-stamp.ts finds dist/ from its own place; bundled, it is one folder down (dist/cli/, dist/bundle/).
  define: { DRAMAKE_CODE_ROOT: JSON.stringify("../") },
};

/** The entry: hot modules inlined, every other dynamic import sent to `coldPath(source)`. */
function hotPlugin(coldPath) {
  return {
    name: "hot-path",
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== "dynamic-import") return undefined;
        const target = toSource(args.importer, args.path);
        return HOT.has(target) ? undefined : { path: coldPath(target), external: true };
      });
      b.onResolve({ filter: /^[^./]/ }, (args) =>
        args.path.startsWith("node:") || !HOT_PACKAGES.has(packageName(args.path)) ? { path: args.path, external: true } : undefined,
      );
    },
  };
}

const coldPackages = {
  name: "cold-packages",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("node:") || EXTERNAL_PACKAGES.has(packageName(args.path)) ? { path: args.path, external: true } : undefined,
    );
    // zod's namespace carries all 64 of its message locales (~450 KB, most of its size); dramake writes its
    // own messages and zod's default is English, so the others are stubs here (the library keeps real zod).
    b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/.test(args.importer) && args.path !== "./en.js" ? { path: args.path, namespace: "zod-locale" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locale" }, (args) => ({
      contents: `export default function locale() { throw new Error("the zod locale ${args.path} is not in dramake's command-line bundle"); }`,
      loader: "js",
    }));
  },
};

// 1. Which modules the entry reaches lazily.
const cold = new Set();
await build({ ...common, entryPoints: [join(src, "cli", "main.ts")], outfile: entry, write: false, plugins: [hotPlugin((t) => (cold.add(t), t))] });

// 2. Those, as one split build. yaml and commander are CommonJS: their require() of builtins needs a real require.
rmSync(lazyDir, { recursive: true, force: true });
const lazy = await build({
  ...common,
  entryPoints: [...cold].sort(),
  outdir: lazyDir,
  outbase: src,
  splitting: true,
  entryNames: "[name]-[hash]",
  chunkNames: "chunk-[hash]",
  banner: { js: 'import { createRequire as __dramakeRequire } from "node:module"; const require = __dramakeRequire(import.meta.url);' },
  plugins: [coldPackages],
});
const builtFrom = new Map();
for (const [out, meta] of Object.entries(lazy.metafile.outputs)) if (meta.entryPoint) builtFrom.set(resolve(root, meta.entryPoint), resolve(root, out));

// 3. The entry, pointing at them.
const hot = await build({
  ...common,
  entryPoints: [join(src, "cli", "main.ts")],
  outfile: entry,
  plugins: [
    hotPlugin((t) => {
      const out = builtFrom.get(t);
      if (!out) throw new Error(`bundle-cli: no lazy bundle for ${relative(root, t)}`);
      return relativeSpec(entry, out);
    }),
  ],
});

// The package's bin: `npx dramake` in a fresh clone runs it directly.
chmodSync(entry, 0o755);

const files = Object.keys(lazy.metafile.outputs).filter((f) => f.endsWith(".js"));
const bytes = (m) => Object.values(m.outputs).reduce((n, o) => n + (o.bytes ?? 0), 0) - Object.entries(m.outputs).filter(([f]) => f.endsWith(".map")).reduce((n, [, o]) => n + o.bytes, 0);
console.log(
  `bundle-cli: dist/cli/main.js (${Object.keys(hot.metafile.inputs).length} modules, ${bytes(hot.metafile)} bytes); ` +
    `dist/bundle/ (${cold.size} entries, ${files.length} files, ${Object.keys(lazy.metafile.inputs).length} modules, ${bytes(lazy.metafile)} bytes)`,
);
