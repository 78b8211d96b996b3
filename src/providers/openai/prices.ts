/**
 * What each model costs, for `plan`, `budget` and the build summary.
 *
 * The defaults are OpenAI's list prices at the time of writing (late 2025),
 * in USD, for the models DESIGN names. They change, relays and other
 * OpenAI-compatible services charge differently, and image prices depend on
 * quality: every entry is overridable per model under the provider's
 * `prices:` in drama.yaml, field by field. A model with no price anywhere is
 * estimated at 0 (and `priced()` says so), never guessed.
 */
import { z } from "zod";
import type { ClipRequest, KeyframeRequest, LinesRequest, Modality, MusicRequest, PolishRequest, PortraitRequest, PremisesRequest, ScriptRequest, SpeechRequest } from "../types.js";
import { mapVideo } from "./video-limits.js";

export const priceSchema = z
  .object({
    /** USD per million input (prompt) tokens. */
    input_per_mtok: z.number().nonnegative(),
    /** USD per million output (completion) tokens. */
    output_per_mtok: z.number().nonnegative(),
    /** USD per generated image. */
    per_image: z.number().nonnegative(),
    /** USD per input image sent to an edit (reference portraits). */
    per_input_image: z.number().nonnegative(),
    /** USD per minute of generated speech. */
    per_minute: z.number().nonnegative(),
    /** USD per 1000 characters of speech input (how tts-1 and many relays bill). */
    per_1k_chars: z.number().nonnegative(),
    /** USD per second of generated video at 720p. */
    per_second: z.number().nonnegative(),
    /** USD per second of generated video above 720p (e.g. sora-2-pro 1024x1792). */
    per_second_large: z.number().nonnegative(),
  })
  .partial()
  .strict();
export type Price = z.infer<typeof priceSchema>;

export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  "gpt-4.1-mini": { input_per_mtok: 0.4, output_per_mtok: 1.6 },
  "gpt-4.1": { input_per_mtok: 2.0, output_per_mtok: 8.0 },
  // Medium quality, 1024x1536 (our portrait and keyframe size). An input
  // image costs about 1.5k image tokens at $10 per million.
  "gpt-image-1": { per_image: 0.063, per_input_image: 0.015 },
  // OpenAI's own estimate for gpt-4o-mini-tts is $0.015 per minute of audio.
  "gpt-4o-mini-tts": { input_per_mtok: 0.6, per_minute: 0.015 },
  "sora-2": { per_second: 0.1 },
  "sora-2-pro": { per_second: 0.3, per_second_large: 0.5 },
};

/** Rough sizes behind the estimates; actual cost replaces them where the API reports usage. */
const CHARS_PER_TOKEN = 4;
const PROMPT_OVERHEAD_TOKENS = 300;
const LINES_OUTPUT_TOKENS = 400;
const SPOKEN_CHARS_PER_SECOND = 15;
/** The script prompt's instructions and JSON schema, and the JSON a scene takes besides its lines. */
const SCRIPT_PROMPT_TOKENS = 600;
const SCRIPT_SCENE_OVERHEAD_TOKENS = 120;
/** A title and a premise of a sentence or two, in JSON. */
const PREMISE_OUTPUT_TOKENS = 80;

export interface PriceBook {
  /** The merged price of a model: defaults, then the project's overrides. */
  price(model: string): Price;
  /** Whether anything at all is known about this model's price. */
  priced(model: string): boolean;
}

