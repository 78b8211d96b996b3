/**
 * Timing native dialogue (issue 29): a clip's own sound, transcribed by an
 * OpenAI-compatible `/audio/transcriptions` (`whisper-1`, `verbose_json`,
 * `timestamp_granularities[]=word`, multipart, through the SDK), answers the
 * words that were said with their times. The graph aligns the script's words
 * to them (src/graph/plan/align.ts): subtitles show what was written, timed
 * by what was said.
 *
 * The sound is taken out of the clip first (16 kHz mono WAV): the request
 * carries a few hundred kB, not the picture, and a clip without sound fails
 * here, before anything is paid. Retries as everywhere (429 waits, 5xx
 * backs off); an answer without word times is an error, never an empty
 * transcript cached as if nobody spoke.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { probe } from "../../media/probe.js";
import { runFfmpeg } from "../../media/run.js";
import { describeFailure as describeMediaFailure } from "../../media/failure.js";
import { writeAtomic } from "../http/download.js";
import type { CallContext, Usage } from "../types.js";
import type { ProjectSecrets, ResolvedProvider } from "../../project/project.js";
import { DEFAULT_TRANSCRIBE_MODEL } from "../../project/schema.js";
import type { Backend, OpenAITuning } from "./config.js";
import { priceBook, type PriceBook } from "./prices.js";
import { OpenAIProviderError, shorten } from "./errors.js";
import { withRetry } from "./retry.js";

const ENDPOINT = "audio.transcriptions";

/** The one OpenAI model that answers word timestamps. */
export const WORD_TIMESTAMP_MODEL = "whisper-1";
/** OpenAI's published price for whisper-1: USD 0.006 a minute of audio. */
const USD_PER_MINUTE = 0.006;

export interface TranscribeRequest {
  /** A clip with sound (MP4) or an audio file. */
  readonly audio: string;
  /** BCP-47 (`en`, `zh-CN`): its language subtag is sent as the ISO-639-1 hint. */
  readonly language?: string;
  /** The script's lines, as the prompt Whisper reads for spelling (names) and style. */
  readonly prompt?: string;
}

