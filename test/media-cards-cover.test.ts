/**
 * Title, hook and end cards and the cover: rendered, probed, their text
 * measured on the frame inside the safe area, CJK as distinct glyphs, the
 * same bytes twice; a cover is the shot's frame at the asked time.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import test from "node:test";
import { renderCover } from "../src/media/cover.js";
import { findFonts } from "../src/media/fonts.js";
import { PRESETS } from "../src/media/presets.js";
import { runFfmpeg } from "../src/media/run.js";
import { safeRect } from "../src/media/safe-area.js";
import { placeBlocks, renderTitleCard, cardBlocks } from "../src/media/title-card.js";
import { digest, frameAt, must, probed, rowDiff, run, scratch } from "./media-helpers.js";

const SIZE = { width: 360, height: 640 };
const FPS = 12;
const AREA = PRESETS.douyin.safeArea;
let dir: string;
let shot: string;

test.before(async () => {
  dir = await scratch("cards");
  // A shot whose picture changes every second: a solid colour per second (red, green, blue).
  shot = join(dir, "shot.mp4");
  must(
    await runFfmpeg(
      [
        "-f", "lavfi", "-i", "color=c=red:s=180x320:r=12:d=1",
        "-f", "lavfi", "-i", "color=c=green:s=180x320:r=12:d=1",
        "-f", "lavfi", "-i", "color=c=blue:s=180x320:r=12:d=1",
        "-filter_complex", "[0:v][1:v][2:v]concat=n=3:v=1[v]", "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", shot,
      ],
      run,
    ),
  );
});

/** The box of bright (text) pixels in rows [y0, y1): the card's background is dark, text white or gold. */
function textBox(rgb: Uint8Array, size = SIZE) {
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, pixels: 0 };
  for (let y = 0; y < size.height; y++)
    for (let x = 0; x < size.width; x++) {
      const i = (y * size.width + x) * 3;
      if (rgb[i]! + rgb[i + 1]! + rgb[i + 2]! > 300) {
        b.pixels++;
        b.x0 = Math.min(b.x0, x);
        b.x1 = Math.max(b.x1, x + 1);
        b.y0 = Math.min(b.y0, y);
        b.y1 = Math.max(b.y1, y + 1);
      }
    }
  return b;
}

test("a title card: a clip like a cut (H.264 + mono AAC, exact length, preset size), its text inside the safe area, same bytes twice", async () => {
  const input = {
    kind: "title" as const,
    series: "Grandpa's New Year",
    title: "Episode 2: The Long Way Round Through Three Provinces",
    hook: "He has never been on a train.",
    seconds: 2,
    size: SIZE,
    fps: FPS,
    safeArea: AREA,
  };
  const out = join(dir, "title.mp4");
  must(await renderTitleCard(input, out, run));
  const info = await probed(out);
  assert.equal(info.video?.codec, "h264");
  assert.deepEqual([info.video?.width, info.video?.height, info.video?.fps], [360, 640, FPS]);
  assert.equal(info.audio?.channels, 1);
  assert.equal(info.video?.frames, 24);
  const rgb = await frameAt(out, 1, join(dir, "title.rgb"));
  const box = textBox(rgb);
  const r = safeRect(AREA, SIZE);
  assert.ok(box.pixels > 500, `text drawn (${box.pixels} px)`);
  assert.ok(box.x0 >= r.x0 && box.x1 <= r.x1 && box.y0 >= r.y0 && box.y1 <= r.y1, `${JSON.stringify(box)} inside ${JSON.stringify(r)}`);
  const again = join(dir, "title-again.mp4");
  must(await renderTitleCard(input, again, run));
  assert.equal(await digest(again), await digest(out));
  // Every word is laid out: the placed lines hold the whole title (nothing cut to fit).
  const placed = placeBlocks(cardBlocks(input), { size: SIZE, safeArea: AREA });
  assert.equal(placed[1]!.lines.join(" "), input.title);
});

test("a very long title shrinks to fit instead of losing words", () => {
  const title = "The Night the Whole Village Waited at the Station for a Train That Was Nine Hours Late and Nobody Went Home";
  const placed = placeBlocks([{ text: title, size: 8, bold: true }], { size: SIZE, safeArea: AREA });
  assert.equal(placed[0]!.lines.join(" "), title);
  const r = safeRect(AREA, SIZE);
  const h = placed[0]!.lines.length * placed[0]!.fontSize * 1.25;
  assert.ok(h <= r.y1 - r.y0, `${h} fits ${r.y1 - r.y0}`);
  assert.ok(placed[0]!.fontSize < Math.round((640 * 8) / 100), "set smaller than asked");
});

