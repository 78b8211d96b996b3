/**
 * Portraits (`images.generate`) and keyframes (`images.edit` with the scene's
 * cast portraits or the user's reference pictures uploaded as input images, so
 * faces stay the same from scene to scene). Images always travel as uploads:
 * never a local path or URL the provider would have to reach.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Uploadable } from "openai";
import { openaiSdk } from "./sdk.js";
import type { ImagesResponse } from "openai/resources/images";
import type { CallContext, KeyframeRequest, PortraitRequest, Size, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { OpenAIProviderError, shorten } from "./errors.js";
import { describeHead, download, writeAtomic } from "./download.js";
import { imageCost } from "./prices.js";
import { reuseKept } from "./kept.js";
import { withRetry } from "./retry.js";
import { verifyDecodes } from "./verify.js";

export async function portrait(b: Backend, req: PortraitRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "image", "images.generate");
  const prompt = `Character portrait of ${req.name}: ${req.look}. Head and shoulders, facing the camera, neutral background. Style: ${req.style}.`;
  return generate(b, model, prompt, req.size, ctx);
}

export async function keyframe(b: Backend, req: KeyframeRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "image", "images.edit");
  // Cast ids, not names: the id is in the keyframe's key, a name is not (renaming someone must not need a new picture).
  const who = req.references.map((r, i) => `image ${i + 1} shows ${r.castId}`).join("; ");
  const scene = `${req.setting}. ${req.action} Camera: ${req.camera}. Style: ${req.style}.`;
  // A later shot of a scene also gets the scene's first keyframe: the same place and light (issue 27).
  const files = [...req.references.map((r) => r.file), ...(req.continuity ? [req.continuity] : [])];
  const place = req.continuity ? ` Image ${files.length} shows this very place: keep its setting and light.` : "";
  const prompt = scene + (who ? ` Keep every person exactly as in the reference images (${who}).` : "") + place;
  // An edit needs at least one input image; a scene without cast is a plain generation.
  if (files.length === 0) return generate(b, model, prompt, req.size, ctx);
  if (await reuseKept(ctx, "picture", "images.edit", (bytes) => checkImage(bytes, "images.edit"))) {
    return { cost: imageCost(b.prices.price(model), files.length), detail: { model, references: files.length, answer: "kept" } };
  }
  if (b.quirks.noImageEdits) return generate(b, model, describedReferences(scene, req), req.size, ctx);

  const images = await Promise.all(files.map((f) => upload(f)));
  const cost = imageCost(b.prices.price(model), images.length);
  try {
    const res = await withRetry(
      "images.edit",
      b.retry,
      ctx.signal,
      async (signal, answered) => {
        const raw = await b.client.images.edit({ model, prompt, image: images, size: imageSize(model, req.size), n: 1, ...formatParams(model) }, { signal }).asResponse();
        answered();
        return saveImage(b, raw, "images.edit", ctx, signal);
      },
      paidAt(cost, ctx),
    );
    return { cost, detail: { model, references: images.length, ...res } };
  } catch (e) {
    const status = missingEndpoint(e);
    if (status === undefined) throw e;
    // Many relays speak only /images/generations. The faces then come from words, not pictures: say so once.
    b.quirks.noImageEdits = true;
    ctx.notice(`${b.name}: /images/edits is not offered (HTTP ${status}); keyframes are generated from the prompt, with the cast described in words instead of reference images`);
    return generate(b, model, describedReferences(scene, req), req.size, ctx);
  }
}

/** 404/405: the endpoint does not exist on this server (a relay), as opposed to a refused request. */
function missingEndpoint(e: unknown): number | undefined {
  return e instanceof OpenAIProviderError && e.failure.kind === "http" && (e.failure.status === 404 || e.failure.status === 405) ? e.failure.status : undefined;
}

/** The keyframe prompt with each reference described by its cast member's look, for a server that cannot take images. */
function describedReferences(scene: string, req: KeyframeRequest): string {
  const people = req.references.map((r) => `${r.castId}: ${r.look}`).join("; ");
  return `${scene} People in the scene, keep them exactly so: ${people}.`;
}

