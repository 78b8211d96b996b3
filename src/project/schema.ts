/**
 * drama.yaml, format 1 (DESIGN §1): the one zod schema that is the source of
 * the TypeScript types and of schemas/drama.schema.json.
 *
 * Descriptions double as the "allowed:" line of a diagnostic and as editor
 * hover text, so they say what a value may be, not what the code does with it.
 * Checks that need more than one value (cross references, size vs aspect,
 * files on disk) live in checks.ts, where they can point at the exact node.
 */
import { z } from "zod";
import { jobApiSchema } from "./job-api.js";
import { cardsSchema, coverSchema, deliverSchema, subtitlesSchema } from "./finishing.js";

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
const ID_ALLOWED = "lowercase letters, digits and '-', starting with a letter or digit (e.g. grandpa, the-call)";

export const id = z
  .string()
  .regex(ID_PATTERN, { error: "not a valid id" })
  .describe(`an id: ${ID_ALLOWED}`);

/**
 * `lipsync` and `transcribe` (issue 29) are modalities too: a clip's mouths
 * made to follow a voice, and a native clip's sound turned into timed words.
 */
export const MODALITIES = ["text", "image", "speech", "video", "music", "lipsync", "transcribe"] as const;
export type Modality = (typeof MODALITIES)[number];

/**
 * Video service presets (issue 28): each is data for the one job runner
 * (src/providers/http-jobs/presets/<type>.ts; a test checks the two lists agree).
 */
export const VIDEO_PRESET_TYPES = ["seedance", "kling", "veo", "minimax", "wan", "runway", "luma", "fal", "replicate"] as const;
export type VideoPresetType = (typeof VIDEO_PRESET_TYPES)[number];

/** Provider types this version knows. `offline` is also the name of the built-in provider. */
/** Lip-sync presets (issue 29): `kling` makes video and lip-sync; `sync` (sync.so) lip-sync only. */
export const LIPSYNC_PRESET_TYPES = ["kling", "sync"] as const;
export type LipsyncPresetType = (typeof LIPSYNC_PRESET_TYPES)[number];

export const PROVIDER_TYPES = ["openai", "offline", ...VIDEO_PRESET_TYPES, "sync"] as const;

/** How a shot's lines are heard (issue 29): TTS over the clip, the video model's own voices, or TTS plus a lip-sync job. */
export const DIALOGUE_MODES = ["voice-over", "native", "lipsync"] as const;
export type DialogueMode = (typeof DIALOGUE_MODES)[number];
const dialogueSchema = z
  .enum(DIALOGUE_MODES)
  .describe("how lines are heard: voice-over (TTS over the clip, the default), native (the video model speaks them), lipsync (TTS, then a lip-sync job on the clip)");

/** The transcription model when a provider names none under models.transcribe. */
export const DEFAULT_TRANSCRIBE_MODEL = "whisper-1";
export const OFFLINE = "offline";

const positiveInt = z.int().positive();
const nonEmpty = z.string().trim().min(1);

const concurrencySchema = z
  .strictObject({
    text: positiveInt.optional().describe("parallel text calls, a whole number >= 1"),
    image: positiveInt.optional().describe("parallel image calls, a whole number >= 1"),
    speech: positiveInt.optional().describe("parallel speech calls, a whole number >= 1"),
    video: positiveInt.optional().describe("parallel video jobs, a whole number >= 1"),
    music: positiveInt.optional().describe("parallel music calls, a whole number >= 1"),
    lipsync: positiveInt.optional().describe("parallel lip-sync jobs, a whole number >= 1"),
    transcribe: positiveInt.optional().describe("parallel transcriptions, a whole number >= 1"),
  })
  .describe("parallel calls per modality: text, image, speech, video, music, lipsync, transcribe (whole numbers >= 1)");

/**
 * Models of a `type: openai` provider written without `models:`, so the
 * README's minimal block builds. Music has none: it needs a relay's
 * `music_api` and that relay's model name. Video has none (issue 28):
 * OpenAI's Videos API (sora-2) shuts down on 2026-09-24, so clips come from
 * a video preset (seedance, kling, veo, ...) or a models.video named here.
 */
export const DEFAULT_MODELS = { text: "gpt-4.1-mini", image: "gpt-image-1", speech: "gpt-4o-mini-tts" } as const;