export function priceBook(overrides: Readonly<Record<string, Price>> = {}): PriceBook {
  // A dated snapshot (gpt-4.1-2025-04-14) costs what its family does, unless priced itself.
  const price = (model: string): Price => ({ ...(DEFAULT_PRICES[model] ?? DEFAULT_PRICES[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")] ?? {}), ...(overrides[model] ?? {}) });
  return { price, priced: (model) => Object.keys(price(model)).length > 0 };
}

export interface Models {
  readonly text?: string | undefined;
  readonly image?: string | undefined;
  readonly speech?: string | undefined;
  readonly video?: string | undefined;
  readonly music?: string | undefined;
  readonly polish?: string | undefined;
}

/** USD of a chat call from its token counts. */
export function tokenCost(p: Price, inputTokens: number, outputTokens: number): number {
  return (inputTokens * (p.input_per_mtok ?? 0) + outputTokens * (p.output_per_mtok ?? 0)) / 1e6;
}

export function speechCost(p: Price, text: string): number {
  const minutes = text.length / SPOKEN_CHARS_PER_SECOND / 60;
  return (text.length / 1000) * (p.per_1k_chars ?? 0) + minutes * (p.per_minute ?? 0) + tokenCost(p, Math.ceil(text.length / CHARS_PER_TOKEN), 0);
}

export function videoCost(p: Price, seconds: number, size: { width: number; height: number }): number {
  const large = size.width * size.height > 720 * 1280;
  const perSecond = large ? (p.per_second_large ?? p.per_second ?? 0) : (p.per_second ?? 0);
  return seconds * perSecond;
}

/** Music is priced like video, per second made (`per_second` in drama.yaml's prices). */
export function musicCost(p: Price, seconds: number): number {
  return seconds * (p.per_second ?? 0);
}

export function imageCost(p: Price, inputImages: number): number {
  return (p.per_image ?? 0) + inputImages * (p.per_input_image ?? 0);
}

const tokensOf = (...texts: readonly (string | undefined)[]): number =>
  Math.ceil(texts.reduce((n, t) => n + (t?.length ?? 0), 0) / CHARS_PER_TOKEN) + PROMPT_OVERHEAD_TOKENS;

/**
 * The price of one call before making it. `req` is the request the provider
 * method would get for that modality (`text` accepts a LinesRequest, or a
 * PolishRequest when it has `lines`).
 */
export function estimate(book: PriceBook, models: Models, modality: Modality, req: unknown): number {
  switch (modality) {
    case "text": {
      if (isScript(req)) {
        if (!models.text) return 0;
        const castText = req.cast.map((c) => `${c.id} ${c.name} ${c.look}`).join(" ");
        // The JSON around each scene (keys, setting, action, camera, beat) costs about as much as its dialogue again.
        const output = req.scenes * Math.ceil(req.wordsPerScene * 1.5 + SCRIPT_SCENE_OVERHEAD_TOKENS);
        return tokenCost(book.price(models.text), tokensOf(req.theme, req.before, req.beatsSoFar?.join(" "), castText) + SCRIPT_PROMPT_TOKENS, output);
      }
      if (isPremises(req)) {
        if (!models.text) return 0;
        return tokenCost(book.price(models.text), tokensOf(req.theme, ...req.earlier) + SCRIPT_PROMPT_TOKENS, req.episodes * PREMISE_OUTPUT_TOKENS);
      }
      if (isPolish(req)) {
        if (!models.polish) return 0;
        const linesText = JSON.stringify(req.lines);
        return tokenCost(book.price(models.polish), tokensOf(req.theme, req.beat, linesText), Math.ceil((linesText.length * 1.2) / CHARS_PER_TOKEN));
      }
      if (!models.text) return 0;
      const r = req as LinesRequest;
      const castText = r.cast.map((c) => `${c.name} ${c.look} ${c.voiceStyle ?? ""}`).join(" ");
      return tokenCost(book.price(models.text), tokensOf(r.theme, r.beat, r.setting, r.previousBeat, r.nextBeat, castText), LINES_OUTPUT_TOKENS);
    }
    case "image": {
      if (!models.image) return 0;
      const r = req as PortraitRequest | KeyframeRequest;
      return imageCost(book.price(models.image), "references" in r ? r.references.length + (r.continuity ? 1 : 0) : 0);
    }
    case "speech":
      return models.speech ? speechCost(book.price(models.speech), (req as SpeechRequest).text) : 0;
    case "video": {
      if (!models.video) return 0;
      const r = req as ClipRequest;
      const mapped = mapVideo(models.video, r);
      // An unmappable request fails before any spending; price it as asked so plan still shows a number.
      return mapped.ok ? videoCost(book.price(models.video), mapped.value.seconds, mapped.value.size) : videoCost(book.price(models.video), r.seconds, r.size);
    }
    case "music":
      return models.music ? musicCost(book.price(models.music), Math.ceil((req as MusicRequest).seconds)) : 0;
  }
}

function isPremises(req: unknown): req is PremisesRequest {
  return typeof req === "object" && req !== null && Array.isArray((req as { earlier?: unknown }).earlier) && typeof (req as { first?: unknown }).first === "number";
}

function isScript(req: unknown): req is ScriptRequest {
  return typeof req === "object" && req !== null && typeof (req as { secondsPerScene?: unknown }).secondsPerScene === "number";
}

/** drama.yaml's price field(s) for a modality, as a user writes them. */
const UNIT: Record<Modality, string> = {
  text: "per_1m_input_tokens: <USD>, per_1m_output_tokens: <USD>",
  image: "per_image: <USD>",
  speech: "per_1k_chars: <USD>",
  video: "per_second: <USD>",
  music: "per_second: <USD>",
};

/** How to price the model a call would use, when nothing is known of its price. */
export function unpricedHint(book: PriceBook, models: Models, modality: Modality, req: unknown, provider: string): string | undefined {
  const model = modality === "text" && isPolish(req) ? models.polish : models[modality];
  if (!model || book.priced(model)) return undefined;
  return `set prices: { ${model}: { ${UNIT[modality]} } } under providers.${provider}`;
}

function isPolish(req: unknown): req is PolishRequest {
  return typeof req === "object" && req !== null && Array.isArray((req as { lines?: unknown }).lines);
}
