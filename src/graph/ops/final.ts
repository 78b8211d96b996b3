/**
 * The `final` op: the cuts joined in order and the soundtrack laid under
 * them, both by stream copy (nothing is encoded at the end of a build); plus
 * the episode's .srt with each scene's cues shifted by where the scene starts.
 * One per episode (`episode/<ep>/final` in a series).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { concatCuts, concatSrt, trackLanguage, type CutLengths } from "../../media/index.js";
import type { EpisodeView } from "../episode.js";
import { media, mediaRun } from "./media-run.js";
import { joinWithTransitions } from "../../media/transition.js";
import type { ScenePlacement } from "../plan/timing.js";
import { SOUNDTRACK_OUTPUT } from "./soundtrack.js";
import { CUT_OUTPUT } from "./cut.js";
import { SUBTITLES_OUTPUT } from "./subtitles.js";
import { CARD_OUTPUT } from "./card.js";
import { burnsSubtitles, cardPlans } from "../finishing.js";

/** The final step's outputs. */
export const FINAL_OUTPUT = { video: "video", srt: "srt" } as const;

/**
 * Hashed: the cuts and subtitles in episode order, and the soundtrack. The order is the key's:
 * its inputs are a set, so two scenes swapped would otherwise restore the old film.
 */
export interface FinalParams {
  readonly cuts: readonly string[];
  readonly subtitles: readonly string[];
  readonly soundtrack: string;
  /** Size and rate to draw transitions at; only when a scene comes in by one (keys of the others as before). */
  readonly picture?: { readonly width: number; readonly height: number; readonly fps: number };
  /** Cards joined before and after the scenes (issue 32), as the soundtrack placed them; absent without cards. */
  readonly before?: readonly string[];
  readonly after?: readonly string[];
  /** `subtitles: { burn: false }`: the SRT goes in as a soft track labelled with this ISO 639-2 code. */
  readonly soft?: string;
}

export function finalStep(ep: EpisodeView): StepSpec {
  const transitions = ep.scenes.slice(1).some((s) => (s.transition ?? "cut") !== "cut");
  const cards = cardPlans(ep);
  const params: FinalParams = {
    cuts: ep.scenes.map((s) => ep.ids.cut(s.id)),
    subtitles: ep.scenes.map((s) => ep.ids.subtitles(s.id)),
    soundtrack: ep.ids.soundtrack(),
    ...(transitions ? { picture: { width: ep.format.width, height: ep.format.height, fps: ep.format.fps } } : {}),
    ...(cards.before.length > 0 ? { before: cards.before.map((c) => ep.ids.card(c.kind)) } : {}),
    ...(cards.after.length > 0 ? { after: cards.after.map((c) => ep.ids.card(c.kind)) } : {}),
    ...(burnsSubtitles(ep.finishing) ? {} : { soft: trackLanguage(ep.language) }),
  };
  return {
    id: ep.ids.final(),
    kind: "ffmpeg",
    // The key's category (kept: it is hashed); the op says which operation this is.
    op: "final",
    // 3: the sound is the soundtrack step's, copied; the final encodes nothing.
    // 4: joined and muxed in one pass on the cuts' own clock (no intermediate file, no probe).
    // 5: the scenes' order joins the key (params): a swap of two scenes was served stale.
    // 6, only where scenes come in by a transition (the join draws them): the blend renderer's shots stay yuv420p.
    version: transitions ? 6 : 5,
    params: { ...params },
    inputs: [...(params.before ?? []), ...params.cuts, ...(params.after ?? []), ...params.subtitles, params.soundtrack],
    files: [],
    pool: "ffmpeg",
    materialize: { [FINAL_OUTPUT.video]: ep.output.video, [FINAL_OUTPUT.srt]: ep.output.srt },
  };
}

export const finalOp: Op = {
  name: "final",
  async run(params, io) {
    const a = params as unknown as FinalParams;
    const sound = io.inputs[a.soundtrack]!;
    const placed = JSON.parse(await readFile(sound[SOUNDTRACK_OUTPUT.lengths]!.path, "utf8")) as CutLengths & Partial<ScenePlacement>;
    const before = a.before ?? [];
    const cards = (ids: readonly string[]) => ids.map((id) => io.inputs[id]![CARD_OUTPUT.video]!.path);
    let cutFiles = [...cards(before), ...a.cuts.map((id) => io.inputs[id]![CUT_OUTPUT.video]!.path), ...cards(a.after ?? [])];
    let known: CutLengths = placed;
    if (placed.overlaps?.some((d) => d > 0)) {
      // Transitions between scenes (issue 27): the picture is drawn anew where cuts overlap, at the
      // overlaps the soundtrack placed the dialogue by (one answer, plan/timing.ts placeScenes).
      const joined = join(io.tmpDir, "joined.mp4");
      const fmt = a.picture!;
      media(
        await joinWithTransitions(
          cutFiles.map((file, i) => ({ file, audio: false, seconds: placed.durations[i]! })),
          placed.transitions!.map((transition, i) => ({ transition, seconds: placed.overlaps![i]! })),
          joined,
          { width: fmt.width, height: fmt.height, fps: fmt.fps },
          mediaRun(io),
        ),
      );
      cutFiles = [joined];
      known = { durations: [placed.seconds], offsets: [0], seconds: placed.seconds };
    }
    // Leading cards are cuts of their own on the episode's clock: each scene's captions start after them.
    const parts = await Promise.all(a.subtitles.map(async (id, i) => ({ srt: await readFile(io.inputs[id]![SUBTITLES_OUTPUT.srt]!.path, "utf8"), offset: placed.offsets[i + before.length]! })));
    const srt = concatSrt(parts);
    // The cuts' lengths are the ones the soundtrack was mixed to (the timing rule, plan/timing.ts): the
    // demuxer gets each as its duration, so picture and sound end together without probing either.
    const out = join(io.tmpDir, "final.mp4");
    const soft = a.soft !== undefined && srt.trim() !== "" ? { file: join(io.tmpDir, "final.srt"), language: a.soft } : undefined;
    if (soft) await writeFile(soft.file, srt);
    media(await concatCuts(cutFiles, out, mediaRun(io), { known, soundtrack: sound[SOUNDTRACK_OUTPUT.audio]!.path, ...(soft ? { subtitles: soft } : {}) }));
    await io.output(FINAL_OUTPUT.video, { file: out });
    await io.output(FINAL_OUTPUT.srt, { bytes: srt });
  },
};
