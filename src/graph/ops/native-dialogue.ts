/**
 * The `native-dialogue` op (issue 29): a native shot's `…/dialogue` step. The
 * clip's own sound is the shot's dialogue: taken out of the clip as the
 * dialogue track (48 kHz mono, loudness measured, like a TTS dialogue), with
 * each script line's time from the transcription (plan/native-timing.ts).
 * Its outputs are the dialogue op's, under the same step id, so the
 * subtitles, the cut and the soundtrack (which ducks the music under it) read
 * a native shot exactly as any other. Lines the model said otherwise are a
 * notice at the line's file:line:col, and an output the storyboard shows.
 */
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { mixDialogue } from "../../media/audio.js";
import { loudnessJson } from "../../media/index.js";
import { nativeTimings } from "../plan/native-timing.js";
import { CLIP_OUTPUT } from "./clip.js";
import { DIALOGUE_OUTPUT } from "./dialogue.js";
import { media, mediaRun } from "./media-run.js";
import { inputTranscript } from "./transcribe.js";

/** The dialogue op's outputs, and what the model said where it differs (JSON SaidOtherwise[]). */
export const NATIVE_DIALOGUE_OUTPUT = { ...DIALOGUE_OUTPUT, said: "said" } as const;

/** Hashed: the script's lines (what the subtitles time); the clip and transcript are inputs. */
export interface NativeDialogueParams {
  readonly lines: readonly string[];
}

/** Not hashed: which input is which, and each line's name for a writer. */
export interface NativeDialogueArgs {
  readonly clip: string;
  readonly transcript?: string;
  readonly labels: readonly string[];
}

export interface NativeDialogueStepInput {
  readonly id: string;
  readonly clip: string;
  /** The transcribe step; absent when use.transcribe is offline (lines shared out by their words). */
  readonly transcript?: string;
  readonly lines: readonly string[];
  readonly labels: readonly string[];
}

export function nativeDialogueStep(s: NativeDialogueStepInput): StepSpec {
  const params: NativeDialogueParams = { lines: s.lines };
  const args: NativeDialogueArgs = { clip: s.clip, ...(s.transcript ? { transcript: s.transcript } : {}), labels: s.labels };
  return {
    id: s.id,
    kind: "ffmpeg",
    op: "native-dialogue",
    version: 1,
    params: { ...params },
    args: { ...args },
    inputs: [s.clip, ...(s.transcript ? [s.transcript] : [])],
    files: [],
    pool: "ffmpeg",
  };
}

export const nativeDialogueOp: Op = {
  name: "native-dialogue",
  async run(params, io, args) {
    const p = params as unknown as NativeDialogueParams;
    const a = args as unknown as NativeDialogueArgs;
    const clip = io.inputs[a.clip]![CLIP_OUTPUT.video]!.path;
    const out = join(io.tmpDir, "dialogue.wav");
    // The clip's sound as one "voice" from 0 s: converted and measured as a TTS dialogue is.
    const mixed = media(await mixDialogue([clip], out, { gap: 0, lead: 0 }, mediaRun(io)));
    const words = a.transcript ? (await inputTranscript(io, a.transcript)).words : undefined;
    const timed = nativeTimings(p.lines.map((text) => ({ text })), words, mixed.seconds);
    for (const d of timed.differing) {
      io.notice(`${a.labels[d.index] ?? `line ${d.index + 1}`}: the video model said ${d.said ? `"${d.said}"` : "nothing for it"}; the subtitles show the line as written (retake the clip, or use dialogue: lipsync for this shot)`);
    }
    await io.output(NATIVE_DIALOGUE_OUTPUT.audio, { file: out });
    await io.output(NATIVE_DIALOGUE_OUTPUT.timings, { bytes: JSON.stringify({ timings: timed.timings, seconds: mixed.seconds }) });
    await io.output(NATIVE_DIALOGUE_OUTPUT.loudness, { bytes: loudnessJson(mixed.loudness) });
    await io.output(NATIVE_DIALOGUE_OUTPUT.said, { bytes: JSON.stringify(timed.differing) });
  },
};
