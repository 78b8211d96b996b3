/**
 * Subtitles rendered with libass, each cue alone, measured on the frame: its
 * box (text, outline, shadow, box) lies inside the preset's safe area
 * (`position: safe`) or inside the frame (`top`, `bottom`), for long English
 * and Chinese lines, several presets and styles.
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "node:test";
import { fontsDir } from "../src/media/cut.js";
import { filterValue } from "../src/media/escape.js";
import { findFonts } from "../src/media/fonts.js";
import { DEFAULT_SAFE_AREA, PRESETS } from "../src/media/presets.js";
import { runFfmpeg } from "../src/media/run.js";
import { safeRect, type SafeArea } from "../src/media/safe-area.js";
import { subtitleZone, writeSubtitles, type SubtitleOptions } from "../src/media/subtitles.js";
import { must, run, scratch } from "./media-helpers.js";

const SIZE = { width: 360, height: 640 };
const EN =
  "Grandfather, listen to me carefully, because I am only going to say this once: the train leaves at six, the tickets are in the red envelope under the rice jar.";
const ZH = "爸爸，对不起，今年公司的项目实在太忙了，我真的没办法回家过年。你和妈妈一定要照顾好自己，别舍不得开暖气，药要按时吃。";
const GREY = 0x80;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pixels: number;
}

/** The box of everything libass drew on a grey frame (pixels that differ from the grey). */
function boxOf(rgb: Uint8Array, offset: number, size = SIZE): Box {
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, pixels: 0 };
  for (let y = 0; y < size.height; y++) {
    for (let x = 0; x < size.width; x++) {
      const i = offset + (y * size.width + x) * 3;
      if (Math.abs(rgb[i]! - GREY) + Math.abs(rgb[i + 1]! - GREY) + Math.abs(rgb[i + 2]! - GREY) > 24) {
        b.pixels++;
        b.x0 = Math.min(b.x0, x);
        b.x1 = Math.max(b.x1, x + 1);
        b.y0 = Math.min(b.y0, y);
        b.y1 = Math.max(b.y1, y + 1);
      }
    }
  }
  return b;
}

/** Each event of `ass` alone: event i is moved to [i, i+1) s and the frame at i+0.5 s is measured. */
async function renderCues(ass: string, dir: string): Promise<Box[]> {
  const lines = ass.split("\n");
  const events = lines.filter((l) => l.startsWith("Dialogue:"));
  const head = lines.filter((l) => !l.startsWith("Dialogue:"));
  const t = (s: number) => `0:00:${String(s).padStart(2, "0")}.00`;
  const moved = events.map((e, i) => e.replace(/^Dialogue: 0,[^,]*,[^,]*,/, `Dialogue: 0,${t(i)},${t(i + 1)},`));
  const work = await mkdtemp(join(dir, "cue-"));
  const file = join(work, "cues.ass");
  await writeFile(file, [...head, ...moved].join("\n"));
  const fdir = await fontsDir(work, findFonts());
  const out = join(work, "frames.rgb");
  must(
    await runFfmpeg(
      [
        "-f", "lavfi", "-i", `color=c=0x808080:s=${SIZE.width}x${SIZE.height}:r=2:d=${events.length}`,
        "-vf", `ass=filename=${filterValue(file)}${fdir ? `:fontsdir=${filterValue(fdir)}` : ""}`,
        "-f", "rawvideo", "-pix_fmt", "rgb24", out,
      ],
      run,
    ),
  );
  const rgb = await readFile(out);
  await rm(work, { recursive: true, force: true });
  const frame = SIZE.width * SIZE.height * 3;
  return events.map((_, i) => boxOf(rgb, (2 * i + 1) * frame));
}

const inside = (b: Box, r: { x0: number; x1: number; y0: number; y1: number }) => b.x0 >= r.x0 && b.x1 <= r.x1 && b.y0 >= r.y0 && b.y1 <= r.y1;

let dir: string;
test.before(async () => {
  dir = await scratch("subtitle-render");
});

const cases: { name: string; area?: SafeArea; opts: Partial<SubtitleOptions> }[] = [
  { name: "safe, douyin", area: PRESETS.douyin.safeArea, opts: { position: "safe", safeArea: PRESETS.douyin.safeArea } },
  { name: "safe, reels, big boxed text", area: PRESETS.reels.safeArea, opts: { position: "safe", safeArea: PRESETS.reels.safeArea, style: { size: 5, box: true } } },
  { name: "safe, shorts, thick outline, yellow", area: PRESETS.shorts.safeArea, opts: { position: "safe", safeArea: PRESETS.shorts.safeArea, style: { outline: 15, color: "#FFE000" } } },
  { name: "default (safe, inside every preset's area)", area: DEFAULT_SAFE_AREA, opts: {} },
  { name: "top", opts: { position: "top" } },
  { name: "bottom, 3 lines", opts: { position: "bottom", reading: { maxLines: 3 } } },
];

for (const c of cases) {
  test(`each cue rendered alone with libass lies inside ${c.area ? "the safe area" : "the frame"}: ${c.name}`, async (t) => {
    for (const [language, text] of [["en", EN], ["zh", ZH]] as const) {
      if (language === "zh" && !findFonts().cjk) {
        t.diagnostic("no CJK font: Chinese case skipped");
        continue;
      }
      const subs = writeSubtitles([{ speaker: language === "zh" ? "王爷爷" : "Grandpa", text }], [{ index: 0, start: 0, end: 30 }], {
        language,
        size: SIZE,
        ...c.opts,
      });
      const boxes = await renderCues(subs.ass, dir);
      assert.ok(boxes.length >= 2, `${language}: the long line is several cues (${boxes.length})`);
      const rect = c.area ? safeRect(c.area, SIZE) : { x0: 1, x1: SIZE.width - 1, y0: 1, y1: SIZE.height - 1 };
      for (const [i, b] of boxes.entries()) {
        assert.ok(b.pixels > 200, `${language} cue ${i} drew text (${b.pixels} pixels)`);
        assert.ok(inside(b, rect), `${language} cue ${i} ${JSON.stringify(subs.cues[i]?.text)}: box ${JSON.stringify(b)} outside ${JSON.stringify(rect)}`);
      }
      t.diagnostic(`${language}: ${boxes.length} cues, boxes ${boxes.map((b) => `${b.x0},${b.y0}-${b.x1},${b.y1}`).join(" ")} in ${JSON.stringify(rect)}`);
      // subtitleZone (what offline cards keep clear of) holds every rendered cue.
      const zone = subtitleZone(SIZE, { language, ...c.opts });
      for (const [i, b] of boxes.entries()) assert.ok(b.y0 >= zone.y0 && b.y1 <= zone.y1, `${language} cue ${i}: rows ${b.y0}-${b.y1} outside the zone ${zone.y0}-${zone.y1}`);
      if (c.opts.position === "top") assert.ok(boxes.every((b) => b.y1 < SIZE.height / 3), "top: in the top third");
      if (c.opts.position === "bottom") assert.ok(boxes.every((b) => b.y0 > SIZE.height / 2), "bottom: in the bottom half");
    }
  });
}