const modelsSchema = z
  .strictObject({
    text: nonEmpty.optional().describe("model for writing lines, e.g. gpt-4.1-mini"),
    image: nonEmpty.optional().describe("model for portraits and keyframes, e.g. gpt-image-1"),
    speech: nonEmpty.optional().describe("model for voices, e.g. gpt-4o-mini-tts"),
    video: nonEmpty.optional().describe("model for clips, e.g. doubao-seedance-2-0-260128, kling-v2-6, veo-3.1-fast-generate-preview"),
    music: nonEmpty.optional().describe("model for music (needs music_api), e.g. suno-v4"),
    polish: nonEmpty.optional().describe("optional model for polishing generated lines"),
    lipsync: nonEmpty.optional().describe("model for lip sync, e.g. lipsync-2 (sync), kling's lip-sync needs none"),
    transcribe: nonEmpty.optional().describe("model for timing native dialogue, e.g. whisper-1 (the default)"),
  })
  .describe("model names per modality: text, image, speech, video, music, polish, lipsync, transcribe (default when models is left out: gpt-4.1-mini, gpt-image-1, gpt-4o-mini-tts; a video preset's own video model)");

const priceSchema = z
  .strictObject({
    per_image: z.number().nonnegative().optional().describe("USD per generated image"),
    per_second: z.number().nonnegative().optional().describe("USD per second of video or audio"),
    per_1k_chars: z.number().nonnegative().optional().describe("USD per 1000 characters of speech input"),
    per_1m_input_tokens: z.number().nonnegative().optional().describe("USD per million input tokens"),
    per_1m_output_tokens: z.number().nonnegative().optional().describe("USD per million output tokens"),
  })
  .describe("prices in USD: per_image, per_second, per_1k_chars, per_1m_input_tokens, per_1m_output_tokens");

/**
 * `${VAR}` is read from the environment only in fields marked
 * `.meta({ interpolate: true })` (and everything below a marked map);
 * `secret: true` as well for keys, which are never stored, hashed or printed.
 * Everywhere else `${...}` is literal text: a title or a line must not pull
 * a user's environment into a video. See schema-walk.ts.
 */
const FROM_ENV = { interpolate: true } as const;
const SECRET_FROM_ENV = { interpolate: true, secret: true } as const;
const SIZE_PATTERN_FOR_CAPS = /^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$/;

/** Checked after `${VAR}` interpolation; the JSON Schema leaves the format out so editors accept `${...}`. */
export const baseUrlSchema = z.url({ protocol: /^https?$/, error: "not an http(s) URL" }).meta(FROM_ENV);

/** `${VAR}` is interpolated in both fields, like the provider's own base_url and api_key. */
const endpointSchema = z
  .strictObject({
    base_url: baseUrlSchema.optional().describe("an http(s) URL for this modality only, e.g. https://video-relay.example/v1"),
    api_key: z
      .string()
      .meta(SECRET_FROM_ENV)
      .optional()
      .describe("the API key for this modality only, normally ${VIDEO_RELAY_KEY}; never stored or printed"),
  })
  .describe("where one modality's requests go: { base_url, api_key } (each defaults to the provider's)");

const endpointsSchema = z
  .strictObject(Object.fromEntries(MODALITIES.map((m) => [m, endpointSchema.optional()])) as Record<Modality, z.ZodOptional<typeof endpointSchema>>)
  .describe("per-modality endpoints: { video: { base_url, api_key }, ... } for text, image, speech, video, music");

/** A model's limits the built-in capability table does not know (issue 27's shape). */
const capabilitiesSchema = z
  .record(
    nonEmpty.describe("a model name, e.g. kling-v2-6"),
    z
      .strictObject({
        seconds: z.array(z.number().positive().max(600)).min(1).optional().describe("clip lengths the model accepts, e.g. [5, 10]"),
        sizes: z.array(z.string().regex(SIZE_PATTERN_FOR_CAPS, { error: "not a size" })).min(1).optional().describe("sizes WxH it makes, e.g. [720x1280]"),
        native_audio: z.boolean().optional().describe("whether it makes sound with the picture: true or false"),
        references: z.int().min(0).max(16).optional().describe("how many reference images it takes, 0 to 16"),
      })
      .describe("{ seconds: [5, 10], sizes: [720x1280], native_audio: false, references: 1 }"),
  )
  .describe("model limits per model name: { <model>: { seconds, sizes, native_audio, references } }");

