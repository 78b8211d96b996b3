/**
 * Portraits (`images.generate`) and keyframes (`images.edit` with the scene's
 * cast portraits or the user's reference pictures uploaded as input images, so
 * faces stay the same from scene to scene). Images always travel as uploads:
 * never a local path or URL the provider would have to reach.
 */
import { readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import { toFile, type Uploadable } from "openai";
import type { ImagesResponse } from "openai/resources/images";
import type { CallContext, KeyframeRequest, PortraitRequest, Size, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { OpenAIProviderError, shorten } from "./errors.js";
import { describeHead, saveBody, writeAtomic } from "./download.js";
import { imageCost } from "./prices.js";
import { RetryableFailure, withRetry } from "./retry.js";

export async function portrait(b: Backend, req: PortraitRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "image", "images.generate");
  const prompt = `Character portrait of ${req.name}: ${req.look}. Head and shoulders, facing the camera, neutral background. Style: ${req.style}.`;
  return generate(b, model, prompt, req.size, ctx);
}

export async function keyframe(b: Backend, req: KeyframeRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "image", "images.edit");
  const who = req.references.map((r, i) => `image ${i + 1} shows ${r.name}`).join("; ");
  const prompt =
    `${req.setting}. ${req.action} Camera: ${req.camera}. Style: ${req.style}.` +
    (who ? ` Keep every person exactly as in the reference images (${who}).` : "");
  // An edit needs at least one input image; a scene without cast is a plain generation.
  if (req.references.length === 0) return generate(b, model, prompt, req.size, ctx);

  const images = await Promise.all(req.references.map((r) => upload(r.file)));
  const res = await withRetry("images.edit", b.retry, ctx.signal, (signal) =>
    b.client.images.edit({ model, prompt, image: images, size: imageSize(model, req.size), n: 1, ...formatParams(model) }, { signal }),
  );
  await saveImage(b, res, "images.edit", ctx);
  return { cost: imageCost(b.prices.price(model), images.length), detail: { model, references: images.length } };
}

async function generate(b: Backend, model: string, prompt: string, size: Size, ctx: CallContext): Promise<Usage> {
  const res = await withRetry("images.generate", b.retry, ctx.signal, (signal) =>
    b.client.images.generate({ model, prompt, size: imageSize(model, size), n: 1, ...formatParams(model) }, { signal }),
  );
  await saveImage(b, res, "images.generate", ctx);
  return { cost: imageCost(b.prices.price(model), 0), detail: { model } };
}

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
  return toFile(await readFile(file), basename(file), { type });
}

/** Write the first image of a response: base64 directly, a URL by downloading it (retried on its own, so a bad download never pays for a second generation). */
async function saveImage(b: Backend, res: ImagesResponse, endpoint: string, ctx: CallContext): Promise<void> {
  const first = res.data?.[0];
  if (first?.b64_json) {
    const bytes = Buffer.from(first.b64_json, "base64");
    checkImage(bytes, endpoint);
    await writeAtomic(ctx.outFile, bytes);
    return;
  }
  if (first?.url) {
    const url = first.url;
    await withRetry(`${endpoint} download`, b.retry, ctx.signal, async (signal) => {
      // A plain fetch: the image host is not the API and must not see our key.
      const got = await fetch(url, { signal }).catch((e: unknown) => {
        // Aborts and timeouts are classified by withRetry from the signals; anything else is the network.
        if (signal.aborted) throw e;
        throw new RetryableFailure({ kind: "network", endpoint: `${endpoint} download`, message: b.redact(String((e as Error).cause ?? e)), attempts: 1 });
      });
      if (!got.ok) {
        const failure = { kind: "http", endpoint: `${endpoint} download`, status: got.status, message: b.redact(shorten(await got.text().catch(() => ""))), attempts: 1 } as const;
        if (got.status === 429 || got.status >= 500) throw new RetryableFailure(failure);
        throw new OpenAIProviderError(failure);
      }
      return saveBody(got, ctx.outFile, `${endpoint} download`, (head) => checkImage(head, endpoint));
    });
    return;
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
