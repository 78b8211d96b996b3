/**
 * The finishing keys of a project (DESIGN §1 "Finishing"): `subtitles:`,
 * `cards:`, `cover:` and `deliver:`. Shapes here (zod, so the JSON schema and
 * the types follow); cross-checks that need the rest of the file (a cover
 * naming a scene that exists, crf or bitrate, unique delivery names) in
 * checkFinishing, as positioned diagnostics like every other check.
 */
import { z } from "zod";
import type { Diagnostic } from "./diagnostic.js";
import type { PathSegment, SourceFile } from "./source.js";
import { diagnosticAt } from "./source.js";
import { didYouMean } from "./suggest.js";

/** The delivery presets' names; their numbers live with the media layer (src/media/presets.ts), which a test keeps in step. */
export const DELIVERY_PRESETS = ["douyin", "kuaishou", "wechat-channels", "tiktok", "shorts", "reels"] as const;

const HEX = /^#[0-9A-Fa-f]{6}$/;
const HEX_ALPHA = /^#[0-9A-Fa-f]{6}([0-9A-Fa-f]{2})?$/;
const BITRATE = /^[1-9][0-9]{0,5}(\.[0-9]+)?[kKmM]$/;
const EVEN_SIZE = /^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$/;
const DELIVERY_NAME = /^[a-z0-9][a-z0-9-]*$/;
/** `scene/<id>` or `scene/<id>/shot/<shot>` (a number from 1 or a shot id). */
export const COVER_SHOT = /^scene\/[a-z0-9][a-z0-9-]*(\/shot\/[a-z0-9][a-z0-9-]*)?$/;

export const subtitleStyleSchema = z
  .strictObject({
    font: z.string().trim().min(1).optional().describe("a font family fontconfig knows (default: the project's, CJK-capable for CJK text)"),
    size: z.number().min(1).max(15).optional().describe("font height in percent of the frame height, 1 to 15 (default 3.6)"),
    color: z.string().regex(HEX, { error: "not a colour #RRGGBB" }).optional().describe("text colour #RRGGBB (default #FFFFFF)"),
    outline: z.number().min(0).max(50).optional().describe("outline thickness in percent of the font size, 0 to 50 (default 7)"),
    box: z
      .union([z.boolean(), z.string().regex(HEX_ALPHA, { error: "not a colour #RRGGBB or #RRGGBBAA" })])
      .optional()
      .describe("a box behind the text: true (translucent black) or its colour #RRGGBB / #RRGGBBAA"),
  })
  .describe("the subtitles' look: { font, size, color, outline, box }");

export const safeAreaSchema = z
  .strictObject({
    top: z.number().min(0).max(0.45).describe("the fraction of the frame the interface covers at the top, 0 to 0.45"),
    bottom: z.number().min(0).max(0.45).describe("the fraction of the frame the interface covers at the bottom, 0 to 0.45"),
    left: z.number().min(0).max(0.45).describe("the fraction of the frame the interface covers at the left, 0 to 0.45"),
    right: z.number().min(0).max(0.45).describe("the fraction of the frame the interface covers at the right, 0 to 0.45"),
  })
  .describe("margins the platform's interface covers, as fractions of the frame: { top, bottom, left, right }, each 0 to 0.45");

export const subtitlesSchema = z
  .strictObject({
    cps: z.number().min(1).max(60).optional().describe("reading speed in characters per second of the project's language (default 17 Latin, 9 CJK)"),
    max_lines: z.int().min(1).max(4).optional().describe("text lines per subtitle, 1 to 4 (default 2)"),
    max_chars: z.int().min(4).max(100).optional().describe("characters per subtitle line in the project's language (default 42 Latin, 16 CJK)"),
    position: z.enum(["safe", "top", "bottom"]).optional().describe("safe (default: inside the safe area), top or bottom"),
    safe_area: z
      .union([z.enum(DELIVERY_PRESETS), safeAreaSchema])
      .optional()
      .describe(`the safe area for position: safe: a preset (${DELIVERY_PRESETS.join(", ")}) or { top, bottom, left, right } (default: inside every preset's)`),
    style: subtitleStyleSchema.optional(),
    burn: z.boolean().optional().describe("true (default): burned into the picture; false: soft subtitles only (an SRT beside the MP4 and a track inside it)"),
    speaker: z.boolean().optional().describe("show the speaker's name above each subtitle (default true)"),
  })
  .describe("subtitles: { cps, max_lines, max_chars, position, safe_area, style, burn, speaker }");

