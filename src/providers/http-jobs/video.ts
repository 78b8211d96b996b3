/**
 * A vendor preset (or a user's own mapping) as a video provider: the clip
 * request is snapped to what the model accepts (capabilities.ts), the job is
 * run by runner.ts, the result downloaded (the credentials only to the
 * provider's own origin, and only when the preset says the download needs
 * them: Veo), checked to decode, and priced.
 *
 * The interface the provider registry binds, one line per preset type:
 *   createJobsVideo(preset, config, secrets, tuning) -> { identity, video(req, ctx), estimate(req), unpriced(req) }
 * where `video` has the shape of Provider.clip.
 */
import { readFile, rm } from "node:fs/promises";
import { extname } from "node:path";
import { jobApiSchema, type JobApi } from "../../project/job-api.js";
import type { CallContext, ClipRequest, NativeDialogue, Usage } from "../types.js";
import { probe } from "../../media/probe.js";
import { dialoguePrompt } from "./dialogue-prompt.js";
import { OpenAIProviderError } from "../openai/errors.js";
import type { OpenAITuning, PollPolicy } from "../openai/config.js";
import { verifyDecodes } from "../openai/verify.js";
import { describeHead, download } from "../http/download.js";
import { withRetry } from "../http/retry.js";
import { needsUploads, uploadOnce, type UploadStore } from "../http/upload.js";
import { authorizer, type Authorizer, type Credentials } from "./auth.js";
import { capabilitiesOf, snapAspect, snapSeconds, type ModelCapabilities } from "./capabilities.js";
import { PRESETS, type Preset, type PresetType } from "./presets/index.js";
import { jobHttp, runJob, type JobHttp } from "./runner.js";
import type { Fill, FillValue } from "./template.js";
import { videoPrompt } from "../video-prompt.js";

/** A model's limits as drama.yaml's `capabilities:` spells them (issue 27). */
export interface DeclaredCapabilities {
  readonly seconds?: readonly number[];
  readonly sizes?: readonly string[];
  readonly native_audio?: boolean;
  readonly references?: number;
}

export interface JobsVideoConfig {
  /** The provider's name in drama.yaml, for messages. */
  readonly name: string;
  readonly base_url?: string;
  /** models.video; the preset's default when absent. */
  readonly model?: string;
  /** USD per second of video, per model (drama.yaml `prices: { <model>: { per_second } }`). */
  readonly prices?: Readonly<Record<string, { readonly per_second?: number }>>;
  readonly capabilities?: Readonly<Record<string, DeclaredCapabilities>>;
  readonly timeout_seconds?: number;
  readonly max_attempts?: number;
  readonly uploads?: Omit<UploadStore, "token">;
}

export interface JobsSecrets extends Credentials {
  readonly uploadToken?: string;
}

export interface JobsVideo {
  /** Hashed into clip keys: type, base URL, model, and the mapping when it is the user's. Never a key. */
  readonly identity: { readonly [k: string]: string | number | boolean | null | object };
  /** Provider.clip's shape: writes ctx.outFile. */
  video(req: ClipRequest, ctx: CallContext): Promise<Usage>;
  /** USD before running (0 when no price is known: see `unpriced`). */
  estimate(req: ClipRequest): number;
  /** How to set a price, when the model has none. */
  unpriced(req: ClipRequest): string | undefined;
  /** The length and aspect a request will carry: what `plan` and the shot splitter should assume. */
  shape(req: ClipRequest): { readonly seconds: number; readonly aspect: string };
  /** The model's allowed clip lengths (table or `capabilities:`), undefined when unknown. */
  lengths(): readonly number[] | undefined;
}

/**
 * `preset` is a built-in type (`kling`) or a Preset object (a user's
 * `video_api:` mapping with its base_url). The mapping is parsed by the same
 * zod schema as drama.yaml's, so defaults apply and a preset that does not
 * validate fails here, at construction, not mid-build.
 */
/** What a preset's clip keys hash: type, base URL, model, and the mapping when it is the user's. Never a key. */
export function jobsIdentity(p: Preset, config: Pick<JobsVideoConfig, "base_url" | "model">, mapping?: JobApi): JobsVideo["identity"] {
  return { type: p.type, base_url: config.base_url ?? p.baseUrl, model: config.model ?? p.defaultModel, ...(mapping ? { video_api: mapping } : {}) };
}

