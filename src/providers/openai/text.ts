/**
 * Dialogue: `chat.completions` with a JSON-schema response format, checked
 * with zod (speakers must be the scene's cast). A model that answers with
 * broken JSON or the wrong shape gets one repair turn that quotes its answer
 * and what was wrong; a second miss is an `invalid-output` failure showing
 * what came back. `polish` is the same call with another model over lines
 * already drafted, kept separate so it can be its own step.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { z } from "zod";
import type { CallContext, CastMemberRef, Line, LinesRequest, PolishRequest, Usage } from "../types.js";
import { modelFor, type Backend } from "./config.js";
import { OpenAIProviderError, shorten } from "./errors.js";
import { writeAtomic } from "./download.js";
import { tokenCost } from "./prices.js";
import { withRetry } from "./retry.js";

const ENDPOINT = "chat.completions";

type LinesResult = Usage & { readonly lines: readonly Line[] };

/**
 * `count`, when given, is the number of lines asked for and `range` the
 * numbers accepted (exactly `count` without it): the step graph lays out its
 * voice steps before anything runs, so a count outside the range is the wrong
 * shape and gets the repair turn.
 */
export async function lines(b: Backend, req: LinesRequest, ctx: CallContext): Promise<LinesResult> {
  const model = modelFor(b, "text", ENDPOINT);
  const ids = castIds(req.cast, req.sceneId);
  const count = req.count;
  const range = req.range ?? (count === undefined ? undefined : { min: count, max: count });
  const howMany =
    count === undefined || range === undefined ? "2 to 6" : range.min === range.max ? `exactly ${count}` : `${count} (at least ${range.min}, at most ${range.max})`;
  const messages: ChatCompletionMessageParam[] = [
    {
      role: "system",
      content:
        `You write the dialogue of one scene of a short vertical drama, in the language ${req.language}. ` +
        `Write ${howMany} short, natural spoken lines; no stage directions, no names inside the text. ` +
        `Answer with JSON only: {"lines":[{"speaker":"<cast id>","text":"..."}]}, speakers taken from the cast ids given.`,
    },
    {
      role: "user",
      content: [
        `Title: ${req.title}`,
        `Theme: ${req.theme}`,
        `Scene: ${req.sceneId}`,
        req.setting ? `Setting: ${req.setting}` : undefined,
        req.previousBeat ? `Previous scene: ${req.previousBeat}` : undefined,
        `This scene: ${req.beat}`,
        req.nextBeat ? `Next scene: ${req.nextBeat}` : undefined,
        `Cast (id: name, look, voice):`,
        ...req.cast.map((c) => `- ${c.id}: ${c.name}, ${c.look}${c.voiceStyle ? `, speaks ${c.voiceStyle}` : ""}`),
      ]
        .filter((l) => l !== undefined)
        .join("\n"),
    },
  ];
  const shape = z.object({ lines: z.array(lineShape(ids)).min(range?.min ?? 1).max(range?.max ?? Infinity) }).strict();
  return chatForLines(b, model, messages, responseFormat(ids, range), (value) => shape.safeParse(value), ctx);
}

export async function polish(b: Backend, req: PolishRequest, ctx: CallContext): Promise<LinesResult> {
  const model = modelFor(b, "polish", ENDPOINT);
  const ids = castIds(req.cast, req.sceneId);
  const messages: ChatCompletionMessageParam[] = [
    {
      role: "system",
      content:
        `You polish the dialogue of one scene of a short vertical drama, in the language ${req.language}: ` +
        `make each line sharper and more natural to say aloud, keep its meaning. Keep the same number of lines, ` +
        `the same speakers in the same order. Answer with JSON only: {"lines":[{"speaker":"<cast id>","text":"..."}]}.`,
    },
    {
      role: "user",
      content: [`Title: ${req.title}`, `Theme: ${req.theme}`, `This scene: ${req.beat}`, `Lines:`, JSON.stringify({ lines: req.lines })].join("\n"),
    },
  ];
  const shape = z
    .object({ lines: z.array(lineShape(ids)).length(req.lines.length) })
    .strict()
    .refine((v) => v.lines.every((l, i) => l.speaker === req.lines[i]?.speaker), { message: "speakers must stay the same, in the same order" });
  const n = req.lines.length;
  return chatForLines(b, model, messages, responseFormat(ids, { min: n, max: n }), (value) => shape.safeParse(value), ctx);
}

function castIds(cast: readonly CastMemberRef[], sceneId: string): [string, ...string[]] {
  const ids = cast.map((c) => c.id);
  if (ids.length === 0) {
    throw new OpenAIProviderError({ kind: "unsupported", endpoint: ENDPOINT, subject: `scene ${sceneId}`, message: "a scene without cast has nobody to speak its lines" });
  }
  return ids as [string, ...string[]];
}

/** One line as zod checks it: a speaker from the cast, some text. */
const lineShape = (ids: [string, ...string[]]) => z.object({ speaker: z.enum(ids), text: z.string().trim().min(1) }).strict();

/**
 * Strict structured output: every property required, nothing extra, speakers
 * from the cast only, and how many lines are accepted when that is fixed
 * (servers that ignore minItems/maxItems still get it in the prompt, and zod
 * checks it).
 */
function responseFormat(ids: readonly string[], range: { readonly min: number; readonly max: number } | undefined) {
  return {
    type: "json_schema" as const,
    json_schema: {
      name: "scene_lines",
      strict: true,
      schema: {
        type: "object",
        properties: {
          lines: {
            type: "array",
            ...(range === undefined ? {} : { minItems: range.min, maxItems: range.max }),
            items: {
              type: "object",
              properties: { speaker: { type: "string", enum: [...ids] }, text: { type: "string" } },
              required: ["speaker", "text"],
              additionalProperties: false,
            },
          },
        },
        required: ["lines"],
        additionalProperties: false,
      },
    },
  };
}

