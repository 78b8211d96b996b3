/** One voiced line: `audio.speech` with the speaker's voice and style, as WAV. */
import type { CallContext, SpeechRequest, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { OpenAIProviderError } from "./errors.js";
import { describeHead, saveBody } from "./download.js";
import { speechCost } from "./prices.js";
import { reuseKept } from "./kept.js";
import { withRetry } from "./retry.js";
import { verifyDecodes } from "./verify.js";

const ENDPOINT = "audio.speech";
/** Used when a cast member names no voice for this provider; the user hears it and can pick one. */
const FALLBACK_VOICE = "alloy";

export async function speech(b: Backend, req: SpeechRequest, ctx: CallContext): Promise<Usage> {
  const model = modelFor(b, "speech", ENDPOINT);
  const voice = req.speaker.voice ?? FALLBACK_VOICE;
  if (!req.speaker.voice) ctx.notice(`${req.speaker.id} has no voice for this provider; using '${FALLBACK_VOICE}'`);
  // The older tts-1 models reject `instructions`; only send a style where it is understood.
  const instructions = req.speaker.voiceStyle && !model.startsWith("tts-1") ? req.speaker.voiceStyle : undefined;
  const cost = speechCost(b.prices.price(model), req.text);
  if (await reuseKept(ctx, "audio", ENDPOINT, isWav)) return { cost, detail: { model, voice, answer: "kept" } };
  const bytes = await withRetry(
    ENDPOINT,
    b.retry,
    ctx.signal,
    async (signal, answered) => {
      const res = await b.client.audio.speech.create(
        { model, voice, input: req.text, response_format: "wav", ...(instructions ? { instructions } : {}) },
        { signal },
      );
      answered();
      return saveBody(res, ctx.outFile, ENDPOINT, isWav);
    },
    { price: cost, spent: (usd) => ctx.spent(usd) },
  );
  // Paid and here: kept before the decode check and the store, which a kill can cut short.
  await ctx.answer?.keep(ctx.outFile);
  await verifyDecodes(ctx.outFile, "audio", ENDPOINT, ctx.signal).catch((e: unknown) => {
    ctx.spent(cost);
    throw e;
  });
  return { cost, detail: { model, voice, bytes } };
}

function isWav(head: Uint8Array): void {
  if (Buffer.from(head.subarray(0, 4)).toString("latin1") !== "RIFF") {
    throw new OpenAIProviderError({ kind: "invalid-output", endpoint: ENDPOINT, message: "expected a WAV file", received: describeHead(head) });
  }
}
