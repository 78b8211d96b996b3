/**
 * A drama from its theme (`dramake write`): one chat call with JSON-schema
 * output that drafts cast and scenes. The shape is checked here with zod;
 * what makes a draft fit the project (ids, speakers, lengths) is the
 * caller's `check`, and either miss gets the one repair turn chatJson gives.
 */
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { z } from "zod";
import type { CallContext, DraftCheck, PremisesDraft, PremisesRequest, ScriptDraft, ScriptRequest, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { chatJson, issueText, type JsonFormat } from "./text.js";

const text = z.string();
/** Every field required, nothing extra: what strict structured output demands. */
export const scriptDraftSchema = z.strictObject({
  cast: z.array(
    z.strictObject({
      id: text,
      name: text,
      look: text,
      gender: z.enum(["female", "male", "neutral"]),
      voice_style: text,
    }),
  ),
  scenes: z.array(
    z.strictObject({
      id: text,
      setting: text,
      cast: z.array(text),
      action: text,
      camera: text,
      seconds: z.number(),
      beat: text,
      lines: z.array(z.strictObject({ speaker: text, text })),
    }),
  ),
});

const FORMAT: JsonFormat = {
  type: "json_schema",
  json_schema: { name: "drama_script", strict: true, schema: z.toJSONSchema(scriptDraftSchema, { target: "draft-7" }) as Record<string, unknown> },
};

/** The counts in the schema itself (minItems/maxItems), so a server that honours them answers with that many scenes. */
const formatFor = (req: ScriptRequest): JsonFormat => {
  const schema = structuredClone(FORMAT.json_schema.schema) as { properties: { scenes: Record<string, unknown> } };
  Object.assign(schema.properties.scenes, { minItems: req.scenes, maxItems: req.scenes });
  return { ...FORMAT, json_schema: { ...FORMAT.json_schema, schema } };
};

function messages(req: ScriptRequest): ChatCompletionMessageParam[] {
  const part = req.part && req.part.of > 1 ? req.part : undefined;
  return [
    {
      role: "system",
      content:
        `You write short vertical dramas, in the language ${req.language}. ` +
        `Write exactly ${req.scenes} scene${req.scenes === 1 ? "" : "s"} of about ${req.secondsPerScene} seconds each, ` +
        `with about ${req.wordsPerScene} spoken words of dialogue per scene, following a hook, a turn, a climax and a resolution. ` +
        `Each scene: a short id, where and when it happens (setting), what we see (action), a camera move, its length in seconds, ` +
        `a one-sentence beat, and its lines (speaker: a cast id; text: what they say aloud, no stage directions). ` +
        `Reuse the ids of the cast given; add a cast member only when the story needs one, with a concrete look for image generation. ` +
        `Answer with JSON only, matching the schema.`,
    },
    {
      role: "user",
      content: [
        `Title: ${req.title}`,
        req.style ? `Visual style: ${req.style}` : undefined,
        part ? `The source is long; this is part ${part.index} of ${part.of}. Write the scenes for this part only.` : undefined,
        req.beatsSoFar?.length ? `Scenes already written:\n${req.beatsSoFar.map((b) => `- ${b}`).join("\n")}` : undefined,
        req.before ? `Just before this part:\n${req.before}` : undefined,
        `${part ? "Source" : "Theme"}:\n${req.theme}`,
        req.cast.length ? `Cast (id: name, look):\n${req.cast.map((c) => `- ${c.id}: ${c.name}, ${c.look}`).join("\n")}` : `Cast: none yet; create it.`,
      ]
        .filter((l) => l !== undefined)
        .join("\n\n"),
    },
  ];
}

/** One draft call: the shape checked with zod, then the caller's fit; either miss gets chatJson's repair turn. */
async function draftCall<T, D>(b: Backend, asked: ChatCompletionMessageParam[], format: JsonFormat, shape: z.ZodType<D>, check: DraftCheck<T, D>, ctx: CallContext, what: string): Promise<Usage & { readonly value: T }> {
  const model = modelFor(b, "text", "chat.completions");
  return chatJson(
    b,
    model,
    asked,
    format,
    (value) => {
      const parsed = shape.safeParse(value);
      if (!parsed.success) return { ok: false, why: `the wrong shape (${issueText(parsed.error)})` };
      const fits = check(parsed.data);
      return fits.ok ? fits : { ok: false, why: `a draft that does not fit the project (${fits.why})` };
    },
    ctx,
    what,
  );
}

export async function script<T>(b: Backend, req: ScriptRequest, check: DraftCheck<T>, ctx: CallContext): Promise<Usage & { readonly value: T }> {
  return draftCall(b, messages(req), formatFor(req), scriptDraftSchema as z.ZodType<ScriptDraft>, check, ctx, "script");
}

export const premisesDraftSchema = z.strictObject({ episodes: z.array(z.strictObject({ title: text, premise: text })) });

const PREMISES_FORMAT: JsonFormat = {
  type: "json_schema",
  json_schema: { name: "drama_episodes", strict: true, schema: z.toJSONSchema(premisesDraftSchema, { target: "draft-7" }) as Record<string, unknown> },
};

function premiseMessages(req: PremisesRequest): ChatCompletionMessageParam[] {
  return [
    {
      role: "system",
      content:
        `You plan series of short vertical dramas, in the language ${req.language}. ` +
        `Write exactly ${req.episodes} episode premise${req.episodes === 1 ? "" : "s"}: episodes ${req.first} to ${req.first + req.episodes - 1} of ${req.total}, ` +
        `the series as a whole following a hook, a turn, a climax and a resolution. Each: a short title and a one- or two-sentence premise. ` +
        `Answer with JSON only, matching the schema.`,
    },
    {
      role: "user",
      content: [
        `Series: ${req.title}`,
        req.style ? `Visual style: ${req.style}` : undefined,
        req.earlier.length ? `Episodes already written:\n${req.earlier.map((p, i) => `${i + 1}. ${p}`).join("\n")}` : undefined,
        `Theme:\n${req.theme}`,
      ]
        .filter((l) => l !== undefined)
        .join("\n\n"),
    },
  ];
}

export async function premises<T>(b: Backend, req: PremisesRequest, check: DraftCheck<T, PremisesDraft>, ctx: CallContext): Promise<Usage & { readonly value: T }> {
  return draftCall(b, premiseMessages(req), PREMISES_FORMAT, premisesDraftSchema, check, ctx, "episode premises");
}