async function generate(b: Backend, model: string, prompt: string, size: Size, ctx: CallContext): Promise<Usage> {
  const cost = imageCost(b.prices.price(model), 0);
  if (await reuseKept(ctx, "picture", "images.generate", (bytes) => checkImage(bytes, "images.generate"))) return { cost, detail: { model, answer: "kept" } };
  const res = await withRetry(
    "images.generate",
    b.retry,
    ctx.signal,
    async (signal, answered) => {
      const raw = await b.client.images.generate({ model, prompt, size: imageSize(model, size), n: 1, ...formatParams(model) }, { signal }).asResponse();
      answered();
      return saveImage(b, raw, "images.generate", ctx, signal);
    },
    paidAt(cost, ctx),
  );
  return { cost, detail: { model, ...res } };
}

const paidAt = (price: number, ctx: CallContext) => ({ price, spent: (usd: number) => ctx.spent(usd) });

/** GPT image models always answer in base64 and take `output_format`; DALL·E needs asking for base64. */
function formatParams(model: string): { output_format?: "png"; response_format?: "b64_json" } {
  if (model.startsWith("gpt-image")) return { output_format: "png" };
  if (model.startsWith("dall-e")) return { response_format: "b64_json" };
  return {};
}

const IMAGE_SIZES: readonly [prefix: string, sizes: readonly string[]][] = [
  ["dall-e-2", ["1024x1024"]],
  ["dall-e-3", ["1024x1024", "1024x1792", "1792x1024"]],
  ["", ["1024x1024", "1024x1536", "1536x1024"]],
];

/** The allowed size whose aspect ratio is closest to the project's; the cut scales to the exact size. */
export function imageSize(model: string, want: Size): string {
  const sizes = IMAGE_SIZES.find(([prefix]) => model.startsWith(prefix))?.[1] ?? ["1024x1024"];
  const aspect = (s: string) => {
    const [w, h] = s.split("x").map(Number);
    return (w ?? 1) / (h ?? 1);
  };
  const target = want.width / want.height;
  return [...sizes].sort((a, b) => Math.abs(aspect(a) - target) - Math.abs(aspect(b) - target))[0]!;
}

const MIME: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

/** A local image as an upload with a name and type the API accepts. */
export async function upload(file: string): Promise<Uploadable> {
  const type = MIME[extname(file).toLowerCase()] ?? "image/png";
  return openaiSdk().toFile(await readFile(file), basename(file), { type });
}

/**
 * Write the first image of an answer: base64 directly, a URL by downloading
 * it (retried on its own, so a bad download never pays for a second
 * generation), then decode it. Runs inside the paid attempt: the answer's
 * body is read under the attempt's signal.
 */
async function saveImage(b: Backend, raw: Response, endpoint: string, ctx: CallContext, signal: AbortSignal): Promise<{ downloaded?: "yes" }> {
  const text = await raw.text();
  let res: ImagesResponse;
  try {
    res = JSON.parse(text) as ImagesResponse;
  } catch {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: "the answer is not JSON", received: b.redact(shorten(text)) });
  }
  const first = res.data?.[0];
  if (first?.b64_json) {
    const bytes = Buffer.from(first.b64_json, "base64");
    checkImage(bytes, endpoint);
    await writeAtomic(ctx.outFile, bytes);
    // Paid and here: kept before anything slower (decoding, storing) can be cut short by a kill.
    await ctx.answer?.keep(ctx.outFile);
    await verifyDecodes(ctx.outFile, "picture", endpoint, signal);
    return {};
  }
  if (first?.url) {
    const url = first.url;
    const where = `${endpoint} download`;
    // Its own retries and timeouts: downloading again is free, generating again is not.
    await withRetry(where, b.retry, ctx.signal, async (signal) => {
      // Image URLs are public links (OpenAI's point to storage): no key, even on the API's own host.
      await download(b, url, ctx.outFile, where, signal, { check: (head) => checkImage(head, endpoint) });
    });
    await ctx.answer?.keep(ctx.outFile);
    await verifyDecodes(ctx.outFile, "picture", where, ctx.signal);
    return { downloaded: "yes" };
  }
  throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: "no image in the response", received: b.redact(shorten(JSON.stringify(res))) });
}

function checkImage(head: Uint8Array, endpoint: string): void {
  const hex = Buffer.from(head.subarray(0, 12)).toString("hex");
  const png = hex.startsWith("89504e470d0a1a0a");
  const jpeg = hex.startsWith("ffd8ff");
  const webp = hex.startsWith("52494646") && hex.slice(16, 24) === "57454250";
  if (!png && !jpeg && !webp) {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint, message: "expected a PNG, JPEG or WebP image", received: describeHead(head) });
  }
}
