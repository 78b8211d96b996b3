/**
 * What an episode's finishing keys (issue 32: `subtitles:`, `cards:`,
 * `cover:`, `deliver:`) mean for its steps, in one place: the subtitles'
 * settings as the subtitles step hashes them, the cards that lead and trail
 * the scenes (each placed by the timing rule as a cut of its own), where the
 * cover's frame comes from, and each delivery's preset. Pure; no I/O.
 */
import type { SafeArea, SubtitlePosition, SubtitleStyle } from "../media/index.js";
import { presetFor, subtitleSafeArea, type DeliveryPreset, type PresetName } from "../media/index.js";
import { CARD_SECONDS, deliveryName, type CardsConfig, type DeliverConfig, type SubtitlesConfig } from "../project/finishing.js";
import type { EpisodeView } from "./episode.js";
import { cutSeconds } from "./plan/timing.js";

/** The subtitles' settings a subtitles step hashes (everything `subtitles:` changes of the captions). */
export interface SubtitleSettings {
  readonly reading: { readonly cps?: number; readonly maxLines?: number; readonly maxChars?: number };
  readonly position: SubtitlePosition;
  readonly safeArea: SafeArea;
  readonly style: SubtitleStyle;
  readonly speakerLabels: boolean;
}

/** Each `deliver:` entry's preset, in the file's order. */
export function deliveries(deliver: DeliverConfig | undefined): DeliveryPreset[] {
  return (deliver ?? []).map((d) => presetFor(typeof d === "string" ? d : { ...d, name: deliveryName(d) }));
}

/**
 * The safe area captions and cards keep to: `subtitles.safe_area` when the
 * file names one, else the first delivery's (the platform the episode is
 * made for), else the area inside every preset's. Adding or dropping a later
 * delivery therefore reruns only delivery steps.
 */
export function safeAreaOf(f: EpisodeView["finishing"]): SafeArea {
  const named = f.subtitles?.safe_area;
  if (named !== undefined) return subtitleSafeArea(named as PresetName | SafeArea);
  const first = deliveries(f.deliver)[0];
  return first ? first.safeArea : subtitleSafeArea();
}

export function subtitleSettings(f: EpisodeView["finishing"]): SubtitleSettings {
  const s: SubtitlesConfig = f.subtitles ?? {};
  return {
    reading: { ...(s.cps !== undefined ? { cps: s.cps } : {}), ...(s.max_lines !== undefined ? { maxLines: s.max_lines } : {}), ...(s.max_chars !== undefined ? { maxChars: s.max_chars } : {}) },
    position: s.position ?? "safe",
    safeArea: safeAreaOf(f),
    style: { ...s.style },
    speakerLabels: s.speaker ?? true,
  };
}

/** Burned into the cuts (default), or soft only: a track in the MP4 and the SRT beside it. */
export function burnsSubtitles(f: EpisodeView["finishing"]): boolean {
  return f.subtitles?.burn ?? true;
}

export type CardKind = "title" | "hook" | "end";

/** One card as its step renders it. */
export interface CardPlan {
  readonly kind: CardKind;
  /** The text it sets: the title card's series and episode title, the hook's or end card's line. */
  readonly text: { readonly series?: string; readonly title?: string; readonly hook?: string; readonly end?: string };
  /** As written (or the default). */
  readonly seconds: number;
  /** On screen, in whole frames: its length as a cut (the timing rule). */
  readonly length: number;
  readonly take: number;
}

const textAndSeconds = (v: string | { text: string; seconds?: number | undefined }, fallback: number) =>
  typeof v === "string" ? { text: v, seconds: fallback } : { text: v.text, seconds: v.seconds ?? fallback };

/**
 * The episode's cards in playing order: before the scenes the hook (a line
 * over the first scene's picture, the episode's first seconds) and the title
 * card; after them the end card.
 */
export function cardPlans(ep: EpisodeView): { readonly before: CardPlan[]; readonly after: CardPlan[] } {
  const c: CardsConfig | undefined = ep.finishing.cards;
  const before: CardPlan[] = [];
  const after: CardPlan[] = [];
  if (!c) return { before, after };
  const plan = (kind: CardKind, text: CardPlan["text"], seconds: number): CardPlan => ({ kind, text, seconds, length: cutSeconds(seconds, undefined, ep.format.fps), take: c.take?.[kind] ?? 1 });
  if (c.hook !== undefined) {
    const h = textAndSeconds(c.hook, CARD_SECONDS.hook);
    before.push(plan("hook", { hook: h.text }, h.seconds));
  }
  if (c.title !== undefined && c.title !== false) {
    const seconds = (typeof c.title === "object" ? c.title.seconds : undefined) ?? CARD_SECONDS.title;
    before.push(plan("title", { ...(ep.seriesTitle !== undefined ? { series: ep.seriesTitle } : {}), title: ep.episodeTitle }, seconds));
  }
  if (c.end !== undefined) {
    const e = textAndSeconds(c.end, CARD_SECONDS.end);
    after.push(plan("end", { end: e.text }, e.seconds));
  }
  return { before, after };
}
