/**
 * Finding fonts to draw text with: a CJK-capable one (so Chinese renders as
 * glyphs, not boxes) and a Latin one. Looked up once per process: explicit
 * env vars, fonts shipped in assets/fonts, fontconfig, then well-known paths.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasCjk } from "./text-layout.js";

export interface FontFile {
  readonly file: string;
  /** Family name as libass and fontconfig know it (ASS `Fontname`). */
  readonly family: string;
  /** fontconfig lists it, so libass finds it by family without a `fontsdir`. */
  readonly installed?: boolean;
}

export interface Fonts {
  readonly cjk?: FontFile;
  readonly latin?: FontFile;
}

/** Families of fonts we may find without fontconfig to ask. */
const KNOWN_FAMILIES: readonly [RegExp, string][] = [
  [/wqy-zenhei/i, "WenQuanYi Zen Hei"],
  [/wqy-microhei/i, "WenQuanYi Micro Hei"],
  [/NotoSansCJK/i, "Noto Sans CJK SC"],
  [/NotoSerifCJK/i, "Noto Serif CJK SC"],
  [/NotoSansSC/i, "Noto Sans SC"],
  [/SourceHanSans/i, "Source Han Sans SC"],
  [/DroidSansFallback/i, "Droid Sans Fallback"],
  [/PingFang/i, "PingFang SC"],
  [/Hiragino Sans GB/i, "Hiragino Sans GB"],
  [/msyh/i, "Microsoft YaHei"],
  [/simhei/i, "SimHei"],
  [/DejaVuSans\.ttf$/i, "DejaVu Sans"],
  [/LiberationSans-Regular/i, "Liberation Sans"],
  [/Helvetica/i, "Helvetica"],
  [/arial\.ttf$/i, "Arial"],
];

const CJK_PATHS = [
  "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
  "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
  "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
  "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
  "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
  "/System/Library/Fonts/PingFang.ttc",
  "/System/Library/Fonts/Hiragino Sans GB.ttc",
  "C:\\Windows\\Fonts\\msyh.ttc",
  "C:\\Windows\\Fonts\\simhei.ttf",
];

const LATIN_PATHS = [
  "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/TTF/DejaVuSans.ttf",
  "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  "/System/Library/Fonts/Helvetica.ttc",
  "C:\\Windows\\Fonts\\arial.ttf",
];

function familyOf(file: string): string {
  for (const [re, family] of KNOWN_FAMILIES) if (re.test(file)) return family;
  const q = spawnSync("fc-query", ["-f", "%{family[0]}\n", "-i", "0", file], { encoding: "utf8" });
  return (q.status === 0 && q.stdout.split("\n")[0]?.trim()) || basename(file).replace(/\.\w+$/, "");
}

/** fontconfig's answer to a pattern, as files (best first), when fc-list is installed. */
function fcList(pattern: string): string[] {
  const r = spawnSync("fc-list", [pattern, "file"], { encoding: "utf8" });
  if (r.status !== 0) return [];
  return r.stdout
    .split("\n")
    .map((l) => l.replace(/:\s*$/, "").trim())
    .filter((f) => /\.(ttf|ttc|otf)$/i.test(f))
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Prefer regular sans faces over bold, serif, mono or bitmap-ish variants. */
function rank(file: string): number {
  let r = 0;
  if (/bold|black|heavy|light|thin|italic|oblique/i.test(file)) r += 4;
  if (/serif|mono|sharp/i.test(file)) r += 2;
  return r;
}

function fcMatch(pattern: string): string | undefined {
  const r = spawnSync("fc-match", ["-f", "%{file}", pattern], { encoding: "utf8" });
  return r.status === 0 && r.stdout && existsSync(r.stdout) ? r.stdout : undefined;
}

export function assetsDir(): string {
  // src/media/fonts.ts and dist/media/fonts.js both sit two levels below the package root.
  return join(dirname(fileURLToPath(import.meta.url)), "..", "..", "assets");
}

function shipped(): string[] {
  const dir = join(assetsDir(), "fonts");
  try {
    return readdirSync(dir)
      .filter((f) => /\.(ttf|ttc|otf)$/i.test(f))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

/**
 * Fonts an npm package may ship (OTF files in its folder), if the project
 * ever depends on one: none is a dependency today, and a missing package is
 * simply no candidate.
 */
function packaged(): string[] {
  const require = createRequire(import.meta.url);
  const found: string[] = [];
  for (const [pkg, sub] of [["@embedpdf/fonts-sc", "fonts"]] as const) {
    try {
      const dir = join(dirname(require.resolve(`${pkg}/package.json`)), sub);
      found.push(...readdirSync(dir).filter((f) => /regular\.(otf|ttf)$/i.test(f)).map((f) => join(dir, f)));
    } catch {
      // not installed
    }
  }
  return found;
}

function first(candidates: readonly (string | undefined)[], installed: ReadonlySet<string>): FontFile | undefined {
  for (const file of candidates) {
    if (file && existsSync(file)) return { file, family: familyOf(file), installed: installed.has(file) };
  }
  return undefined;
}

let cached: Fonts | undefined;

/** The fonts to draw with. Missing members mean none was found (see `fontNotice`). */
export function findFonts(env: NodeJS.ProcessEnv = process.env): Fonts {
  if (cached) return cached;
  const assets = shipped();
  const zh = fcList(":lang=zh");
  const sans = fcMatch("sans:lang=en");
  const installed = new Set([...zh, ...(sans ? [sans] : [])]);
  const cjk = first(
    [env.DRAMAKE_CJK_FONT, ...assets.filter((f) => /cjk|sc|zh|hei|han|wqy/i.test(basename(f))), ...zh, ...CJK_PATHS, ...packaged()],
    installed,
  );
  const latin = first([env.DRAMAKE_FONT, ...assets, sans, ...LATIN_PATHS], installed) ?? cjk;
  cached = { cjk, latin };
  return cached;
}

/** The font for one piece of text: the CJK font when it has CJK (or always, as a fallback). */
export function fontFor(text: string, fonts: Fonts = findFonts()): FontFile | undefined {
  return hasCjk(text) ? (fonts.cjk ?? fonts.latin) : (fonts.latin ?? fonts.cjk);
}

/** A one-line notice when text in `language` cannot be drawn properly, else undefined. */
export function fontNotice(language: string, fonts: Fonts = findFonts()): string | undefined {
  if (!fonts.latin && !fonts.cjk) return "no font found: text on cards and subtitles may not render (install fonts-dejavu or set DRAMAKE_FONT)";
  if (/^(zh|ja|ko|yue|cmn)/i.test(language) && !fonts.cjk) {
    return "no CJK font found: Chinese/Japanese/Korean text will show as boxes (install fonts-wqy-zenhei or fonts-noto-cjk, or set DRAMAKE_CJK_FONT)";
  }
  return undefined;
}
