/**
 * What each video model accepts, in one table the request builder (and the
 * graph's shot splitter and `plan`) read, so no request is refused for a
 * limit we could have known: a 400 we caused costs a retry and trust.
 * A project's `capabilities:` adds models or overrides fields; `prices:`
 * overrides the price.
 *
 * Sources are the vendors' public API references and price pages, as read
 * for issue 28 (December 2026); each row cites its own. Where a vendor bills
 * by tokens or credits with no published per-second USD price, `usdPerSecond`
 * is absent and a budgeted build asks for `prices:`.
 */

export interface ModelCapabilities {
  /** Clip lengths the model accepts, ascending. */
  readonly seconds: readonly number[];
  /** Output sizes (WxH) or aspect ratios (W:H) it makes; absent means any. */
  readonly aspects?: readonly string[];
  readonly nativeAudio: boolean;
  /** How many reference images a request may carry besides the first frame. */
  readonly references: number;
  /** Whether a last frame can be given as well as the first. */
  readonly firstLastFrame: boolean;
  /** Published USD per second of output, when there is one. */
  readonly usdPerSecond?: number;
  /** Where the figures come from. */
  readonly source: string;
}

const range = (min: number, max: number): number[] => Array.from({ length: max - min + 1 }, (_, i) => min + i);

export const CAPABILITIES: Readonly<Record<string, ModelCapabilities>> = {
  // Volcengine Ark "create video generation task" (docs 82379/1520757): duration 4-15 s for Seedance 2.0,
  // ratio 16:9 4:3 1:1 3:4 9:16 21:9, generate_audio, first/last frame and reference images.
  // Billed by output tokens (no per-second USD price is published).
  "doubao-seedance-2-0-260128": { seconds: range(4, 15), aspects: ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9"], nativeAudio: true, references: 9, firstLastFrame: true, source: "volcengine.com/docs/82379/1520757" },
  // Seedance 1.0 pro: duration 2-12 s, no audio, first/last frame.
  "doubao-seedance-1-0-pro-250528": { seconds: range(2, 12), aspects: ["16:9", "4:3", "1:1", "3:4", "9:16", "21:9"], nativeAudio: false, references: 0, firstLastFrame: true, source: "volcengine.com/docs/82379/1520757" },
  // Kling API reference, image2video: duration "5" or "10"; v2.6 makes sound (sound: on/off); image_tail = last frame.
  // Priced in resource-pack units, not a published USD per second.
  "kling-v2-6": { seconds: [5, 10], nativeAudio: true, references: 0, firstLastFrame: true, source: "app.klingai.com/global/dev/document-api (image2video)" },
  "kling-v2-1": { seconds: [5, 10], nativeAudio: false, references: 0, firstLastFrame: true, source: "app.klingai.com/global/dev/document-api (image2video)" },
  // Gemini API video generation (ai.google.dev/gemini-api/docs/video): durationSeconds 4, 6 or 8; aspectRatio
  // 16:9 or 9:16; audio always generated; up to 3 reference images; lastFrame. Pricing page: $0.40/s (3.1),
  // $0.15/s (3.1 Fast), with audio.
  "veo-3.1-generate-preview": { seconds: [4, 6, 8], aspects: ["16:9", "9:16"], nativeAudio: true, references: 3, firstLastFrame: true, usdPerSecond: 0.4, source: "ai.google.dev/gemini-api/docs/video, /pricing" },
  "veo-3.1-fast-generate-preview": { seconds: [4, 6, 8], aspects: ["16:9", "9:16"], nativeAudio: true, references: 3, firstLastFrame: true, usdPerSecond: 0.15, source: "ai.google.dev/gemini-api/docs/video, /pricing" },
  // MiniMax video_generation: Hailuo-02 makes 6 s or 10 s (10 s at 768P); price page: $0.28 per 6 s at 768P.
  "MiniMax-Hailuo-02": { seconds: [6, 10], nativeAudio: false, references: 0, firstLastFrame: true, usdPerSecond: 0.28 / 6, source: "platform.minimax.io/docs/api-reference/video-generation" },
  // DashScope video-synthesis (Model Studio): wan2.5-i2v-preview takes duration 5 or 10 and can add audio.
  "wan2.5-i2v-preview": { seconds: [5, 10], nativeAudio: true, references: 0, firstLastFrame: false, source: "alibabacloud.com/help/en/model-studio/image-to-video-api-reference" },
  // Runway API image_to_video: gen4_turbo duration 5 or 10, ratio 720:1280 1280:720 ...; 5 credits/s at $0.01 a credit.
  gen4_turbo: { seconds: [5, 10], aspects: ["9:16", "16:9", "1:1", "4:3", "3:4", "21:9"], nativeAudio: false, references: 0, firstLastFrame: true, usdPerSecond: 0.05, source: "docs.dev.runwayml.com/api (image_to_video), /guides/pricing" },
  // Luma Dream Machine API: ray-2 duration "5s" or "9s"; keyframes frame0/frame1 take image URLs.
  "ray-2": { seconds: [5, 9], aspects: ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9", "9:21"], nativeAudio: false, references: 0, firstLastFrame: true, source: "docs.lumalabs.ai/reference (generations)" },
  // fal model page fal-ai/kling-video/v2.5-turbo/pro/image-to-video: duration "5" or "10", $0.35 for 5 s then $0.07 a second.
  "fal-ai/kling-video/v2.5-turbo/pro/image-to-video": { seconds: [5, 10], nativeAudio: false, references: 0, firstLastFrame: true, usdPerSecond: 0.07, source: "fal.ai/models/fal-ai/kling-video/v2.5-turbo/pro/image-to-video/api" },
  // Replicate kwaivgi/kling-v2.1: start_image, duration 5 or 10.
  "kwaivgi/kling-v2.1": { seconds: [5, 10], nativeAudio: false, references: 0, firstLastFrame: true, source: "replicate.com/kwaivgi/kling-v2.1/api" },
};

/** A model's row: the project's own declaration over the table's. */
export function capabilitiesOf(model: string, declared?: Partial<ModelCapabilities>): ModelCapabilities | undefined {
  const known = CAPABILITIES[model];
  if (!known && !declared?.seconds) return undefined;
  return { ...(known ?? { nativeAudio: false, references: 0, firstLastFrame: false, source: "drama.yaml capabilities" }), ...declared } as ModelCapabilities;
}

/**
 * The clip length to ask for: the shortest allowed length at or above the
 * wanted one (the cut trims the rest), or the longest allowed when the
 * scene is longer than any (the graph's shot splitter should have split it).
 * Without a row: whole seconds, as relays take.
 */
export function snapSeconds(caps: ModelCapabilities | undefined, wanted: number): number {
  if (!caps || caps.seconds.length === 0) return Math.ceil(wanted);
  const sorted = [...caps.seconds].sort((a, b) => a - b);
  return sorted.find((s) => s >= wanted - 1e-9) ?? sorted[sorted.length - 1]!;
}

/** The allowed aspect nearest the frame's, when the model has a list (Veo makes 16:9 or 9:16 only). */
export function snapAspect(caps: ModelCapabilities | undefined, width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(width, height);
  const exact = `${width / g}:${height / g}`;
  if (!caps?.aspects || caps.aspects.includes(exact)) return exact;
  const ratio = (a: string) => {
    const [w, h] = a.split(":").map(Number) as [number, number];
    return Math.log(w / h);
  };
  const want = Math.log(width / height);
  return [...caps.aspects].sort((a, b) => Math.abs(ratio(a) - want) - Math.abs(ratio(b) - want))[0]!;
}