const cardSeconds = z.number().min(0.5).max(10).describe("seconds on screen, 0.5 to 10");

export const cardsSchema = z
  .strictObject({
    title: z
      .union([z.boolean(), z.strictObject({ seconds: cardSeconds.optional() })])
      .optional()
      .describe("a title card (series and episode title) first: true, or { seconds } (default 2)"),
    hook: z
      .union([z.string().trim().min(1), z.strictObject({ text: z.string().trim().min(1), seconds: cardSeconds.optional() })])
      .optional()
      .describe('a hook line in the first seconds: "text", or { text, seconds } (default 2.5)'),
    end: z
      .union([z.string().trim().min(1), z.strictObject({ text: z.string().trim().min(1), seconds: cardSeconds.optional() })])
      .optional()
      .describe('an end card: "Next: ...", or { text, seconds } (default 2.5)'),
    take: z
      .partialRecord(z.enum(["title", "hook", "end"]), z.int().min(1))
      .optional()
      .describe("which take of each card to use (dramake retake card/title writes it): { title: 2 }"),
  })
  .describe('cards: { title: true, hook: "...", end: "Next: ..." }');

export const coverSchema = z
  .strictObject({
    shot: z
      .string()
      .regex(COVER_SHOT, { error: "not a scene or shot" })
      .describe("the frame's shot: scene/<id>/shot/<n> (or scene/<id> for its first shot)"),
    at: z.number().min(0).max(600).optional().describe("seconds into the shot (default 0)"),
    title: z.boolean().optional().describe("set the title on the cover (default true)"),
  })
  .describe("cover: { shot: scene/the-door/shot/2, at: 1.5, title: true }");

export const customDeliverySchema = z
  .strictObject({
    name: z.string().regex(DELIVERY_NAME, { error: "not a name" }).describe("names the file build/<slug>.<name>.mp4: lowercase letters, digits and '-'"),
    like: z.enum(DELIVERY_PRESETS).optional().describe("a preset whose numbers fill in what is not given (default douyin)"),
    size: z.string().regex(EVEN_SIZE, { error: "not a size" }).optional().describe("WxH in pixels, even numbers, e.g. 1080x1920"),
    fps: z.int().min(1).max(60).optional().describe("frames per second, 1 to 60"),
    crf: z.int().min(0).max(51).optional().describe("x264 constant quality, 0 to 51 (lower is better; presets use 18)"),
    bitrate: z.string().regex(BITRATE, { error: "not a bitrate" }).optional().describe("a video bitrate such as 8M or 6000k (instead of crf)"),
    loudness: z.number().min(-40).max(-5).optional().describe("integrated loudness target in LUFS, -40 to -5 (presets use -14)"),
    true_peak: z.number().min(-9).max(0).optional().describe("true-peak ceiling in dBTP, -9 to 0 (presets use -1)"),
    max_seconds: z.number().positive().optional().describe("the longest episode the platform takes, seconds"),
    safe_area: safeAreaSchema.optional(),
  })
  .describe("a custom delivery: { name, like, size, fps, crf | bitrate, loudness, true_peak, max_seconds, safe_area }");

export const deliverSchema = z
  .array(z.union([z.enum(DELIVERY_PRESETS, { error: `not a delivery preset` }), customDeliverySchema]))
  .min(1)
  .describe(`delivery targets: presets (${DELIVERY_PRESETS.join(", ")}) or custom { name, size, fps, ... }`);

export type SubtitlesConfig = z.output<typeof subtitlesSchema>;
export type CardsConfig = z.output<typeof cardsSchema>;
export type CoverConfig = z.output<typeof coverSchema>;
export type DeliverConfig = z.output<typeof deliverSchema>;
export type CustomDelivery = z.output<typeof customDeliverySchema>;

/** Card durations when the file gives none. */
export const CARD_SECONDS = { title: 2, hook: 2.5, end: 2.5 } as const;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

/** The name a delivery's step and file use: the preset's, or a custom one's `name`. */
export function deliveryName(d: DeliverConfig[number]): string {
  return typeof d === "string" ? d : d.name;
}

