/**
 * The built-in `offline` provider: no network, no key, deterministic (the
 * same request gives the same bytes on the same machine). A real animatic
 * for previz: drawn cards, slow pans, espeak-ng voices, a synthesized pad.
 */
import { writeFile } from "node:fs/promises";
import { writeWav } from "../../media/audio.js";
import { renderCard } from "../../media/card.js";
import { describeFailure, type MediaFailure } from "../../media/failure.js";
import { fontNotice } from "../../media/fonts.js";
import { panClip } from "../../media/pan.js";
import type { MediaRun } from "../../media/run.js";
import { synthPad } from "../../media/synth.js";
import type { Result } from "../../result.js";
import type { CallContext, Modality, Provider, Usage } from "../types.js";
import { keyframeCard, portraitCard } from "./cards.js";
import { placeholderLines } from "./lines.js";
import { padForMood } from "./mood.js";
import { espeak, findEspeak, silentVoice } from "./voice.js";

/** A failed offline generation (ffmpeg or espeak-ng said no); `failure` says how. */
export class OfflineProviderError extends Error {
  constructor(
    readonly operation: string,
    readonly failure: MediaFailure,
  ) {
    super(`offline ${operation}: ${describeFailure(failure)}`);
    this.name = "OfflineProviderError";
  }
}

const FREE: Usage = { cost: 0 };

/**
 * The pad's sample rate. Its partials stay under 2 kHz (sines, low-passed),
 * so 16 kHz holds all of it, and synthesizing a third of the samples keeps the
 * build's one thread free at the start of a build, where the portraits and
 * keyframes that gate every cut are being made; the final mix resamples to 48 kHz.
 */
export const MUSIC_RATE = 16000;

export interface OfflineOptions {
  /** Environment for finding espeak-ng (tests pass a PATH without it). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Rendering versions per modality, hashed into keys by the registry (register.ts):
 * image 2: card backgrounds computed in JS (card-background.ts), not by geq.
 * video 2: a retaken clip's move records its variation (take 2 had been take 1's move).
 * video 3: a move is rendered on yuv444p (whole-pixel crops), a zoom at the output size and a pan from a 1.25x source (pan.ts).
 * speech 2: espeak-ng's WAV as it writes it (22.05 kHz), resampled once, by the dialogue.
 * music 2: synthesized at 16 kHz (MUSIC_RATE).
 * speech 3: without espeak-ng, the silent stand-in for a narrated beat is timed like espeak-ng's fitted reading (voice.ts), so a cache made
 *   without it does not keep serving the old, longer silence.
 * image 3: keyframe cards in zones that never overlap and end above the subtitles, framed by shot size (cards.ts).
 * image 4: a card's text that needs more lines than it has is set smaller, never cut with "…" (media/card.ts, issue 32).
 */
export const OFFLINE_RENDER_VERSIONS: Readonly<Partial<Record<Modality, number>>> = { image: 4, video: 3, speech: 3, music: 2 };

export function createOfflineProvider(options: OfflineOptions = {}): Provider {
  const env = options.env ?? process.env;
  const noticed = new Set<string>();
  const noticeOnce = (ctx: CallContext, message: string | undefined) => {
    if (message && !noticed.has(message)) {
      noticed.add(message);
      ctx.notice(message);
    }
  };
  const runOf = (ctx: CallContext): MediaRun => ({ signal: ctx.signal, progress: (f) => ctx.progress(f) });
  /** Aborts surface as the signal's reason (what callers of an AbortSignal expect); other failures as errors. */
  const check = <T>(operation: string, ctx: CallContext, r: Result<T, MediaFailure>): T => {
    if (r.ok) return r.value;
    if (r.error.kind === "aborted") throw ctx.signal.reason ?? new DOMException("aborted", "AbortError");
    throw new OfflineProviderError(operation, r.error);
  };

  return {
    type: "offline",
    standInLines: true,
    clipsAreMoves: true,
    renderVersions: OFFLINE_RENDER_VERSIONS,

    async lines(req, ctx) {
      const lines = placeholderLines(req);
      await writeFile(ctx.outFile, JSON.stringify({ lines }));
      return { ...FREE, lines };
    },

    async portrait(req, ctx) {
      noticeOnce(ctx, fontNotice(req.language));
      check("portrait", ctx, await renderCard(portraitCard(req, ctx.take ?? 1), ctx.outFile, runOf(ctx)));
      return FREE;
    },

    async keyframe(req, ctx) {
      noticeOnce(ctx, fontNotice(req.language));
      check("keyframe", ctx, await renderCard(keyframeCard(req, ctx.take ?? 1), ctx.outFile, runOf(ctx)));
      return FREE;
    },

    async clip(req, ctx) {
      const r = await panClip(
        { image: req.keyframe, camera: req.camera, seconds: req.seconds, size: req.size, fps: req.fps, variation: (ctx.take ?? 1) - 1 },
        ctx.outFile,
        runOf(ctx),
      );
      check("clip", ctx, r);
      return FREE;
    },

    async speech(req, ctx) {
      const espeakPath = findEspeak(env);
      if (!espeakPath) {
        noticeOnce(ctx, "espeak-ng not found: offline voices are timed silence (install espeak-ng for spoken lines)");
        check("speech", ctx, await silentVoice(req, ctx.outFile));
        return { cost: 0, detail: { voice: "silence" } };
      }
      const voice = check("speech", ctx, await espeak(espeakPath, req, ctx.outFile, runOf(ctx)));
      return { cost: 0, detail: { voice: voice.voice } };
    },

    async music(req, ctx) {
      check("music", ctx, await writeWav(synthPad(padForMood(req.mood), req.seconds, MUSIC_RATE), ctx.outFile));
      return FREE;
    },

    estimate() {
      return 0;
    },
  };
}