type Parsed = { success: true; data: { lines: Line[] } } | { success: false; error: z.ZodError };

/** Lines checked by zod, then written as the step's output. */
async function chatForLines(
  b: Backend,
  model: string,
  messages: ChatCompletionMessageParam[],
  format: ReturnType<typeof responseFormat>,
  validate: (value: unknown) => Parsed,
  ctx: CallContext,
): Promise<LinesResult> {
  const answer = await chatJson(b, model, messages, format, (value) => {
    const parsed = validate(value);
    return parsed.success ? { ok: true, value: parsed.data.lines } : { ok: false, why: `the wrong shape (${issueText(parsed.error)})` };
  }, ctx, "lines");
  await writeAtomic(ctx.outFile, JSON.stringify({ lines: answer.value }, null, 2) + "\n");
  return { lines: answer.value, cost: answer.cost, detail: answer.detail };
}

export function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid";
}

export type JsonCheck<T> = (value: unknown) => { readonly ok: true; readonly value: T } | { readonly ok: false; readonly why: string };

export interface JsonFormat {
  readonly type: "json_schema";
  readonly json_schema: { readonly name: string; readonly strict: boolean; readonly schema: Record<string, unknown> };
}

/**
 * One chat call with JSON-schema output, one repair turn that quotes the
 * answer and what was wrong with it, then the checked value or an
 * invalid-output failure showing what came back. Every JSON-answering text
 * call (lines, polish, scripts) goes through here.
 */
export async function chatJson<T>(
  b: Backend,
  model: string,
  messages: ChatCompletionMessageParam[],
  format: JsonFormat,
  validate: JsonCheck<T>,
  ctx: CallContext,
  what: string,
): Promise<Usage & { readonly value: T }> {
  const price = b.prices.price(model);
  let inputTokens = 0;
  let outputTokens = 0;
  const ask = async (turns: ChatCompletionMessageParam[]): Promise<string> => {
    // Paid: a chat that timed out may have been answered and billed, so it is not asked again.
    const res = await withRetry(
      ENDPOINT,
      b.retry,
      ctx.signal,
      // A later take asks for another sample: `seed` is the API's variation knob (take 1 sends none, as before takes).
      (signal) => b.client.chat.completions.create({ model, messages: turns, response_format: format, ...((ctx.take ?? 1) > 1 ? { seed: ctx.take } : {}) }, { signal }),
      { price: 0, spent: (usd) => ctx.spent(usd) },
    );
    const message = res.choices[0]?.message;
    // Actual usage when the server reports it (most do); else a character-count estimate.
    inputTokens += res.usage?.prompt_tokens ?? Math.ceil(JSON.stringify(turns).length / 4);
    outputTokens += res.usage?.completion_tokens ?? Math.ceil((message?.content ?? "").length / 4);
    if (message?.refusal) {
      throw new OpenAIProviderError({ kind: "invalid-output", endpoint: ENDPOINT, message: "the model refused", received: b.redact(shorten(message.refusal)) });
    }
    const content = message?.content ?? "";
    // Paid and here: kept before checking and storing, so a kill in between does not buy it again.
    if (ctx.answer) {
      const file = join(ctx.tmpDir, "answer.json");
      await writeAtomic(file, JSON.stringify({ content, input_tokens: inputTokens, output_tokens: outputTokens }));
      await ctx.answer.keep(file);
    }
    return content;
  };
  const done = (value: T) => ({ value, cost: tokenCost(price, inputTokens, outputTokens), detail: { model, input_tokens: inputTokens, output_tokens: outputTokens } });

  const kept = await keptAnswer(ctx);
  if (kept) {
    const reused = check(kept.content, validate);
    if (reused.ok) {
      inputTokens = kept.input_tokens;
      outputTokens = kept.output_tokens;
      return { ...done(reused.value), detail: { model, input_tokens: inputTokens, output_tokens: outputTokens, answer: "kept" } };
    }
  }

  let content = await ask(messages);
  let problem = check(content, validate);
  if (problem.ok) return done(problem.value);

  ctx.notice(`${model} answered with ${problem.why}; asking once more`);
  content = await ask([
    ...messages,
    { role: "assistant", content },
    { role: "user", content: `That answer is not usable: ${problem.why}. Reply again with only the JSON object, exactly as specified.` },
  ]);
  problem = check(content, validate);
  if (problem.ok) return done(problem.value);
  // Both answers were paid for: booked now (CallContext.spent), so the caller can say what the failure cost.
  ctx.spent(tokenCost(price, inputTokens, outputTokens));
  throw new OpenAIProviderError({
    kind: "invalid-output",
    endpoint: ENDPOINT,
    message: `no valid ${what} after one repair attempt (${problem.why})`,
    received: b.redact(shorten(content)),
  });
}

function check<T>(content: string, validate: JsonCheck<T>): { ok: true; value: T } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (e) {
    return { ok: false, why: `invalid JSON (${(e as Error).message})` };
  }
  return validate(value);
}

/** The chat answer a killed run of this step kept (CallContext.answer), if it is still readable. */
async function keptAnswer(ctx: CallContext): Promise<{ content: string; input_tokens: number; output_tokens: number } | undefined> {
  const file = ctx.answer?.kept();
  if (!file) return undefined;
  try {
    const v = JSON.parse(await readFile(file, "utf8")) as { content?: unknown; input_tokens?: unknown; output_tokens?: unknown };
    if (typeof v.content !== "string") return undefined;
    return { content: v.content, input_tokens: Number(v.input_tokens) || 0, output_tokens: Number(v.output_tokens) || 0 };
  } catch {
    return undefined;
  }
}
