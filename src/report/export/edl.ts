/**
 * The picture track as a CMX 3600 EDL, for conforming: one cut event per
 * clip, source and record timecodes non-drop at the format's fps (an EDL
 * counts whole frames per second, which dramake's integer fps always is).
 * Reel names are AX (a file, not a tape); each event's file is named in a
 * `* FROM CLIP NAME:` comment, as Resolve and Premiere read it. A transition
 * is a dissolve (`D` and its length in frames) from the outgoing clip.
 */
import type { Timeline } from "./timeline.js";

export function timecode(frames: number, fps: number): string {
  const f = frames % fps;
  const s = Math.floor(frames / fps);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}:${two(f)}`;
}

export function edlText(t: Timeline): string {
  const title = t.name.replace(/[\r\n]+/g, " ").toUpperCase();
  const lines = [`TITLE: ${title}`, "FCM: NON-DROP FRAME", ""];
  const tc = (n: number) => timecode(n, t.fps);
  const event = (n: number, code: string, from: number, to: number, recordFrom: number, recordTo: number) =>
    `${String(n).padStart(3, "0")}  AX       V     ${code.padEnd(8)} ${tc(from)} ${tc(to)} ${tc(recordFrom)} ${tc(recordTo)}`;
  for (const [i, c] of t.video.entries()) {
    const into = t.transitions.find((x) => x.from === i - 1);
    // A clip runs until the dissolve out of it starts: the next event takes over there.
    const out = t.transitions.find((x) => x.from === i)?.inOffset ?? 0;
    const end = c.sourceIn + c.duration - out;
    const recordEnd = c.recordIn + c.duration - out;
    if (into) {
      // A dissolve is two lines of one event: the outgoing clip held at the dissolve's start, then the
      // incoming clip from that frame with `D` and the dissolve's length in frames.
      const a = t.video[i - 1]!;
      const d = into.inOffset + into.outOffset;
      const at = a.sourceIn + a.duration - into.inOffset;
      const start = c.recordIn - into.inOffset;
      lines.push(
        event(i + 1, "C", at, at, start, start),
        event(i + 1, `D    ${String(d).padStart(3, "0")}`, c.sourceIn - into.inOffset, end, start, recordEnd),
        `* FROM CLIP NAME: ${a.media.split("/").at(-1)}`,
        `* TO CLIP NAME: ${c.media.split("/").at(-1)}`,
        `* SOURCE FILE: ${c.media}`,
        "",
      );
    } else {
      lines.push(event(i + 1, "C", c.sourceIn, end, c.recordIn, recordEnd), `* FROM CLIP NAME: ${c.media.split("/").at(-1)}`, `* SOURCE FILE: ${c.media}`, "");
    }
  }
  return lines.join("\n");
}
