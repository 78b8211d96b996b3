/**
 * Inputs some APIs take only as http(s) URLs (Luma keyframes, lip-sync
 * audio): put once in the user's store by content digest and sent as its
 * public URL. `put` and `get` are URL templates with {sha256} and {ext}
 * (the extension with its dot). HEAD on the public URL first, so a file is
 * uploaded once however many builds ask. The token goes only to the `put`
 * URL's origin, never to the `get` host nor the vendor.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { OpenAIProviderError, shorten, type Redact } from "../openai/errors.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import { HttpStatusError } from "./fetch.js";

export interface UploadStore {
  readonly put: string;
  readonly get: string;
  readonly token?: string;
}

const fill = (template: string, sha256: string, ext: string) => template.split("{sha256}").join(sha256).split("{ext}").join(ext);

export async function uploadOnce(store: UploadStore, file: string, retry: RetryPolicy, redact: Redact, signal: AbortSignal): Promise<string> {
  const bytes = await readFile(file);
  const sha = createHash("sha256").update(bytes).digest("hex");
  const ext = extname(file).toLowerCase();
  const getUrl = fill(store.get, sha, ext);
  const putUrl = fill(store.put, sha, ext);
  const head = await withRetry("upload.head", retry, signal, async (s) => {
    const res = await fetch(getUrl, { method: "HEAD", signal: s });
    if (res.status >= 500 || res.status === 429) throw new HttpStatusError(res.status, res.headers, res.statusText);
    return res.status;
  });
  if (head >= 200 && head < 300) return getUrl;
  await withRetry("upload.put", retry, signal, async (s) => {
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    if (store.token) headers.authorization = `Bearer ${store.token}`;
    const res = await fetch(putUrl, { method: "PUT", body: bytes, headers, signal: s });
    if (!res.ok) throw new HttpStatusError(res.status, res.headers, redact(shorten(await res.text().catch(() => ""))));
  });
  return getUrl;
}

/** An input that must be a URL, with no store to put it in: fail before anything is paid. */
export function needsUploads(provider: string, what: string): OpenAIProviderError {
  return new OpenAIProviderError({
    kind: "unsupported",
    endpoint: "video.create",
    subject: `providers.${provider}.uploads`,
    message: `this API takes ${what} only as an http(s) URL; set uploads: { put: <URL with {sha256}{ext}>, get: <public URL>, token: \${UPLOAD_TOKEN} } under providers.${provider}`,
  });
}