export function createJobsVideo(preset: PresetType | Preset, config: JobsVideoConfig, secrets: JobsSecrets, tuning: OpenAITuning = {}): JobsVideo {
  const p: Preset = typeof preset === "string" ? PRESETS[preset] : preset;
  const api: JobApi = jobApiSchema.parse(p.api);
  const model = config.model ?? p.defaultModel;
  const baseUrl = config.base_url ?? p.baseUrl;
  const auth = authorizer(api.auth, secrets);
  const http = jobHttp(baseUrl, auth, secrets.uploadToken, config, tuning);
  const redact = http.redact;
  const caps = (m: string): ModelCapabilities | undefined => capabilitiesOf(m, declared(config.capabilities?.[m]));
  const price = (m: string): number | undefined => config.prices?.[m]?.per_second ?? caps(m)?.usdPerSecond;
  const shape = (req: ClipRequest) => ({ seconds: snapSeconds(caps(model), req.seconds), aspect: snapAspect(caps(model), req.size.width, req.size.height) });
  const builtIn = typeof preset === "string";

  return {
    identity: jobsIdentity(p, config, builtIn ? undefined : api),
    shape,
    lengths: () => caps(model)?.seconds,
    estimate: (req) => (price(model) ?? 0) * shape(req).seconds,
    unpriced: (req) =>
      price(model) === undefined && shape(req).seconds > 0 ? `set prices: { ${model}: { per_second: <USD> } } under providers.${config.name}` : undefined,
    async video(req, ctx) {
      const { seconds, aspect } = shape(req);
      const usd = (price(model) ?? 0) * seconds;
      const c = caps(model);
      const native = req.dialogue !== undefined && req.dialogue.lines.length > 0;
      // Before paying: a model that makes no sound cannot speak the shot's lines.
      if (native && !c?.nativeAudio) {
        throw new OpenAIProviderError({
          kind: "unsupported",
          endpoint: "video.create",
          subject: `models.video (${model})`,
          message: `this model makes no sound, so it cannot speak a native-dialogue shot; use dialogue: lipsync or voice-over for it, a model with native audio, or declare capabilities: { ${model}: { native_audio: true } } under providers.${config.name} if it has`,
        });
      }
      const image = await imageInput(api, req.keyframe, config, secrets, http, ctx);
      const voices = native ? await voiceInputs(api, req.dialogue!, config, secrets, http, ctx) : {};
      const base = videoPrompt(req);
      const fill: Fill = mapValues(api, {
        model,
        prompt: native ? dialoguePrompt(base, req.dialogue!, p.dialogueForm ?? "says") : base,
        ...voices,
        image: image.value,
        image_mime: image.mime,
        seconds,
        aspect,
        size: `${req.size.width}x${req.size.height}`,
        resolution: `${Math.min(req.size.width, req.size.height)}p`,
        // Voice-over and lipsync shots are voiced by the speech step: ask a model that can make sound not to, where it is a switch.
        // A native shot's sound is its dialogue: ask for it.
        ...(c?.nativeAudio ? { native_audio: native } : {}),
      });
      const job = await runJob(http, { api, key: p.type, endpoint: "video", fill, price: usd, what: "video" }, ctx);
      const bytes = await withRetry("video.download", http.retry, ctx.signal, (signal) =>
        download({ baseUrl, apiKey: "", redact }, job.url, ctx.outFile, "video.download", signal, { keyToOwnOrigin: api.download_auth === true, credentials: () => auth.headers(), check: isVideo }),
      );
      await verifyDecodes(ctx.outFile, "video", "video.download", ctx.signal);
      if (native) await mustHaveSound(ctx, job.id, model, usd);
      ctx.progress(1, "video downloaded");
      // videoId: the vendor's id for this clip (Kling's video_id), which its lip sync takes instead of an upload.
      return { cost: usd, detail: { model, jobId: job.id, seconds, aspect, bytes, resumed: job.resumed ? "yes" : "no", ...(job.resultId !== undefined ? { videoId: job.resultId } : {}) } };
    },
  };
}

function declared(d: DeclaredCapabilities | undefined): Partial<ModelCapabilities> | undefined {
  if (!d) return undefined;
  return {
    ...(d.seconds ? { seconds: [...d.seconds].sort((a, b) => a - b) } : {}),
    ...(d.sizes ? { aspects: d.sizes.map(aspectOfSize) } : {}),
    ...(d.native_audio !== undefined ? { nativeAudio: d.native_audio } : {}),
    ...(d.references !== undefined ? { references: d.references } : {}),
  };
}