/** Where inputs an API wants as URLs are put (issue 28): `{sha256}` and `{ext}` (with its dot) in both templates. */
const uploadsSchema = z
  .strictObject({
    put: z.string().includes("{sha256}", { error: "must contain {sha256}" }).meta(FROM_ENV).describe("the upload URL template, e.g. https://store.example/up/{sha256}{ext}"),
    get: z.string().includes("{sha256}", { error: "must contain {sha256}" }).meta(FROM_ENV).describe("the public URL template, e.g. https://cdn.example/{sha256}{ext}"),
    token: z.string().meta(SECRET_FROM_ENV).optional().describe("sent as Authorization: Bearer to the put URL's origin only, normally ${UPLOAD_TOKEN}"),
  })
  .describe("a store for inputs an API takes only as URLs: { put, get, token }");

export const VIDEO_APIS = ["openai", "generations"] as const;
export const MUSIC_APIS = ["generations"] as const;

export const providerSchema = z
  .strictObject({
    type: z.enum(PROVIDER_TYPES).describe(`the backend type: ${PROVIDER_TYPES.join(" or ")}`),
    base_url: baseUrlSchema.optional().describe("an http(s) URL of an OpenAI-compatible API, e.g. https://api.openai.com/v1"),
    api_key: z
      .string()
      .meta(SECRET_FROM_ENV)
      .optional()
      .describe("the API key, normally ${OPENAI_API_KEY}; read from the environment or .env, never stored or printed"),
    concurrency: concurrencySchema.default({}),
    models: modelsSchema.optional(),
    prices: z
      .record(nonEmpty, priceSchema)
      .optional()
      .describe("prices per model name: { <model>: { per_image, per_second, ... } }"),
    timeout_seconds: z.number().positive().max(86_400).optional().describe("seconds before one call gives up, > 0"),
    max_attempts: z.int().min(1).max(20).optional().describe("attempts per call including the first, 1 to 20"),
    video_api: z
      .union([z.enum(VIDEO_APIS), jobApiSchema])
      .optional()
      .describe("how clips are made: openai (POST /videos, the default), generations (a relay's JSON job API), or a job mapping"),
    video_path: z
      .string()
      .regex(/^\/[^\s]*$/, { error: "not a path" })
      .optional()
      .describe("the generations job path under base_url: /videos/generations (default) or e.g. /video/generations"),
    music_api: z
      .union([z.enum(MUSIC_APIS), jobApiSchema])
      .optional()
      .describe("how music is made: generations (POST /audio/generations) or a job mapping; without it the provider makes no music"),
    image_input: z
      .enum(["url", "data-url"])
      .optional()
      .describe("how a generations job gets the keyframe: url (as image_url, the default) or data-url (as image); both carry it inline as a data: URL"),
    endpoints: endpointsSchema.optional(),
    access_key: z.string().meta(SECRET_FROM_ENV).optional().describe("kling: the access key a JWT is signed for, normally ${KLING_ACCESS_KEY}; never stored or printed"),
    secret_key: z.string().meta(SECRET_FROM_ENV).optional().describe("kling: the secret key the JWT is signed with, normally ${KLING_SECRET_KEY}; never stored or printed"),
    capabilities: capabilitiesSchema.optional(),
    uploads: uploadsSchema.optional(),
    lipsync_api: jobApiSchema
      .optional()
      .describe("how lip sync is done by a service without a preset: a job mapping whose body names {video} and {audio} (URLs through uploads) and {model}"),
  })
  .describe("a named backend: { type, base_url, api_key, concurrency, models, prices, video_api, music_api, endpoints, access_key, secret_key, capabilities, uploads, lipsync_api }");

const useSchema = z
  .strictObject(
    Object.fromEntries(
      MODALITIES.map((m) => [m, id.default(OFFLINE).describe(`provider for ${m}: a name under providers, or offline`)]),
    ) as Record<Modality, z.ZodDefault<typeof id>>,
  )
  .describe("which provider makes each modality: text, image, speech, video, music, lipsync, transcribe");

