/**
 * `cast/<id>/voice-sample` (issue 29): a recording of a cast member's voice
 * that native-audio video models take as reference audio (Seedance 2,
 * MiniMax, Wan), so a character sounds the same in every shot. Once per cast
 * member for the whole series, like portraits: the user's own
 * `voice.sample` file when given (a reference step), else a fixed sample
 * text spoken by the speech provider (the voice op, so it is keyed, paid and
 * resumed like any voice). It depends only on the voice, never on a line: a
 * line edit never re-records it.
 */
import type { Json, StepSpec } from "../../engine/step.js";
import type { SpeechRequest } from "../../providers/types.js";
import { servedBy, type Backends } from "../backends.js";
import { asJson } from "../json.js";
import { speakerRefs, type Casting } from "../scene-cast.js";
import { providerArgs } from "./provider.js";
import { referenceStep } from "./reference.js";
import { VOICE_OUTPUT } from "./voice.js";

/** The step id: one per cast member, series-wide. */
export const voiceSampleId = (castId: string): string => `cast/${castId}/voice-sample`;

/** The sample's output name (a voice's). */
export const VOICE_SAMPLE_OUTPUT = VOICE_OUTPUT;

/**
 * What a generated sample says: a few sentences of ordinary speech in the
 * project's language (a reference voice wants a few seconds of varied sounds,
 * not a line of the drama, so no edit of the script moves it).
 */
const SAMPLE_TEXT: Record<string, string> = {
  en: "Hello. This is how I sound when I talk: sometimes quiet, sometimes glad, and now and then a little tired.",
  zh: "你好。这就是我说话的声音：有时轻声细语，有时高高兴兴，偶尔也有一点疲惫。",
  ja: "こんにちは。これが私の話す声です。静かな時も、嬉しい時も、少し疲れた時もあります。",
  es: "Hola. Así suena mi voz cuando hablo: a veces tranquila, a veces alegre y de vez en cuando un poco cansada.",
  fr: "Bonjour. Voici ma voix quand je parle : parfois calme, parfois joyeuse, et de temps en temps un peu fatiguée.",
  de: "Hallo. So klingt meine Stimme, wenn ich spreche: mal leise, mal fröhlich und ab und zu ein wenig müde.",
};

export function sampleText(language: string): string {
  return SAMPLE_TEXT[language.split("-")[0]!.toLowerCase()] ?? SAMPLE_TEXT.en!;
}

/** The series' cast as the sample reads it: the voices and the language. */
export type SampleContext = Casting & { readonly language: string };

export function voiceSampleStep(series: SampleContext, backends: Pick<Backends, "speech">, castId: string): StepSpec {
  const member = series.cast[castId]!;
  const id = voiceSampleId(castId);
  if (member.voice.sample) return referenceStep(id, member.voice.sample, "audio", VOICE_SAMPLE_OUTPUT);
  const backend = backends.speech;
  const request: SpeechRequest = { text: sampleText(series.language), language: series.language, speaker: speakerRefs(series, [castId], backend.name)[0]! };
  return {
    id,
    kind: "speech",
    version: 1,
    params: { backend: backend.identity, request: asJson(request) },
    inputs: [],
    files: [],
    ...servedBy(backend, request),
    // The voice op: one spoken request, stored as `audio`.
    op: "voice",
    args: providerArgs(backend.config) as Json,
  };
}
