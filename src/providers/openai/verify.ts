/**
 * Every file a provider downloads is decoded before it is handed back: a
 * body cut short with a matching Content-Length, an HTML error page served
 * as 200, or a relay's broken encode would otherwise be stored, locked and
 * reused by every later build. A file that does not decode fails the call,
 * and the file is removed, so nothing is cached and the next build asks again.
 */
import { rm } from "node:fs/promises";
import { checkDecodes, type DecodeKind } from "../../media/decode-check.js";
import { describeFailure } from "../../media/failure.js";
import { OpenAIProviderError, shorten } from "./errors.js";

const WHAT: Record<DecodeKind, string> = { picture: "image", audio: "audio", video: "video" };

export async function verifyDecodes(file: string, kind: DecodeKind, endpoint: string, signal: AbortSignal): Promise<void> {
  const r = await checkDecodes(file, kind, { signal });
  if (r.ok) return;
  // Nothing that looks like a finished output may stay behind.
  await rm(file, { force: true });
  if (r.error.kind === "aborted" || signal.aborted) throw new OpenAIProviderError({ kind: "aborted", endpoint });
  const detail = r.error.kind === "tool-failed" ? r.error.stderrTail : describeFailure(r.error);
  throw new OpenAIProviderError({
    kind: "invalid-output",
    endpoint,
    message: `the downloaded ${WHAT[kind]} does not decode (truncated or not ${WHAT[kind]})`,
    // ffmpeg names the temp file; the user needs its complaint, not our scratch path.
    received: shorten(detail.split(file).join("<download>")),
  });
}
