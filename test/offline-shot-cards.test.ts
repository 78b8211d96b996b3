/**
 * Offline animatic cards per shot size (issue 27) in zones that never overlap
 * (issue 32): measured on rendered PNGs. Each text block and the portraits
 * are drawn alone over the bare background; the pixels that changed are that
 * part's box. No two boxes overlap, none reaches the subtitles' zone, and the
 * size is visible: a close-up's portrait is large, a wide's cast small, an
 * insert draws no portraits and a large action.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { renderCard, type CardSpec } from "../src/media/card.js";
import { runFfmpeg } from "../src/media/run.js";
import { framingOf, keyframeCard, portraitCard } from "../src/providers/offline/cards.js";
import { subtitleZone } from "../src/media/subtitles.js";
import { subtitleSafeArea } from "../src/media/presets.js";
import type { KeyframeRequest } from "../src/providers/types.js";
import type { ShotSize } from "../src/project/schema.js";
import { digest, must, run, scratch } from "./media-helpers.js";

const SIZE = { width: 360, height: 640 };

interface Box {
  readonly what: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

async function pixels(png: string): Promise<Uint8Array> {
  const raw = `${png}.rgb`;
  must(await runFfmpeg(["-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", raw], run));
  return readFile(raw);
}

/** The box of pixels that differ (by more than a little) between two frames, or undefined when none does. */
function changed(a: Uint8Array, b: Uint8Array, what: string): Box | undefined {
  let box: { x0: number; y0: number; x1: number; y1: number } | undefined;
  for (let y = 0; y < SIZE.height; y++) {
    for (let x = 0; x < SIZE.width; x++) {
      const i = (y * SIZE.width + x) * 3;
      if (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) <= 12) continue;
      box = box ? { x0: Math.min(box.x0, x), y0: Math.min(box.y0, y), x1: Math.max(box.x1, x), y1: Math.max(box.y1, y) } : { x0: x, y0: y, x1: x, y1: y };
    }
  }
  return box && { what, ...box };
}

let counter = 0;
async function render(dir: string, spec: CardSpec): Promise<Uint8Array> {
  const out = join(dir, `card-${counter++}.png`);
  must(await renderCard(spec, out, run));
  return pixels(out);
}

/** Every part of a card, measured alone against the bare background. */
async function measure(dir: string, spec: CardSpec): Promise<Box[]> {
  const bare = await render(dir, { ...spec, images: [], texts: [] });
  const boxes: Box[] = [];
  for (const [i, text] of spec.texts.entries()) {
    const box = changed(bare, await render(dir, { ...spec, images: [], texts: [text] }), `text ${i} '${text.text.slice(0, 24)}'`);
    if (box) boxes.push(box);
  }
  if (spec.images?.length) {
    const box = changed(bare, await render(dir, { ...spec, texts: [] }), "portraits");
    if (box) boxes.push(box);
  }
  return boxes;
}

const overlap = (a: Box, b: Box) => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
const area = (b: Box) => (b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1);

let portraits: string[] = [];
async function cast(dir: string): Promise<string[]> {
  if (portraits.length) return portraits;
  const names = ["Grandfather Wang", "Wei", "Aunt Li", "Mr. Lin"];
  portraits = [];
  for (const [i, name] of names.entries()) {
    const file = join(dir, `portrait-${i}.png`);
    must(await renderCard(portraitCard({ castId: `c${i}`, name, look: "a face", style: "", language: "en", size: { width: 240, height: 320 } }), file, run));
    portraits.push(file);
  }
  return portraits;
}

function request(files: string[], over: Partial<KeyframeRequest>, people: number): KeyframeRequest {
  return {
    sceneId: "s",
    setting: "small village kitchen, New Year's Eve, one dim lamp, dumplings on the table",
    action: "He answers a video call; his smile fades.",
    camera: "",
    style: "cinematic",
    language: "en",
    size: SIZE,
    references: files.slice(0, people).map((file, i) => ({ castId: `c${i}`, name: `n${i}`, look: "", file })),
    ...over,
  };
}

const LONG_ACTION =
  "MR. LIN, 50s, in a tailored suit, crosses the ballroom between the tables, nods at the band, takes a glass of champagne from a passing tray and stops in front of the girl who has been watching the door all evening.";

const cases: [name: string, over: Partial<KeyframeRequest>, people: number, size: ShotSize | undefined][] = [
  ["the example's first scene (no shots)", {}, 2, undefined],
  ["an imported ballroom scene with a long action", { setting: "INT. GRAND HOTEL BALLROOM - NIGHT", action: LONG_ACTION }, 3, undefined],
  ["an outline: the beat as the action, the camera noted", { action: "A young nurse discovers the hospital's director has been hiding a patient's identity, and decides to tell the family tonight.", camera: "slow push-in" }, 2, "medium"],
  ["a wide with four in the cast", { action: LONG_ACTION }, 4, "wide"],
  ["a close-up", {}, 2, "close-up"],
  ["an extreme close-up with a long action", { action: LONG_ACTION }, 1, "extreme-close-up"],
  ["an insert", { action: "The old train ticket stub: Beijing, 1987, seat 42." }, 2, "insert"],
  ["a Chinese close-up", { setting: "茶馆，除夕夜，一盏昏暗的灯", action: "他接起视频电话，笑容渐渐消失，看着桌上没动过的饺子。", language: "zh-CN" }, 1, "close-up"],
];

