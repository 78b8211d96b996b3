/**
 * Layouts of the offline portrait and keyframe cards at any 9:16 size: font
 * sizes and positions are fractions of the frame, with floors so a 180x320
 * test card still draws legible pixels. Text stays inside the middle 80% of
 * the width because clips pan and zoom over the keyframe.
 */
import type { CardImage, CardSpec, CardText } from "../../media/card.js";
import { wrapText } from "../../media/text-layout.js";
import type { KeyframeRequest, PortraitRequest, Size } from "../types.js";
import { palette } from "./hash.js";

const px = (size: Size, fraction: number, min: number) => Math.max(min, Math.round(size.height * fraction));

/** Height of a wrapped text block, to stack the next one below it. */
function blockHeight(text: string, size: number, width: number, maxLines: number, leading = 1.3): number {
  return wrapText(text, width / size, maxLines).length * Math.round(size * leading);
}

/** A later take is another draw: other colours, and it says which take it is. */
const takeSubject = (subject: string, take: number) => (take > 1 ? `${subject}#take-${take}` : subject);

function takeLabel(size: Size, take: number, color: string): CardText[] {
  return take > 1 ? [{ text: `take ${take}`, size: px(size, 0.026, 9), y: Math.round(size.height * 0.04), width: size.width * 0.8, maxLines: 1, color }] : [];
}

export function portraitCard(req: PortraitRequest, take = 1): CardSpec {
  const { width: W, height: H } = req.size;
  const colours = palette(takeSubject(`cast:${req.castId}`, take), req.style);
  const textWidth = W * 0.8;
  const nameSize = px(req.size, 0.05, 14);
  const nameY = Math.round(H * 0.56);
  const lookSize = px(req.size, 0.029, 9);
  const lookY = nameY + blockHeight(req.name, nameSize, textWidth, 2) + Math.round(H * 0.015);
  const texts: CardText[] = [
    { text: req.name, size: nameSize, y: nameY, width: textWidth, maxLines: 2 },
    { text: req.look, size: lookSize, y: lookY, width: textWidth, maxLines: 6, color: "0xeeeeee", band: "black@0.25" },
    ...takeLabel(req.size, take, colours.accent),
  ];
  if (req.style) {
    texts.push({ text: req.style, size: px(req.size, 0.021, 8), y: Math.round(H * 0.95), anchor: "bottom", width: textWidth, maxLines: 2, color: colours.accent });
  }
  return {
    size: req.size,
    top: colours.top,
    bottom: colours.bottom,
    figure: { cx: W / 2, headY: H * 0.3, headR: Math.min(W * 0.13, H * 0.075), color: colours.figure },
    texts,
  };
}

export function keyframeCard(req: KeyframeRequest, take = 1): CardSpec {
  const { width: W, height: H } = req.size;
  const colours = palette(takeSubject(`scene:${req.setting || req.sceneId}`, take), req.style);
  const textWidth = W * 0.8;
  const settingSize = px(req.size, 0.038, 12);
  // Below the top 10%: a push-in or pan crops the frame's edges.
  const settingY = Math.round(H * 0.125);
  const texts: CardText[] = [
    { text: req.setting || req.sceneId, size: settingSize, y: settingY, width: textWidth, maxLines: 3 },
    ...takeLabel(req.size, take, colours.accent),
  ];
  // The camera note goes on top: the bottom third belongs to the subtitles.
  if (req.camera) {
    texts.push({ text: `camera: ${req.camera}`, size: px(req.size, 0.022, 8), y: Math.round(H * 0.115), anchor: "bottom", width: textWidth, maxLines: 1, color: colours.accent });
  }
  // The cast, side by side in the middle of the frame, like a blocking sketch.
  const refs = req.references.slice(0, 4);
  const images: CardImage[] = [];
  const rowTop = settingY + blockHeight(req.setting || req.sceneId, settingSize, textWidth, 3) + Math.round(H * 0.03);
  if (refs.length > 0) {
    const gap = Math.round(W * 0.03);
    const thumbW = Math.floor(Math.min(W * 0.3, (W * 0.8 - gap * (refs.length - 1)) / refs.length));
    const thumbH = Math.round(thumbW * 4 / 3);
    const rowW = thumbW * refs.length + gap * (refs.length - 1);
    refs.forEach((ref, i) => {
      images.push({ file: ref.file, x: (W - rowW) / 2 + i * (thumbW + gap), y: rowTop, width: thumbW, height: thumbH, border: "white@0.8" });
    });
  }
  const actionY = Math.max(Math.round(H * 0.58), rowTop + (images[0]?.height ?? 0) + Math.round(H * 0.03));
  if (req.action) {
    texts.push({ text: req.action, size: px(req.size, 0.032, 10), y: actionY, width: textWidth, maxLines: 6, color: "0xf4f4f4", band: "black@0.35" });
  }
  return { size: req.size, top: colours.top, bottom: colours.bottom, images, texts };
}
