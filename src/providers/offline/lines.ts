/**
 * Offline has no writer: each scene gets placeholder lines that say so, in
 * the project's language, so a beat-only scene still builds, times and
 * subtitles like a written one.
 */
import type { Line, LinesRequest } from "../types.js";

export function placeholderText(language: string): string {
  return /^(zh|cmn|yue)/i.test(language)
    ? "[占位台词——请用文本模型生成本场台词]"
    : "[placeholder line — run with a text provider to write this scene]";
}

/**
 * One line per cast member, or `count` lines taking turns when the caller
 * asks for a fixed number (the graph fixes it so its shape is known up front).
 */
export function placeholderLines(req: LinesRequest): Line[] {
  const speakers = req.cast.map((c) => c.id);
  if (speakers.length === 0) return [];
  const count = req.count ?? speakers.length;
  return Array.from({ length: count }, (_, i) => ({ speaker: speakers[i % speakers.length]!, text: placeholderText(req.language) }));
}