function aspectOfSize(size: string): string {
  const m = /^(\d+)x(\d+)$/.exec(size);
  if (!m) return size;
  const w = Number(m[1]);
  const h = Number(m[2]);
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(w, h);
  return `${w / g}:${h / g}`;
}

/** A mapping's `values:` maps (aspect -> 720*1280, true -> "on") applied to the fill. */
function mapValues(api: JobApi, fill: Fill): Fill {
  if (!api.values) return fill;
  const out: Record<string, FillValue | undefined> = { ...fill };
  for (const [name, map] of Object.entries(api.values)) {
    const v = out[name];
    if (v !== undefined && map && Object.hasOwn(map, String(v))) out[name] = map[String(v)];
  }
  return out as Fill;
}

const IMAGE_TYPES: Record<string, string> = { ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp" };

/** The keyframe as the API takes it: a data URL, raw base64 (Kling, Veo), or a URL from the upload store. */
async function imageInput(api: JobApi, file: string, config: JobsVideoConfig, secrets: JobsSecrets, http: JobHttp, ctx: CallContext): Promise<{ value: string; mime: string }> {
  const mime = IMAGE_TYPES[extname(file).toLowerCase()] ?? "image/png";
  const how = api.image ?? "data-url";
  if (how === "url") {
    if (!config.uploads) throw needsUploads(config.name, "the keyframe");
    const store: UploadStore = { ...config.uploads, ...(secrets.uploadToken ? { token: secrets.uploadToken } : {}) };
    return { value: await uploadOnce(store, file, http.retry, http.redact, ctx.signal), mime };
  }
  const b64 = (await readFile(file)).toString("base64");
  return { value: how === "base64" ? b64 : `data:${mime};base64,${b64}`, mime };
}

/**
 * The speakers' voice samples as the API's reference audio (`{voice_a}`..`{voice_c}`
 * in its template), by URL through the upload store, in order of first line.
 * A mapping that names none takes none.
 */
async function voiceInputs(api: JobApi, dialogue: NativeDialogue, config: JobsVideoConfig, secrets: JobsSecrets, http: JobHttp, ctx: CallContext): Promise<Fill> {
  const slots = (["voice_a", "voice_b", "voice_c"] as const).filter((v) => JSON.stringify(api.create.body).includes(`{${v}}`));
  if (slots.length === 0) return {};
  const samples: string[] = [];
  const seen = new Set<string>();
  for (const l of dialogue.lines) {
    if (l.voiceSample === undefined || seen.has(l.castId)) continue;
    seen.add(l.castId);
    samples.push(l.voiceSample);
  }
  if (samples.length === 0) return {};
  if (samples.length > slots.length) ctx.notice(`this API takes ${slots.length} reference voices; the voice samples of the shot's first ${slots.length} speakers are sent`);
  if (!config.uploads) throw needsUploads(config.name, "voice samples");
  const store: UploadStore = { ...config.uploads, ...(secrets.uploadToken ? { token: secrets.uploadToken } : {}) };
  const out: Record<string, string> = {};
  for (const [i, file] of samples.slice(0, slots.length).entries()) out[slots[i]!] = await uploadOnce(store, file, http.retry, http.redact, ctx.signal);
  return out as Fill;
}

/**
 * A native-dialogue clip must carry its dialogue: one without an audio
 * stream is removed (nothing cached; the job is booked as spent) and fails
 * as `no-native-audio`, pointing at lipsync.
 */
async function mustHaveSound(ctx: CallContext, jobId: string, model: string, usd: number): Promise<void> {
  const info = await probe(ctx.outFile, ctx.signal);
  if (info.ok && info.value.audio) return;
  await rm(ctx.outFile, { force: true });
  ctx.spent(usd);
  // Forget the job: resumed, it would download the same silent clip forever; a retry is a new generation.
  await ctx.job.set("");
  throw new OpenAIProviderError({ kind: "no-native-audio", endpoint: "video.download", jobId, model });
}

/** MP4/MOV (`ftyp`) or WebM: an HTML page served as 200 is refused before decoding. */
export function isVideo(head: Uint8Array): void {
  const ftyp = Buffer.from(head.subarray(4, 8)).toString("latin1") === "ftyp";
  const ebml = Buffer.from(head.subarray(0, 4)).toString("hex") === "1a45dfa3";
  if (!ftyp && !ebml) throw new OpenAIProviderError({ kind: "invalid-output", endpoint: "video.download", message: "expected an MP4 or WebM file", received: describeHead(head) });
}


export type { Authorizer };
