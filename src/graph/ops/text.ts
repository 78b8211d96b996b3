/**
 * The ops that write or speak lines (issue 26): lines, polish, voice. Like
 * media.ts, each reads its params, its args (provider configuration, the id of
 * the step whose lines it reads) and its input artifacts, and nothing else.
 * The lines format and its failures are owned by steps/lines.ts.
 */
import type { Op } from "../../engine/ops.js";
import type { Line, LinesRequest, PolishRequest, SpeakerRef, SpeechRequest } from "../../providers/types.js";
import { callContext, storeGenerated } from "../call-context.js";
import { stepFailure } from "../step-failure.js";
import { describeLinesFailure, encodeLines, inputLines, LINES_OUTPUT, rangeFor } from "./lines.js";
import { describePolishFailure } from "./polish.js";
import { VOICE_OUTPUT } from "./voice.js";
import { providerFor, type ProviderArgs } from "./provider.js";

export const linesOp: Op = {
  name: "lines",
  async run(params, io, args) {
    const request = (params as unknown as { request: LinesRequest & { count: number } }).request;
    const cast = request.cast.map((c) => c.id);
    const range = rangeFor(request.count, cast.length);
    const provider = await providerFor(args, io);
    const result = await provider.lines({ ...request, range }, callContext(io, "lines.json"));
    io.cost(result.cost);
    const lines = result.lines.filter((line) => cast.includes(line.speaker)).slice(0, range.max);
    if (lines.length < range.min) {
      throw stepFailure({ kind: "too-few-lines", scene: request.sceneId, wrote: lines.length, asked: request.count, ...range, cast }, describeLinesFailure);
    }
    await io.output(LINES_OUTPUT, { bytes: encodeLines(lines) });
  },
};

export const polishOp: Op = {
  name: "polish",
  async run(params, io, args) {
    const request = (params as unknown as { request: Omit<PolishRequest, "lines"> }).request;
    const a = args as unknown as ProviderArgs & { drafts: string };
    const provider = await providerFor(args, io);
    const polish = provider.polish;
    if (!polish) throw stepFailure({ kind: "cannot-polish", provider: a.provider.name }, describePolishFailure);
    const drafted = await inputLines(io, a.drafts);
    const result = await polish.call(provider, { ...request, lines: drafted }, callContext(io, "polish.json"));
    io.cost(result.cost);
    // Voices are laid out per drafted line: the polish must keep their number and speakers.
    const same = result.lines.length === drafted.length && result.lines.every((l, i) => l.speaker === drafted[i]!.speaker);
    if (!same) throw stepFailure({ kind: "changed-lines", scene: request.sceneId, given: drafted }, describePolishFailure);
    await io.output(LINES_OUTPUT, { bytes: encodeLines(result.lines) });
  },
};

/** A voice's params: the whole request for a written line; for a generated one, its slot, language and every possible speaker. */
type VoiceParams = { readonly request: SpeechRequest } | { readonly line: number; readonly language: string; readonly cast: readonly SpeakerRef[] };

export const voiceOp: Op = {
  name: "voice",
  async run(params, io, args) {
    const p = params as unknown as VoiceParams;
    let request: SpeechRequest;
    if ("request" in p) request = p.request;
    else {
      const line: Line | undefined = (await inputLines(io, (args as unknown as { lines: string }).lines))[p.line - 1];
      if (!line) {
        // A slot past the lines written: empty and free; the dialogue leaves it out.
        await io.output(VOICE_OUTPUT, { bytes: "" });
        return;
      }
      request = { text: line.text, language: p.language, speaker: p.cast.find((c) => c.id === line.speaker) ?? { id: line.speaker } };
    }
    const provider = await providerFor(args, io);
    await storeGenerated(io, "voice.wav", VOICE_OUTPUT, (call) => provider.speech(request, call));
  },
};
