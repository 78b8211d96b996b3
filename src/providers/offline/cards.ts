/**
 * Layouts of the offline portrait and keyframe cards at any 9:16 size: font
 * sizes and positions are fractions of the frame, with floors so a 180x320
 * test card still draws legible pixels. Text stays inside the middle 80% of
 * the width because clips pan and zoom over the keyframe.
 */
import type { CardImage, CardSpec, CardText } from "../../media/card.js";
import { wrapText } from "../../media/text-layout.js";
import { subtitleZone } from "../../media/subtitles.js";
import type { ShotSize } from "../../project/schema.js";
import type { CaptionPlacement, KeyframeRequest, PortraitRequest, Size } from "../types.js";
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

/** The shot a keyframe is for (issue 27): its size decides the card's framing. */
export interface KeyframeShot {
  readonly size: ShotSize;
}

export type Framing = "wide" | "medium" | "close" | "insert";

/** How a shot size is drawn on the animatic card; a scene without shots is a medium (its cast side by side). */
export function framingOf(size: ShotSize | undefined): Framing {
  switch (size) {
    case "wide":
    case "full":
      return "wide";
    case "close-up":
    case "extreme-close-up":
      return "close";
    case "insert":
      return "insert";
    default:
      return "medium";
  }
}

/** A band of the frame, as fractions of its height: [top, bottom). */
export type Zone = readonly [number, number];

/**
 * Where each part of a keyframe card may draw, per framing (fractions of the
 * height), as laid out for a frame whose subtitles sit at the bottom: setting
 * and cast above, the action below them (an insert has no cast: its action
 * fills the middle).
 */
const LAYOUT: Readonly<Record<Framing, { readonly setting: Zone; readonly cast?: Zone; readonly action: Zone }>> = {
  wide: { setting: [0.125, 0.3], cast: [0.4, 0.52], action: [0.54, 0.66] },
  medium: { setting: [0.125, 0.25], cast: [0.27, 0.52], action: [0.54, 0.66] },
  close: { setting: [0.125, 0.175], cast: [0.19, 0.6], action: [0.62, 0.66] },
  insert: { setting: [0.125, 0.175], action: [0.2, 0.66] },
};

/**
 * The band the cut burns subtitles into (media/subtitles.ts's own zone for the
 * default placement: inside every platform's safe area, so about 51-65% of the
 * height), which no part of a card may reach.
 */
export function subtitleBand(size: Size, language: string, captions?: CaptionPlacement): Zone {
  const z = subtitleZone(size, { language, ...captions });
  return [z.y0 / size.height, z.y1 / size.height];
}

/**
 * The zones of one card: the layout's setting and cast cut off above the
 * subtitle band, and the action (but an insert's) in a band just below it,
 * ending where a push-in (1.18x about the centre) still keeps it in frame.
 * The zones never overlap each other or the subtitles.
 */
export function keyframeZones(framing: Framing, band: Zone): { readonly setting: Zone; readonly cast?: Zone; readonly action: Zone } {
  const z = LAYOUT[framing];
  // Subtitles moved to the upper half (`position: top`): the whole layout moves down below them, the action
  // kept above 90% of the height (a push-in's edge).
  if (isHigh(band)) {
    const shift = Math.max(0, band[1] + 0.01 - z.setting[0]);
    const down = (zone: Zone): Zone => [Math.min(0.9, zone[0] + shift), Math.min(0.9, zone[1] + shift)];
    return { setting: down(z.setting), ...(z.cast ? { cast: down(z.cast) } : {}), action: down([z.action[0], z.action[0] + (z.action[1] - z.action[0]) * 2.5]) };
  }
  const above = band[0] - 0.01;
  const fit = (zone: Zone): Zone => [Math.min(zone[0], above - 0.02), Math.min(zone[1], above)];
  const action: Zone = framing === "insert" ? fit(z.action) : [band[1] + 0.01, Math.min(0.9, band[1] + 0.01 + (z.action[1] - z.action[0]) * 2.5)];
  return { setting: fit(z.setting), ...(z.cast ? { cast: fit(z.cast) } : {}), action };
}

/** A subtitle band in the upper half of the frame. */
const isHigh = (band: Zone) => band[0] + band[1] < 1;

