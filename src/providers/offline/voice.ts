/**
 * Offline voices: espeak-ng when installed, with a distinct voice per cast
 * member; otherwise silence as long as the line would take to say, so the
 * cut's timing and subtitles still work.
 */
import { findOnPath } from "../../media/ffmpeg-path.js";
import type { MediaFailure } from "../../media/failure.js";
import { runProcess, writeAtomically, type MediaRun } from "../../media/run.js";
import { writeWav } from "../../media/audio.js";
import { hasCjk } from "../../media/text-layout.js";
import { spokenSeconds } from "../../media/speaking-time.js";
import { silence } from "../../media/wav.js";
import { AUDIO_RATE } from "../../media/encoding.js";
import { err, ok, type Result } from "../../result.js";
import type { SpeechRequest } from "../types.js";
import { hash32 } from "./hash.js";

const VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m7", "f1", "f2", "f3", "f4", "f5"] as const;

/** espeak-ng's name for a BCP-47 tag ("zh-CN" is Mandarin, "cmn"). */
export function espeakLanguage(tag: string): string {
  const t = tag.toLowerCase();
  if (/^(zh-(hk|mo)|yue)/.test(t)) return "yue";
  if (/^(zh|cmn)/.test(t)) return "cmn";
  if (/^en-(us|gb)/.test(t)) return t.slice(0, 5);
  return t.split("-")[0] || "en";
}

export interface EspeakVoice {
  readonly voice: string;
  readonly pitch: number;
  readonly speed: number;
}

/**
 * The speaker's own offline voice ("en+m3") when it names one; else one
 * derived from the cast id: variant, pitch and speed from its hash, so two
 * cast members rarely sound alike and each always sounds the same.
 */
export function espeakVoice(req: SpeechRequest): EspeakVoice {
  const h = hash32(`voice:${req.speaker.id}`);
  const derived = {
    voice: `${espeakLanguage(req.language)}+${VARIANTS[h % VARIANTS.length]}`,
    pitch: 35 + ((h >>> 8) % 30),
    speed: 150 + ((h >>> 16) % 25),
  };
  const own = req.speaker.voice;
  const chosen = own && /^[a-z]{2,3}(-[a-z0-9-]+)?(\+[a-z0-9]+)?$/i.test(own) ? { voice: own, pitch: 50, speed: 160 } : derived;
  // espeak-ng counts a Chinese character as a word: at English rates Mandarin crawls (~2.5 characters a second).
  const paced = hasCjk(req.text) ? { ...chosen, speed: Math.round(chosen.speed * 1.6) } : chosen;
  // To fit a length, read faster (up to about twice as fast, still intelligible), never slower.
  const over = req.fitSeconds ? spokenSeconds(req.text) / req.fitSeconds : 1;
  return over > 1 ? { ...paced, speed: Math.min(MAX_SPEED, Math.round(paced.speed * over * FIT_HEADROOM)) } : paced;
}

/** A reading fitted to a length aims this much under it: the cut adds a lead-in and a tail around the voice. */
const FIT_HEADROOM = 1.1;

const MAX_SPEED = 380;

/** How long a line takes to say (media/speaking-time.ts, shared with the shot planner). */
export { spokenSeconds };

/**
 * The silent stand-in for a line. Fitted to a length (a narrated beat), it is
 * as long as espeak-ng's fitted reading at most (the length with its
 * headroom), never the whole length: the scene's lead-in and tail around a
 * voice of the whole length made the cut run past the scene (the example's
 * 4 s 'decision' became 4.2 s, with an overrun warning, on every first build
 * without espeak-ng).
 */
export function silentSeconds(req: Pick<SpeechRequest, "text" | "fitSeconds">): number {
  const seconds = spokenSeconds(req.text);
  return req.fitSeconds ? Math.min(seconds, Math.max(0.5, req.fitSeconds / FIT_HEADROOM)) : seconds;
}

export function silentVoice(req: SpeechRequest, out: string) {
  return writeWav(silence(silentSeconds(req), AUDIO_RATE, 1), out);
}

/**
 * Speak with espeak-ng (text on stdin, never argv: a line may begin with "-")
 * into a mono 16-bit WAV at espeak-ng's own rate (22.05 kHz). Not resampled
 * here: the scene's dialogue converts every voice to 48 kHz in one process.
 */
export async function espeak(espeakPath: string, req: SpeechRequest, out: string, run: MediaRun): Promise<Result<EspeakVoice, MediaFailure>> {
  const chosen = espeakVoice(req);
  const fallback = { ...chosen, voice: `${espeakLanguage(req.language)}` };
  // An unknown voice name makes espeak-ng fail: retry with the language alone, then English.
  for (const v of [chosen, fallback, { ...chosen, voice: "en" }]) {
    const r = await writeAtomically(out, (tmp) =>
      runProcess(espeakPath, ["-b", "1", "-v", v.voice, "-p", String(v.pitch), "-s", String(v.speed), "-w", tmp], {
        signal: run.signal,
        stdin: req.text,
      }),
    );
    if (r.ok) return ok(v);
    if (r.error.kind === "aborted") return r;
  }
  return err({ kind: "invalid-input", message: `espeak-ng could not speak with voice ${chosen.voice}` });
}

export function findEspeak(env: NodeJS.ProcessEnv): string | undefined {
  return findOnPath("espeak-ng", env);
}