export const voiceSchema = z
  .object({
    style: nonEmpty.optional().describe("how the voice sounds, e.g. warm and slow"),
    sample: nonEmpty
      .meta(FROM_ENV)
      .optional()
      .describe("a project-relative recording of this voice (.mp3, .wav, .m4a, .ogg, .flac) that native video models match"),
  })
  .catchall(nonEmpty.describe("a voice name for that provider, e.g. onyx or en+m3"))
  .describe("voice name per provider, e.g. { cloud: onyx, offline: en+m3, style: warm and slow, sample: refs/grandpa.wav }");

export const castMemberSchema = z
  .strictObject({
    name: nonEmpty.describe("the character's display name"),
    look: nonEmpty.describe("what the character looks like; used in every image of them"),
    voice: voiceSchema.default({}),
    reference: nonEmpty
      .meta(FROM_ENV)
      .optional()
      .describe("a project-relative picture (.png, .jpg, .jpeg, .webp) used instead of a generated portrait"),
    take: positiveInt.optional().describe("which take of the generated portrait to use (see dramake retake), a whole number >= 1"),
  })
  .describe("a cast member: { name, look, voice, reference }");

/** One spoken line: a map with exactly one `speaker: text` pair. */
export const lineSchema = z
  .record(id, z.string().trim().min(1).describe("the spoken text"))
  .check((ctx) => {
    if (Object.keys(ctx.value).length !== 1) {
      ctx.issues.push({ code: "custom", input: ctx.value, message: "a line is exactly one 'speaker: text' pair" });
    }
  })
  .transform((pair) => {
    const [speaker, text] = Object.entries(pair)[0] as [string, string];
    return { speaker, text };
  })
  .describe("one line: 'speaker: text', e.g. - grandpa: Wei? You are not coming home?");

export const STEP_NAME_PATTERN = /^[a-z][a-z0-9-]*(\/[a-z0-9-]+)*$/;

/** Shot sizes (issue 27): how much of the frame the subject fills. */
export const SHOT_SIZES = ["wide", "full", "medium", "close-up", "extreme-close-up", "over-the-shoulder", "insert", "pov"] as const;
export type ShotSize = (typeof SHOT_SIZES)[number];

/**
 * Transitions into a scene or a shot. `fade` and `dissolve` both mix the two
 * pictures (ffmpeg calls it fade, editors a dissolve); `fade-black`/`fade-white`
 * dip through a colour; wipes move an edge, slides push the old picture out.
 */
export const TRANSITIONS = [
  "cut",
  "fade",
  "dissolve",
  "fade-black",
  "fade-white",
  "wipe-left",
  "wipe-right",
  "wipe-up",
  "wipe-down",
  "slide-left",
  "slide-right",
  "slide-up",
  "slide-down",
] as const;
export type Transition = (typeof TRANSITIONS)[number];

const transitionSchema = z.enum(TRANSITIONS).describe(`how the picture changes into this one: ${TRANSITIONS.join(" | ")} (default cut)`);

export const shotSchema = z
  .strictObject({
    id: id.optional().describe("the shot id within its scene (default: its position, 1, 2, 3...); step ids end shot/<id>/..."),
    size: z.enum(SHOT_SIZES).default("medium").describe(`the shot size: ${SHOT_SIZES.join(" | ")} (default medium)`),
    camera: z.string().optional().describe("camera movement of this shot, e.g. slow push-in, static (default: the scene's camera)"),
    on: z.array(id).min(1).optional().describe("cast ids in frame (default: the speakers of its lines, else the scene's cast)"),
    action: z.string().default("").describe("what happens on screen in this shot"),
    lines: z.array(lineSchema).min(1).optional().describe("lines spoken in this shot, each '- speaker: text'"),
    seconds: z.number().min(1).max(60).optional().describe("shot length in seconds, 1 to 60 (default: its lines' speaking time); snapped up to a length the video model allows"),
    transition: transitionSchema.optional(),
    start: z.literal("previous").optional().describe("previous: the clip starts from the previous shot's last frame (one action across the cut)"),
    dialogue: dialogueSchema.optional(),
    take: z
      .record(
        z.string().regex(STEP_NAME_PATTERN, { error: "not a step name" }).describe("a step of this shot: keyframe, clip"),
        positiveInt.describe("a take number, a whole number >= 1"),
      )
      .optional()
      .describe("which take to use per step of this shot, e.g. { keyframe: 2, clip: 3 }"),
  })
  .describe("a shot: { id, size, camera, on, action, lines, seconds, transition, start, dialogue, take }");

