/**
 * The `card` op (issue 32): `card/title|hook|end` (`episode/<id>/card/…` in
 * a series), a short clip encoded like a cut so `final` joins it by stream
 * copy. Title: the series' and episode's titles; hook: its line over the
 * first scene's keyframe, the episode's first seconds; end: "Next: …". Set
 * in the project's font (CJK included), inside the captions' safe area,
 * wrapped or shrunk, never cut. A retake (take N) lays the text on another
 * shade of background.
 */
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { renderTitleCard, type SafeArea } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { asJson } from "../json.js";
import { safeAreaOf, type CardPlan } from "../finishing.js";
import { media, mediaRun } from "./media-run.js";

/** The card step's output: a clip made like a cut. */
export const CARD_OUTPUT = { video: "video" } as const;

/** Hashed: everything the card shows. */
export interface CardParams {
  readonly kind: CardPlan["kind"];
  readonly text: CardPlan["text"];
  readonly seconds: number;
  readonly size: { readonly width: number; readonly height: number };
  readonly fps: number;
  readonly safeArea: SafeArea;
  /** `subtitles.style.font`: the project's font; absent for the found one (CJK-capable for CJK text). */
  readonly font?: string;
}

/** Not hashed: the step whose picture is behind the text (the hook's: the first scene's keyframe). */
export interface CardArgs {
  readonly background?: string;
}

const KEYFRAME_IMAGE = "image";

export function cardStep(ep: EpisodeView, card: CardPlan): StepSpec {
  const first = ep.scenes[0];
  const background = card.kind === "hook" && first ? ep.ids.keyframe(first.id) : undefined;
  const font = ep.finishing.subtitles?.style?.font;
  const params: CardParams = {
    kind: card.kind,
    text: card.text,
    seconds: card.seconds,
    size: { width: ep.format.width, height: ep.format.height },
    fps: ep.format.fps,
    safeArea: safeAreaOf(ep.finishing),
    ...(font !== undefined ? { font } : {}),
  };
  const args: CardArgs = background ? { background } : {};
  return {
    id: ep.ids.card(card.kind),
    kind: "ffmpeg",
    op: "card",
    version: 1,
    take: card.take,
    params: asJson(params),
    args: { ...args },
    inputs: background ? [background] : [],
    files: [],
    pool: "ffmpeg",
    weight: card.seconds,
  };
}

export const cardOp: Op = {
  name: "card",
  async run(params, io, args) {
    const p = params as unknown as CardParams;
    const a = (args ?? {}) as unknown as CardArgs;
    const out = join(io.tmpDir, "card.mp4");
    media(
      await renderTitleCard(
        {
          kind: p.kind,
          ...p.text,
          seconds: p.seconds,
          size: p.size,
          fps: p.fps,
          safeArea: p.safeArea,
          ...(p.font !== undefined ? { font: p.font } : {}),
          ...(a.background ? { background: io.inputs[a.background]![KEYFRAME_IMAGE]!.path } : {}),
          variation: io.take - 1,
        },
        out,
        mediaRun(io),
      ),
    );
    await io.output(CARD_OUTPUT.video, { file: out });
  },
};