/** A text block that fits `zone` (band padding included): as many lines as fit, at least one. */
function inZone(size: Size, zone: Zone, text: string, fontSize: number, width: number, extra: Partial<CardText> = {}): CardText {
  const H = size.height;
  const step = Math.round(fontSize * 1.3);
  const pad = extra.band ? Math.round(fontSize * 0.4) : 0;
  const room = Math.floor(H * zone[1]) - Math.ceil(H * zone[0]) - 2 * pad;
  const maxLines = Math.max(1, Math.floor(room / step));
  return { text, size: fontSize, y: Math.ceil(H * zone[0]) + pad, width, maxLines, ...extra };
}

export function keyframeCard(req: KeyframeRequest & { readonly shot?: KeyframeShot }, take = 1): CardSpec {
  const { width: W, height: H } = req.size;
  const colours = palette(takeSubject(`scene:${req.setting || req.sceneId}`, take), req.style);
  const framing = framingOf(req.shot?.size);
  const band = subtitleBand(req.size, req.language, req.captions);
  const zones = keyframeZones(framing, band);
  const textWidth = W * 0.8;
  const setting = req.setting || req.sceneId;
  // A close-up or insert keeps the place to one smaller line: the frame belongs to the face or the object.
  const settingSize = framing === "close" || framing === "insert" ? px(req.size, 0.03, 10) : px(req.size, 0.038, 12);
  const texts: CardText[] = [inZone(req.size, zones.setting, setting, settingSize, textWidth), ...takeLabel(req.size, take, colours.accent)];
  // The camera note (and the shot size) goes on top: the bottom third belongs to the subtitles.
  const note = [req.shot?.size, req.camera ? `camera: ${req.camera}` : ""].filter(Boolean).join(" · ");
  if (note) {
    // Subtitles on top take its place: then it goes to the foot of the frame, below the action.
    texts.push({ text: note, size: px(req.size, 0.022, 8), y: Math.round(H * (isHigh(band) ? 0.95 : 0.115)), anchor: "bottom", width: textWidth, maxLines: 1, color: colours.accent });
  }
  const images: CardImage[] = [];
  if (zones.cast && req.references.length > 0) {
    const top = Math.ceil(H * zones.cast[0]);
    const room = Math.floor(H * zones.cast[1]) - top;
    // At thumbnail sizes the subtitles' band can leave the cast no room at all: no portraits then.
    const hasRoom = room >= 8;
    if (hasRoom && framing === "close") {
      // The one in frame (the speaker comes first), large.
      const ref = req.references[0]!;
      const h = Math.min(room, Math.round(W * 0.75 * 4 / 3));
      const w = Math.round(h * 3 / 4);
      images.push({ file: ref.file, x: (W - w) / 2, y: top, width: w, height: h, border: "white@0.8" });
    } else if (hasRoom) {
      // Side by side like a blocking sketch; small in a wide, where the place matters more.
      const refs = req.references.slice(0, framing === "wide" ? 6 : 4);
      const gap = Math.round(W * 0.03);
      const most = framing === "wide" ? W * 0.16 : W * 0.22;
      const thumbW = Math.floor(Math.min(most, (W * 0.8 - gap * (refs.length - 1)) / refs.length, (room * 3) / 4));
      const thumbH = Math.min(room, Math.round((thumbW * 4) / 3));
      const rowW = thumbW * refs.length + gap * (refs.length - 1);
      // A wide's cast stands at the bottom of its zone, small against the place.
      const y = framing === "wide" ? top + room - thumbH : top;
      refs.forEach((ref, i) => images.push({ file: ref.file, x: (W - rowW) / 2 + i * (thumbW + gap), y, width: thumbW, height: thumbH, border: "white@0.8" }));
    }
  }
  if (req.action) {
    const actionSize = framing === "insert" ? px(req.size, 0.042, 12) : px(req.size, 0.032, 10);
    texts.push(inZone(req.size, zones.action, req.action, actionSize, textWidth, { color: "0xf4f4f4", band: "black@0.35" }));
  }
  return { size: req.size, top: colours.top, bottom: colours.bottom, images, texts };
}