for (const [name, over, people, size] of cases) {
  test(`keyframe card zones: ${name}${size ? ` (${size})` : ""}: no two parts overlap, none reaches the subtitles`, async () => {
    const dir = await scratch("shot-cards");
    const files = await cast(dir);
    const spec = keyframeCard({ ...request(files, over, people), ...(size ? { shot: { size } } : {}) });
    const boxes = await measure(dir, spec);
    assert.ok(boxes.length >= 2, `only ${boxes.length} parts drawn`);
    // The subtitles' own zone (where the cut burns them), not the card's idea of it.
    const band = subtitleZone(SIZE, { language: over.language ?? "en" });
    for (const b of boxes) {
      assert.ok(b.y1 < band.y0 || b.y0 >= band.y1, `${b.what} spans y=${b.y0}..${b.y1}, into the subtitles' zone (${band.y0}..${band.y1})`);
      assert.ok(b.x0 >= 0 && b.x1 < SIZE.width && b.y0 >= 0, `${b.what} leaves the frame`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(!overlap(boxes[i]!, boxes[j]!), `${boxes[i]!.what} ${JSON.stringify(boxes[i])} overlaps ${boxes[j]!.what} ${JSON.stringify(boxes[j])}`);
      }
    }
  });
}

test("a shot's size is visible: the close-up's portrait is large, the wide's cast small, the insert has no portraits and a larger action", async () => {
  const dir = await scratch("shot-sizes");
  const files = await cast(dir);
  const portraitsOf = async (size: ShotSize, people: number) => {
    const spec = keyframeCard({ ...request(files, {}, people), shot: { size } });
    const boxes = await measure(dir, spec);
    return { spec, portraits: boxes.find((b) => b.what === "portraits") };
  };
  const close = await portraitsOf("close-up", 2);
  const medium = await portraitsOf("medium", 2);
  const wide = await portraitsOf("wide", 2);
  const insert = await portraitsOf("insert", 2);
  const frame = SIZE.width * SIZE.height;
  assert.equal(close.spec.images!.length, 1, "a close-up shows the one in frame");
  // Above the subtitles' safe-area band (from about 51% of the height) a close-up's face has about a third of the frame's height.
  assert.ok(area(close.portraits!) > 0.12 * frame, `close-up portrait covers ${((100 * area(close.portraits!)) / frame).toFixed(1)}% of the frame`);
  const face = medium.spec.images![0]!;
  assert.ok(area(close.portraits!) > 3 * face.width * face.height, "a close-up's face is much larger than one face of a medium's row");
  assert.ok(area(wide.portraits!) < 0.6 * area(medium.portraits!), `a wide's cast is small (${area(wide.portraits!)} px vs ${area(medium.portraits!)} px)`);
  assert.equal(insert.portraits, undefined, "an insert draws no portraits");
  const actionSize = (spec: CardSpec) => spec.texts.find((t) => t.text.startsWith("He answers"))!.size;
  assert.ok(actionSize(insert.spec) > actionSize(medium.spec), "an insert's action is set larger");
  assert.deepEqual(["wide", "full", "medium", "over-the-shoulder", "pov", "close-up", "extreme-close-up", "insert"].map((s) => framingOf(s as ShotSize)), ["wide", "wide", "medium", "medium", "medium", "close", "close", "insert"]);
});

test("shot cards stay byte-deterministic, and a scene without shots draws as before shots (a medium)", async () => {
  const dir = await scratch("shot-cards-bytes");
  const files = await cast(dir);
  for (const size of ["close-up", "wide", "insert"] as const) {
    const spec = keyframeCard({ ...request(files, {}, 2), shot: { size } });
    const a = join(dir, `${size}-a.png`);
    const b = join(dir, `${size}-b.png`);
    must(await renderCard(spec, a, run));
    must(await renderCard(spec, b, run));
    assert.equal(await digest(a), await digest(b), size);
  }
  const plain = keyframeCard(request(files, {}, 2));
  const medium = keyframeCard({ ...request(files, {}, 2), shot: { size: "medium" } });
  assert.deepEqual(plain.images, medium.images);
  assert.deepEqual(plain.texts.filter((t) => !t.text.startsWith("medium")), medium.texts.filter((t) => !t.text.startsWith("medium")));
});

// The project's own subtitles (issue 32): `subtitles: { position: top }` moves them up, and the card's
// text moves out of their way: measured against the zone the cut burns them into with those settings.
const TOP = { position: "top" as const, safeArea: subtitleSafeArea(), style: {}, reading: {}, speakerLabels: true };
for (const [name, over, people, size] of cases) {
  test(`keyframe card zones with subtitles on top: ${name}${size ? ` (${size})` : ""}: no overlap, none in the subtitles`, async () => {
    const dir = await scratch("shot-cards-top");
    const files = await cast(dir);
    const spec = keyframeCard({ ...request(files, { ...over, captions: TOP }, people), ...(size ? { shot: { size } } : {}) });
    const boxes = await measure(dir, spec);
    assert.ok(boxes.length >= 2, `only ${boxes.length} parts drawn`);
    const band = subtitleZone(SIZE, { language: over.language ?? "en", ...TOP });
    assert.ok(band.y1 < SIZE.height / 2, `the top band is ${band.y0}..${band.y1}`);
    for (const b of boxes) {
      assert.ok(b.y1 < band.y0 || b.y0 >= band.y1, `${b.what} spans y=${b.y0}..${b.y1}, into the subtitles' zone (${band.y0}..${band.y1})`);
      assert.ok(b.x0 >= 0 && b.x1 < SIZE.width && b.y0 >= 0 && b.y1 < SIZE.height, `${b.what} leaves the frame`);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(!overlap(boxes[i]!, boxes[j]!), `${boxes[i]!.what} ${JSON.stringify(boxes[i])} overlaps ${boxes[j]!.what} ${JSON.stringify(boxes[j])}`);
      }
    }
  });
}