export const sceneSchema = z
  .strictObject({
    id: id.describe("the scene id: lowercase letters, digits and '-', starting with a letter or digit (e.g. the-call)"),
    setting: z.string().default("").describe("where and when the scene takes place"),
    cast: z.array(id).optional().describe("cast ids in the scene; every speaker must be listed (default: the speakers)"),
    action: z.string().default("").describe("what happens on screen"),
    camera: z.string().default("slow push-in").describe("camera movement, e.g. slow push-in, static, pan left"),
    seconds: z.number().min(1).max(60).default(6).describe("scene length in seconds, a number from 1 to 60"),
    lines: z.array(lineSchema).min(1).optional().describe("spoken lines, each '- speaker: text'"),
    beat: nonEmpty.optional().describe("what the scene is about; without lines, the text model writes them from it"),
    dialogue: dialogueSchema.optional(),
    take: z
      .record(
        z.string().regex(STEP_NAME_PATTERN, { error: "not a step name" }).describe("a step of this scene, e.g. keyframe, clip"),
        positiveInt.describe("a take number, a whole number >= 1"),
      )
      .optional()
      .describe("which take to use per step, e.g. { keyframe: 2, clip: 1 }"),
    transition: transitionSchema.optional(),
    shots: z.array(shotSchema).min(1).optional().describe("the scene's shots, in order, with the lines inside them (instead of scene-level lines or beat)"),
  })
  .describe("a scene: { id, setting, cast, action, camera, seconds, lines or beat or shots, dialogue, take, transition }");

export const musicSchema = z
  .union([
    z.strictObject({
      mood: nonEmpty.describe("the mood of generated music, e.g. emotional reunion, erhu and piano"),
      seconds: z.number().min(1).max(3600).optional().describe("music length in seconds (default: the whole drama)"),
      take: positiveInt.optional().describe("which take of the generated music to use (see dramake retake), a whole number >= 1"),
    }),
    z.strictObject({
      file: nonEmpty.meta(FROM_ENV).describe("a project-relative audio file (.mp3, .wav, .m4a, .ogg, .flac)"),
    }),
  ])
  .describe("background music: { mood, seconds } or { file }");

export const SIZE_PATTERN = /^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$/;
export const ASPECT_PATTERN = /^[1-9][0-9]{0,3}:[1-9][0-9]{0,3}$/;

export const formatSchema = z
  .strictObject({
    aspect: z
      .string()
      .regex(ASPECT_PATTERN, { error: "not an aspect ratio" })
      .optional()
      .describe('aspect ratio "W:H", e.g. "9:16" (default 9:16, or derived from size)'),
    size: z
      .string()
      .regex(SIZE_PATTERN, { error: "not a size" })
      .optional()
      .describe("frame size WxH in pixels, even numbers, e.g. 720x1280 (default derived from aspect)"),
    fps: z.int().min(1).max(60).default(24).describe("frames per second, a whole number from 1 to 60"),
  })
  .describe('output format: { aspect: "9:16", size: 720x1280, fps: 24 }');

const castSchema = z.record(id, castMemberSchema).describe("cast members by id");
const scenesSchema = z.array(sceneSchema).min(1).describe("the scenes, in order (at least one)");
const schemaRefSchema = z.string().optional().describe("path or URL of this JSON Schema, for editors");

/**
 * Series (DESIGN §1). Included files are named relative to the file that
 * names them and must stay inside the project; ${VAR} is not read there: a
 * project's shape never depends on a user's environment.
 */
export const includePathSchema = nonEmpty.describe("a YAML file relative to this one, inside the project, e.g. episodes/03.yaml");

export const includeListSchema = z
  .array(includePathSchema)
  .describe("YAML files whose cast and episodes join this project's, e.g. [cast.yaml]");

