/**
 * How long a line takes to say, estimated from its text alone: the one home
 * of the estimate. Offline silent voices last this long, and a shot's clip
 * length is planned from it (src/graph/plan/shots.ts), so a clip's length
 * comes from the project file, never from generated audio.
 */
import { hasCjk } from "./text-layout.js";

/** ~4.5 CJK characters or ~14 Latin characters a second, plus a breath; 0.8 to 30 s. */
export function spokenSeconds(text: string): number {
  let s = 0.3;
  for (const ch of text) s += hasCjk(ch) ? 0.22 : /\s/.test(ch) ? 0.03 : 0.07;
  return Math.min(30, Math.max(0.8, s));
}