/**
 * A series' `cover:` is every episode's that has none of its own; an episode
 * without the scene it names would get no cover, silently. Named nowhere:
 * an error at the cover's shot; missing in some episodes: one warning there
 * naming them (they build without a cover). `episodes`: validated, includes
 * resolved.
 */
export function checkSeriesCover(src: SourceFile, data: unknown, episodes: readonly { readonly id: string; readonly scenes: readonly { readonly id: string }[]; readonly cover?: unknown }[]): Diagnostic[] {
  if (!isObj(data) || !isObj(data.cover) || typeof data.cover.shot !== "string" || !COVER_SHOT.test(data.cover.shot)) return [];
  const scene = data.cover.shot.split("/")[1]!;
  const using = episodes.filter((e) => e.cover === undefined);
  const without = using.filter((e) => !e.scenes.some((s) => s.id === scene));
  if (without.length === 0) return [];
  const all = [...new Set(episodes.flatMap((e) => e.scenes.map((s) => s.id)))];
  const anywhere = episodes.some((e) => e.scenes.some((s) => s.id === scene));
  const names = without.map((e) => e.id);
  return [
    diagnosticAt(src, ["cover", "shot"], "value", {
      code: "unknown-scene",
      ...(anywhere
        ? {
            severity: "warning" as const,
            message: `the cover names scene '${scene}', which episode${names.length === 1 ? "" : "s"} ${names.join(", ")} ${names.length === 1 ? "does" : "do"} not have: ${names.length === 1 ? "it gets" : "they get"} no cover`,
            allowed: `a scene every episode has, or a cover: of the episode's own`,
          }
        : {
            message: `the cover names scene '${scene}', which no episode has${didYouMean(scene, all)}`,
            allowed: `scene/<id> or scene/<id>/shot/<n> with a scene id of an episode: ${all.join(", ") || "(none)"}`,
          }),
    }),
  ];
}

/**
 * Cross-checks of the finishing keys: the cover's scene exists (in `scenes`,
 * or the episode's), a custom delivery has crf or bitrate but not both, and
 * no two deliveries write the same file. Reads raw data; zod reports shapes.
 */
export function checkFinishing(src: SourceFile, data: unknown): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!isObj(data)) return out;
  const checkCover = (holder: Obj, at: PathSegment[]) => {
    const cover = holder.cover;
    if (!isObj(cover) || typeof cover.shot !== "string" || !COVER_SHOT.test(cover.shot) || !Array.isArray(holder.scenes)) return;
    const ids = holder.scenes.flatMap((s) => (isObj(s) && typeof s.id === "string" ? [s.id] : []));
    const scene = cover.shot.split("/")[1]!;
    if (!ids.includes(scene)) {
      out.push(
        diagnosticAt(src, [...at, "cover", "shot"], "value", {
          code: "unknown-scene",
          message: `the cover names scene '${scene}', which is not in the ${at.length ? "episode" : "file"}${didYouMean(scene, ids)}`,
          allowed: `scene/<id> or scene/<id>/shot/<n> with a scene id: ${ids.join(", ") || "(none)"}`,
        }),
      );
    }
  };
  checkCover(data, []);
  if (Array.isArray(data.episodes)) data.episodes.forEach((e, i) => isObj(e) && checkCover(e, ["episodes", i]));
  if (Array.isArray(data.deliver)) {
    const seen = new Set<string>();
    data.deliver.forEach((d: unknown, i: number) => {
      const name = typeof d === "string" ? d : isObj(d) && typeof d.name === "string" ? d.name : undefined;
      if (isObj(d) && d.crf !== undefined && d.bitrate !== undefined) {
        out.push(
          diagnosticAt(src, ["deliver", i, "bitrate"], "key", {
            code: "conflicting-keys",
            message: "'bitrate' cannot be combined with 'crf'",
            allowed: "either crf (constant quality) or bitrate, not both",
          }),
        );
      }
      if (name === undefined) return;
      if (seen.has(name)) {
        out.push(
          diagnosticAt(src, typeof d === "string" ? ["deliver", i] : ["deliver", i, "name"], "value", {
            code: "duplicate-delivery",
            message: `'${name}' is delivered twice (both would write build/<slug>.${name}.mp4)`,
            allowed: "each preset once; give a custom delivery its own name",
          }),
        );
      }
      seen.add(name);
    });
  }
  return out;
}
