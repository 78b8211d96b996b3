/**
 * The timeline as FCPXML 1.10 (Final Cut Pro; DaVinci Resolve imports it):
 * one format, an asset per media file (a media-rep with a relative src), and
 * a sequence whose spine holds the picture's asset-clips; dialogue and music
 * are connected clips on lanes below (negative lanes), attached to the
 * picture clip they start in, the music's ducking as adjust-volume
 * keyframes, the subtitles as markers carrying their text, a transition
 * between two picture clips a Cross Dissolve `<transition>`. Every time is
 * rational seconds on the frame grid (`frames/fps s`), so the spine's
 * durations add up to the MP4's exactly.
 */
import type { AudioClip, Timeline } from "./timeline.js";
import { xml } from "./xml.js";

/** The Cross Dissolve effect's resource id (assets are r2, r3…). */
const DISSOLVE_ID = "r1d";

export function fcpxmlText(t: Timeline): string {
  const s = (frames: number) => (frames === 0 ? "0s" : `${frames}/${t.fps}s`);
  const assets = new Map<string, { id: string; frames: number; video: boolean }>();
  const asset = (media: string, frames: number, video: boolean) => {
    const seen = assets.get(media);
    if (seen) return seen.id;
    const id = `r${assets.size + 2}`;
    assets.set(media, { id, frames, video });
    return id;
  };
  // Connected clips, by the picture clip they start in (lane -1 down, a lane per track).
  const attached = t.video.map(() => [] as string[]);
  const host = (frame: number) => Math.max(0, t.video.findIndex((c) => frame >= c.recordIn && frame < c.recordIn + c.duration));
  t.audio.forEach((track, lane) => {
    for (const c of track.clips) {
      const i = host(c.recordIn);
      attached[i]!.push(connected(c, -(lane + 1), t.video[i]!.recordIn - t.video[i]!.sourceIn, track.gain, s, asset));
    }
  });
  let dissolve = false;
  const spine = t.video.map((c, i) => {
    const ref = asset(c.media, c.available, true);
    const open = `        <asset-clip ref="${ref}" name="${xml(c.name)}" offset="${s(c.recordIn)}" start="${s(c.sourceIn)}" duration="${s(c.duration)}" format="r1" tcFormat="NDF" audioRole="dialogue">`;
    // The cut's own sound is its dialogue, which the lanes below carry by speaker: silenced here, not doubled.
    const mute = `          <adjust-volume amount="-96dB"/>`;
    // The subtitles as markers carrying their text, in the clip's own time (they are burned into the picture too).
    const markers = t.cues
      .filter((q) => host(q.start) === i)
      .map((q) => `          <marker start="${s(c.sourceIn + q.start - c.recordIn)}" duration="${s(Math.max(1, Math.min(q.end, c.recordIn + c.duration) - q.start))}" value="${xml(q.text.replace(/\n/g, " "))}"/>`);
    const meta = `          <metadata><md key="com.dramake.shot" value="${xml(c.shot)}"/><md key="com.dramake.take" value="${c.take}"/>${c.card ? `<md key="com.dramake.card" value="${c.card}"/>` : ""}</metadata>`;
    const clipText = [open, mute, ...attached[i]!, ...markers, meta, `        </asset-clip>`].join("\n");
    // A transition sits between two clips of the spine, over the end of the one and the start of the
    // next (which keep butting at their cut): from `inOffset` before the cut for its whole length.
    const into = t.transitions.find((x) => x.from === i - 1);
    if (!into) return clipText;
    dissolve = true;
    const d = into.inOffset + into.outOffset;
    return [
      `        <transition name="Cross Dissolve" offset="${s(c.recordIn - into.inOffset)}" duration="${s(d)}">`,
      `          <filter-video ref="${DISSOLVE_ID}" name="Cross Dissolve"/>`,
      `          <metadata><md key="com.dramake.transition" value="${xml(into.effect ?? into.kind)}"/></metadata>`,
      `        </transition>`,
      clipText,
    ].join("\n");
  });
  const resources = [...assets].map(([media, a]) =>
    `    <asset id="${a.id}" name="${xml(media.split("/").at(-1)!)}" start="0s" duration="${s(a.frames)}" ${a.video ? `hasVideo="1" format="r1" ` : ""}hasAudio="1" audioSources="1" audioChannels="${a.video ? 1 : 2}" audioRate="48000">\n      <media-rep kind="original-media" src="${xml(media)}"/>\n    </asset>`,
  );
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE fcpxml>`,
    `<fcpxml version="1.10">`,
    `  <resources>`,
    `    <format id="r1" name="FFVideoFormat${t.width}x${t.height}p${t.fps}" frameDuration="1/${t.fps}s" width="${t.width}" height="${t.height}" colorSpace="1-1-1 (Rec. 709)"/>`,
    ...resources,
    // Final Cut Pro's built-in Cross Dissolve, by its effect id.
    ...(dissolve ? [`    <effect id="${DISSOLVE_ID}" name="Cross Dissolve" uid="FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"/>`] : []),
    `  </resources>`,
    `  <library>`,
    `    <event name="${xml(t.name)}">`,
    `      <project name="${xml(t.stem)}">`,
    `        <sequence format="r1" duration="${s(t.frames)}" tcStart="0s" tcFormat="NDF" audioLayout="stereo" audioRate="48k">`,
    `      <spine>`,
    ...spine,
    `      </spine>`,
    `        </sequence>`,
    `      </project>`,
    `    </event>`,
    `  </library>`,
    `</fcpxml>`,
    "",
  ].join("\n");
}

/** A connected audio clip; its offset is in its parent's time (the parent's start plus the distance from the parent's offset). */
function connected(
  c: AudioClip,
  lane: number,
  parentZero: number,
  gain: Timeline["audio"][number]["gain"],
  s: (frames: number) => string,
  asset: (media: string, frames: number, video: boolean) => string,
): string {
  const ref = asset(c.media, c.available, false);
  const role = gain ? "music" : "dialogue";
  const open = `          <asset-clip ref="${ref}" lane="${lane}" name="${xml(c.name)}" offset="${s(c.recordIn - parentZero)}" start="${s(c.sourceIn)}" duration="${s(c.duration)}" audioRole="${role}"`;
  if (!gain || gain.length === 0) return `${open}/>`;
  // Keyframe times are in the clip's own time: its start plus the distance into it.
  const keys = gain.map((k) => `                <keyframe time="${s(c.sourceIn + k.frame - c.recordIn)}" value="${k.db}dB"/>`);
  return [
    `${open}>`,
    `            <adjust-volume amount="${gain[0]!.db}dB">`,
    `              <param name="amount">`,
    `                <keyframeAnimation>`,
    ...keys.map((k) => `  ${k}`),
    `                </keyframeAnimation>`,
    `              </param>`,
    `            </adjust-volume>`,
    `          </asset-clip>`,
  ].join("\n");
}