export const episodeSchema = z
  .strictObject({
    id: id.describe("the episode id: lowercase letters, digits and '-' (e.g. 03, the-letter); step ids start episode/<id>/"),
    title: nonEmpty.describe("the episode's title; also names its video"),
    theme: z.string().optional().describe("what this episode is about (default: the series' theme)"),
    premise: z.string().optional().describe("the episode's premise; guides its generated lines along with the theme"),
    style: z.string().optional().describe("this episode's visual style (default: the series' style)"),
    music: musicSchema.optional(),
    budget: z.number().nonnegative().optional().describe("US dollars, a number >= 0, for this episode's own steps"),
    cast: castSchema.optional().describe("cast members only this episode has, by id (the series' cast is always there)"),
    scenes: scenesSchema,
    cards: cardsSchema.optional(),
    cover: coverSchema.optional(),
    $schema: schemaRefSchema,
  })
  .describe("an episode: { id, title, theme, premise, style, music, budget, cast, scenes }");

export const episodeIncludeSchema = z
  .strictObject({ include: includePathSchema.describe("an episode file relative to this one, e.g. episodes/03.yaml") })
  .describe("an episode kept in its own file: { include: episodes/03.yaml }");

export const episodesSchema = z
  .array(z.union([episodeIncludeSchema, episodeSchema]))
  .min(1)
  .describe("the episodes, in order: each inline or { include: episodes/03.yaml }");

/** A file named by `include:`: more cast, more episodes, more includes. */
export const includeFileSchema = z
  .strictObject({
    include: includeListSchema.optional(),
    cast: castSchema.optional(),
    episodes: episodesSchema.optional(),
    $schema: schemaRefSchema,
  })
  .describe("a file included by a dramake project: { include, cast, episodes }");

export const projectSchema = z
  .strictObject({
    dramake: z.literal(1, { error: "unsupported format version" }).describe("the format version: 1"),
    title: nonEmpty.describe("the drama's title; also names the output file"),
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: "not a BCP-47 language tag" })
      .default("en")
      .describe("a BCP-47 language tag such as en, zh-CN, ja"),
    theme: z.string().default("").describe("what the drama is about; guides generated lines"),
    format: formatSchema.default({ fps: 24 }),
    style: z.string().default("").describe("appended to every visual prompt, e.g. cinematic, warm golden light"),
    providers: z
      .record(id, providerSchema)
      .default({})
      .describe("named backends; the offline provider is built in"),
    use: useSchema.default({ text: OFFLINE, image: OFFLINE, speech: OFFLINE, video: OFFLINE, music: OFFLINE, lipsync: OFFLINE, transcribe: OFFLINE }),
    budget: z
      .number()
      .nonnegative()
      .optional()
      .describe("US dollars, a number >= 0; a build whose estimate exceeds it spends nothing"),
    cast: castSchema.default({}),
    scenes: scenesSchema.optional(),
    episodes: episodesSchema.optional(),
    include: includeListSchema.optional(),
    music: musicSchema.optional(),
    subtitles: subtitlesSchema.optional(),
    cards: cardsSchema.optional(),
    cover: coverSchema.optional(),
    deliver: deliverSchema.optional(),
    dialogue: dialogueSchema.default("voice-over"),
    $schema: schemaRefSchema,
  })
  .describe("a dramake project file, format 1: scenes (one episode) or episodes (a series)");

/**
 * A project still being written (`dramake write`, `import`): everything is
 * checked as usual, but the scenes may not be there yet.
 */
export const draftProjectSchema = projectSchema.extend({
  scenes: z.array(sceneSchema).default([]).describe("the scenes, in order"),
});

/** The validated file with defaults applied, before project-level resolution. */
export type Drama = z.output<typeof projectSchema>;
export type Scene = z.output<typeof sceneSchema>;
export type Line = z.output<typeof lineSchema>;
export type Shot = z.output<typeof shotSchema>;
export type CastMember = z.output<typeof castMemberSchema>;
export type Voice = z.output<typeof voiceSchema>;
export type ProviderConfig = z.output<typeof providerSchema>;
export type Music = z.output<typeof musicSchema>;
export type FormatInput = z.output<typeof formatSchema>;
export type Use = Drama["use"];
export type Episode = z.output<typeof episodeSchema>;
export type IncludeFile = z.output<typeof includeFileSchema>;
