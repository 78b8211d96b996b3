/**
 * The picture track as a CMX 3600 EDL, for conforming: one cut event per
 * clip, source and record timecodes non-drop at the format's fps (an EDL
 * counts whole frames per second, which dramake's integer fps always is).
 * Reel names are AX (a file, not a tape); each event's file is named in a
 * `* FROM CLIP NAME:` comment, as Resolve and Premiere read it.
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
  for (const [i, c] of t.video.entries()) {
    const tc = (n: number) => timecode(n, t.fps);
    lines.push(
      `${String(i + 1).padStart(3, "0")}  AX       V     C        ${tc(c.sourceIn)} ${tc(c.sourceIn + c.duration)} ${tc(c.recordIn)} ${tc(c.recordIn + c.duration)}`,
      `* FROM CLIP NAME: ${c.media.split("/").at(-1)}`,
      `* SOURCE FILE: ${c.media}`,
      "",
    );
  }
  return lines.join("\n");
}