export interface TranscribedWord {
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

export interface Transcript {
  readonly text: string;
  readonly language?: string;
  readonly duration: number;
  readonly words: readonly TranscribedWord[];
}

/** USD for `seconds` of audio: the project's `prices: { <model>: { per_second } }` (as per_minute), else the published price for whisper-1. */
export function transcribeCost(b: Pick<Backend, "prices">, model: string, seconds: number): number {
  const own = b.prices.price(model).per_minute;
  const perMinute = own ?? (model === WORD_TIMESTAMP_MODEL ? USD_PER_MINUTE : 0);
  return (perMinute * seconds) / 60;
}

/** Writes the transcript as JSON to ctx.outFile and returns it. */
export async function transcribe(b: Backend, model: string, req: TranscribeRequest, ctx: CallContext): Promise<Usage & { readonly transcript: Transcript }> {
  const wav = join(ctx.tmpDir, "sound.wav");
  const seconds = await soundOf(req.audio, wav, ctx.signal);
  const cost = transcribeCost(b, model, seconds);
  const bytes = await readFile(wav);
  // The SDK loads here, at the first call, not with the graph (sdk-errors.ts).
  const { toFile } = await import("openai");
  const language = req.language?.split("-")[0]?.toLowerCase();
  const answer = await withRetry(
    ENDPOINT,
    b.retry,
    ctx.signal,
    async (signal, answered) => {
      const res = await b.client.audio.transcriptions.create(
        {
          file: await toFile(bytes, "sound.wav", { type: "audio/wav" }),
          model,
          response_format: "verbose_json",
          timestamp_granularities: ["word"],
          ...(language ? { language } : {}),
          ...(req.prompt ? { prompt: req.prompt } : {}),
        },
        { signal },
      );
      answered();
      return res as unknown;
    },
    { price: cost, spent: (usd) => ctx.spent(usd) },
  );
  const transcript = readTranscript(answer, seconds);
  if (!transcript) {
    ctx.spent(cost);
    throw new OpenAIProviderError({
      kind: "invalid-output",
      endpoint: ENDPOINT,
      message: `the answer has no word timestamps (words[] with start and end); ${model} must answer verbose_json with timestamp_granularities[]=word (OpenAI: whisper-1)`,
      received: b.redact(shorten(JSON.stringify(answer) ?? String(answer))),
    });
  }
  await writeAtomic(ctx.outFile, `${JSON.stringify(transcript)}\n`);
  return { cost, transcript, detail: { model, words: transcript.words.length, seconds: Math.round(seconds * 1000) / 1000 } };
}

/** The sound as 16 kHz mono WAV (what Whisper works at); its length in seconds. */
async function soundOf(file: string, wav: string, signal: AbortSignal): Promise<number> {
  const info = await probe(file, signal);
  if (!info.ok) throw new OpenAIProviderError({ kind: "invalid-output", endpoint: ENDPOINT, message: "cannot read the clip to transcribe", received: describeMediaFailure(info.error) });
  if (!info.value.audio) {
    throw new OpenAIProviderError({ kind: "unsupported", endpoint: ENDPOINT, subject: "the clip", message: "it has no sound to transcribe (a native-dialogue clip must carry its dialogue)" });
  }
  const r = await runFfmpeg(["-i", file, "-vn", "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", wav], { signal });
  if (!r.ok) throw new OpenAIProviderError({ kind: "invalid-output", endpoint: ENDPOINT, message: "cannot take the sound out of the clip", received: describeMediaFailure(r.error) });
  await stat(wav);
  return info.value.audio.duration ?? info.value.duration;
}

/** verbose_json's words, checked: each a word with a start and an end no earlier than it. */
function readTranscript(body: unknown, seconds: number): Transcript | undefined {
  if (body === null || typeof body !== "object") return undefined;
  const o = body as { text?: unknown; language?: unknown; duration?: unknown; words?: unknown };
  if (!Array.isArray(o.words)) return undefined;
  const words: TranscribedWord[] = [];
  for (const w of o.words as unknown[]) {
    const x = w as { word?: unknown; start?: unknown; end?: unknown };
    if (typeof x.word !== "string" || typeof x.start !== "number" || typeof x.end !== "number" || !(x.end >= x.start) || x.start < 0) return undefined;
    words.push({ word: x.word.trim(), start: x.start, end: x.end });
  }
  // An empty list is an answer (nobody spoke): the aligner reports every line as unsaid.
  const duration = typeof o.duration === "number" ? o.duration : seconds;
  return { text: typeof o.text === "string" ? o.text : words.map((w) => w.word).join(" "), ...(typeof o.language === "string" ? { language: o.language } : {}), duration, words };
}

/** What the graph's `transcribe` op binds: one provider's transcription, priced, with the identity its key hashes. */
export interface Transcriber {
  /** Type, base URL and model: never the key. */
  readonly identity: { readonly type: string; readonly modality: "transcribe"; readonly base_url: string; readonly model: string };
  transcribe(req: TranscribeRequest, ctx: CallContext): Promise<Usage & { readonly transcript: Transcript }>;
  /** USD for `seconds` of clip, before running. */
  estimate(seconds: number): number;
}

/**
 * `use.transcribe`'s provider (an openai-type one; validation refuses
 * others): its transcribe endpoint and key (`endpoints.transcribe` when set),
 * models.transcribe or whisper-1, and a price from `prices: { <model>:
 * { per_second } }` else whisper-1's published one.
 */
export function transcriberFor(config: ResolvedProvider, secrets: ProjectSecrets, tuning: OpenAITuning = {}): Transcriber {
  const model = config.models.transcribe ?? DEFAULT_TRANSCRIBE_MODEL;
  const baseUrl = config.endpoints.transcribe ?? config.base_url ?? "https://api.openai.com/v1";
  const perSecond = config.prices[model]?.per_second;
  const prices: PriceBook = priceBook(perSecond !== undefined ? { [model]: { per_minute: perSecond * 60 } } : {});
  // The backend (and with it the openai SDK) is made at the first transcription, not when a graph binds
  // the service: pricing a plan needs only the prices, and loading the SDK is ~0.1 s of every command.
  let backend: Promise<Backend> | undefined;
  const made = (): Promise<Backend> =>
    (backend ??= import("./config.js").then(({ createBackend }) =>
      createBackend(
        { name: config.name, base_url: baseUrl, models: {}, prices: perSecond !== undefined ? { [model]: { per_minute: perSecond * 60 } } : {}, timeout_seconds: config.timeout_seconds, max_attempts: config.max_attempts },
        secrets.apiKey(config.name, "transcribe") ?? "",
        tuning,
      ),
    ));
  return {
    identity: { type: config.type, modality: "transcribe", base_url: baseUrl, model },
    transcribe: async (req, ctx) => transcribe(await made(), model, req, ctx),
    estimate: (seconds) => transcribeCost({ prices }, model, seconds),
  };
}
