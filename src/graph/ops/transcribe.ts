/**
 * The `transcribe` op (issue 29), `…/transcribe` of a native-dialogue shot:
 * the clip's own sound turned into words with their times by `use.transcribe`
 * (OpenAI-compatible `/audio/transcriptions`, whisper-1, word timestamps).
 * Its input is the clip, so it reruns exactly when the clip does (a line
 * edit in a native shot buys one clip and one transcription); the script's
 * lines are its prompt, so Whisper spells the names as written.
 */
import { readFile } from "node:fs/promises";
import type { StepContext, StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { transcriberFor, type Transcript } from "../../providers/registry.js";
import { servedByService, type ServiceBackend } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { CLIP_OUTPUT } from "./clip.js";
import { serviceArgs, serviceOf } from "./service.js";

/** The transcribe step's output: the Transcript as JSON (text, duration, words with start and end). */
export const TRANSCRIBE_OUTPUT = "transcript";

/** Hashed: the service's identity, the language hint and the prompt (the clip is the input). */
export interface TranscribeParams {
  readonly language: string;
  readonly prompt: string;
}

export interface TranscribeStepInput {
  readonly id: string;
  /** The clip step whose sound is transcribed. */
  readonly clip: string;
  readonly language: string;
  /** The lines' text, in order. */
  readonly lines: readonly string[];
  /** The clip's planned length, for the price before running. */
  readonly seconds: number;
}

export function transcribeStep(backend: ServiceBackend, s: TranscribeStepInput): StepSpec {
  const params: TranscribeParams = { language: s.language, prompt: s.lines.join(" ") };
  return {
    id: s.id,
    kind: "transcribe",
    version: 1,
    params: { backend: backend.identity, ...params },
    inputs: [s.clip],
    files: [],
    ...servedByService(backend, s.seconds),
    op: "transcribe",
    args: { ...(serviceArgs(backend.config) as Record<string, never>), clip: s.clip },
  };
}

export const transcribeOp: Op = {
  name: "transcribe",
  async run(params, io, args) {
    const p = params as unknown as TranscribeParams;
    const clip = (args as unknown as { clip: string }).clip;
    const { config, secrets, tuning } = serviceOf(args, io, "transcribe");
    const transcriber = transcriberFor(config, secrets, tuning);
    const audio = io.inputs[clip]![CLIP_OUTPUT.video]!.path;
    await storeGenerated(io, "transcript.json", TRANSCRIBE_OUTPUT, (call) =>
      transcriber.transcribe({ audio, language: p.language, ...(p.prompt ? { prompt: p.prompt } : {}) }, call),
    );
  },
};

/** For an op's run: the transcript an input transcribe step stored. */
export async function inputTranscript(io: StepContext, step: string): Promise<Transcript> {
  return JSON.parse(await readFile(io.inputs[step]![TRANSCRIBE_OUTPUT]!.path, "utf8")) as Transcript;
}