test("CJK cards render as glyphs: two different Chinese titles set different pixels; hook and end cards render", async (t) => {
  if (!findFonts().cjk) return t.skip("no CJK font on this machine");
  const frames: Uint8Array[] = [];
  for (const [i, title] of ["第一集：爷爷的惊喜", "第二集：漫长的回家路"].entries()) {
    const out = join(dir, `zh${i}.mp4`);
    must(await renderTitleCard({ kind: "title", series: "爷爷的新年", title, seconds: 1, size: SIZE, fps: FPS, safeArea: AREA }, out, run));
    frames.push(await frameAt(out, 0.5, join(dir, `zh${i}.rgb`)));
  }
  assert.ok(rowDiff(frames[0]!, frames[1]!, SIZE.width, 0, SIZE.height) > 0.5, "different glyphs, not the same tofu boxes");
  for (const [kind, text] of [["hook", "他从没坐过火车。"], ["end", "下一集：车站"]] as const) {
    const out = join(dir, `${kind}.mp4`);
    must(await renderTitleCard({ kind, hook: text, end: text, seconds: 1, size: SIZE, fps: FPS, safeArea: AREA }, out, run));
    const box = textBox(await frameAt(out, 0.5, join(dir, `${kind}.rgb`)));
    assert.ok(box.pixels > 300, `${kind}: ${box.pixels} px of text`);
  }
});

test("a card over a still background keeps its text readable; an empty card is refused", async () => {
  const still = join(dir, "still.png");
  must(await runFfmpeg(["-f", "lavfi", "-i", "testsrc2=s=180x320", "-frames:v", "1", still], run));
  const out = join(dir, "end.mp4");
  must(await renderTitleCard({ kind: "end", end: "Next: the station", seconds: 1, size: SIZE, fps: FPS, background: still }, out, run));
  assert.equal((await probed(out)).video?.frames, 12);
  const r = await renderTitleCard({ kind: "end", end: "  ", seconds: 1, size: SIZE, fps: FPS }, join(dir, "empty.mp4"), run);
  assert.ok(!r.ok && r.error.kind === "invalid-input");
});

test("a cover is the shot's frame at the asked time, at the delivery size, with the title set on it inside the safe area", async () => {
  const size = { width: 540, height: 960 };
  const bare = join(dir, "bare.png");
  must(await renderCover({ source: shot, at: 1.5, size }, bare, run));
  const info = await probed(bare);
  assert.deepEqual([info.video?.width, info.video?.height], [540, 960]);
  const raw = async (png: string, name: string) => {
    const out = join(dir, name);
    must(await runFfmpeg(["-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", out], run));
    return new Uint8Array(await (await import("node:fs/promises")).readFile(out));
  };
  const px = await raw(bare, "bare.rgb");
  const mid = ((480 * 540 + 270) * 3);
  assert.ok(px[mid + 1]! > 100 && px[mid]! < 60 && px[mid + 2]! < 60, `green at 1.5 s: ${px[mid]},${px[mid + 1]},${px[mid + 2]}`);
  const at2 = await raw((must(await renderCover({ source: shot, at: 2.5, size }, join(dir, "blue.png"), run)), join(dir, "blue.png")), "blue.rgb");
  assert.ok(at2[mid + 2]! > 100 && at2[mid + 1]! < 60, "blue at 2.5 s");
  const titled = join(dir, "titled.png");
  must(await renderCover({ source: shot, at: 1.5, size, title: "爷爷的新年 Grandpa's New Year", series: "Episode 1", safeArea: AREA }, titled, run));
  const tp = await raw(titled, "titled.rgb");
  // The title is what differs from the bare frame; it lies inside the safe area.
  const b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity, n: 0 };
  for (let y = 0; y < 960; y++)
    for (let x = 0; x < 540; x++) {
      const i = (y * 540 + x) * 3;
      if (Math.abs(tp[i]! - px[i]!) + Math.abs(tp[i + 1]! - px[i + 1]!) + Math.abs(tp[i + 2]! - px[i + 2]!) > 30) {
        b.n++;
        b.x0 = Math.min(b.x0, x);
        b.x1 = Math.max(b.x1, x + 1);
        b.y0 = Math.min(b.y0, y);
        b.y1 = Math.max(b.y1, y + 1);
      }
    }
  const r = safeRect(AREA, size);
  assert.ok(b.n > 1000, `title drawn (${b.n} px)`);
  assert.ok(b.x0 >= r.x0 && b.x1 <= r.x1 && b.y0 >= r.y0 && b.y1 <= r.y1, `${JSON.stringify(b)} inside ${JSON.stringify(r)}`);
  assert.ok(b.y1 < 960 / 2, "in the upper half");
  // From a still (a keyframe before shots land).
  const still = join(dir, "key.png");
  must(await runFfmpeg(["-f", "lavfi", "-i", "color=c=red:s=180x320", "-frames:v", "1", still], run));
  must(await renderCover({ source: still, size, title: "T" }, join(dir, "from-still.png"), run));
  const late = await renderCover({ source: shot, at: 9, size }, join(dir, "late.png"), run);
  assert.ok(!late.ok && late.error.kind === "invalid-input" && /past the end/.test(late.error.message));
});
