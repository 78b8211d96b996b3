/**
 * The timeline as an MLT XML project: what Shotcut opens and `melt` renders
 * (Kdenlive's engine too). A tractor over one playlist per track: the
 * picture (its clips' own sound hidden: the dialogue tracks carry it), one
 * per speaker, the music with its ducking as `volume` level keyframes (dB);
 * `mix` transitions sum every audio track into the output; the subtitles a
 * filter (off: they are burned into the cuts). A transition between two
 * picture clips is a tractor of the pair in the picture's playlist, a `luma`
 * dissolve and a `mix` over its length, as Shotcut writes one. In and out points
 * are frames, `out` inclusive as MLT counts them.
 */
import type { AudioTrack, Timeline } from "./timeline.js";
import { xml } from "./xml.js";

const prop = (name: string, value: string | number) => `    <property name="${xml(name)}">${xml(value)}</property>`;

export function mltXml(t: Timeline): string {
  const producers = new Map<string, { id: string; frames: number; audioOnly: boolean }>();
  const producer = (media: string, frames: number, audioOnly: boolean) => {
    const seen = producers.get(media);
    if (seen) return seen.id;
    const id = `producer${producers.size}`;
    producers.set(media, { id, frames, audioOnly });
    return id;
  };
  const playlists: string[] = [];
  const mixers: string[] = [];
  const video: string[] = [];
  t.video.forEach((c, k) => {
    const into = t.transitions.find((x) => x.from === k - 1);
    const out = t.transitions.find((x) => x.from === k);
    if (into) {
      // The transition plays both clips over its length: a tractor of the two, defined before the playlist that uses it.
      const a = t.video[k - 1]!;
      const d = into.inOffset + into.outOffset;
      const id = `transition${mixers.length}`;
      const aEnd = a.sourceIn + a.duration;
      mixers.push(
        [
          `  <tractor id="${id}" in="0" out="${d - 1}">`,
          prop("shotcut:transition", "lumaMix"),
          prop("dramake:transition", into.effect ?? into.kind),
          `    <track producer="${producer(a.media, a.available, false)}" in="${aEnd - into.inOffset}" out="${aEnd + into.outOffset - 1}"/>`,
          `    <track producer="${producer(c.media, c.available, false)}" in="${c.sourceIn - into.inOffset}" out="${c.sourceIn + into.outOffset - 1}"/>`,
          // luma without a wipe image is a dissolve, from track 0 (outgoing) to track 1 over the tractor's length.
          `    <transition in="0" out="${d - 1}">\n  ${prop("mlt_service", "luma")}\n  ${prop("a_track", 0)}\n  ${prop("b_track", 1)}\n  ${prop("softness", 0)}\n    </transition>`,
          `    <transition in="0" out="${d - 1}">\n  ${prop("mlt_service", "mix")}\n  ${prop("a_track", 0)}\n  ${prop("b_track", 1)}\n  ${prop("start", 0)}\n  ${prop("end", 1)}\n    </transition>`,
          `  </tractor>`,
        ].join("\n"),
      );
      video.push(`    <entry producer="${id}" in="0" out="${d - 1}"/>`);
    }
    // The clip alone: after the transition into it, before the one out of it.
    const from = c.sourceIn + (into?.outOffset ?? 0);
    const to = c.sourceIn + c.duration - (out?.inOffset ?? 0);
    if (to > from) video.push(`    <entry producer="${producer(c.media, c.available, false)}" in="${from}" out="${to - 1}"/>`);
  });
  playlists.push(`  <playlist id="V1">\n${prop("shotcut:video", 1)}\n${prop("shotcut:name", "V1")}\n${video.join("\n")}\n  </playlist>`);
  t.audio.forEach((track, i) => playlists.push(audioPlaylist(track, `A${i + 1}`, producer)));
  const head = [...producers].map(([media, p]) =>
    `  <producer id="${p.id}" in="0" out="${p.frames - 1}">\n${prop("resource", media)}\n${prop("mlt_service", "avformat")}\n${p.audioOnly ? `${prop("video_index", -1)}\n` : ""}  </producer>`,
  );
  const tracks = [`    <track producer="V1" hide="audio"/>`, ...t.audio.map((_, i) => `    <track producer="A${i + 1}" hide="video"/>`)];
  const mixes = t.audio.map(
    (_, i) => `    <transition>\n  ${prop("mlt_service", "mix")}\n  ${prop("a_track", 0)}\n  ${prop("b_track", i + 1)}\n  ${prop("always_active", 1)}\n  ${prop("sum", 1)}\n    </transition>`,
  );
  const fpsRatio = { num: t.fps, den: 1 };
  const g = gcd(t.width, t.height);
  return [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<mlt LC_NUMERIC="C" version="7.0.0" title="${xml(t.name)}" producer="main">`,
    `  <profile description="${xml(`${t.width}x${t.height} ${t.fps} fps`)}" width="${t.width}" height="${t.height}" progressive="1" sample_aspect_num="1" sample_aspect_den="1" display_aspect_num="${t.width / g}" display_aspect_den="${t.height / g}" frame_rate_num="${fpsRatio.num}" frame_rate_den="${fpsRatio.den}" colorspace="709"/>`,
    ...head,
    ...mixers,
    ...playlists,
    `  <tractor id="main" title="${xml(t.name)}" in="0" out="${t.frames - 1}">`,
    prop("shotcut", 1),
    `    <multitrack>`,
    ...tracks,
    `    </multitrack>`,
    ...mixes,
    // The subtitles as a filter over the whole programme, off: the cuts have them burned in already.
    // An editor who swaps in clean pictures turns it on (or edits the .srt it reads).
    `    <filter>\n  ${prop("mlt_service", "avfilter.subtitles")}\n  ${prop("av.filename", t.srt)}\n  ${prop("disable", 1)}\n  ${prop("shotcut:filter", "subtitles")}\n    </filter>`,
    `  </tractor>`,
    `</mlt>`,
    "",
  ].join("\n");
}

function audioPlaylist(track: AudioTrack, id: string, producer: (media: string, frames: number, audioOnly: boolean) => string): string {
  const rows: string[] = [];
  let at = 0;
  for (const c of track.clips) {
    if (c.recordIn > at) rows.push(`    <blank length="${c.recordIn - at}"/>`);
    const entry = `    <entry producer="${producer(c.media, c.available, true)}" in="${c.sourceIn}" out="${c.sourceIn + c.duration - 1}"`;
    if (track.gain && track.gain.length > 0) {
      // Keyframe positions are the entry's own frames: the music starts where the timeline does.
      const keys = track.gain.map((k) => `${k.frame - c.recordIn}=${k.db}`).join(";");
      rows.push(`${entry}>\n      <filter>\n  ${prop("mlt_service", "volume")}\n  ${prop("level", keys)}\n      </filter>\n    </entry>`);
    } else rows.push(`${entry}/>`);
    at = c.recordIn + c.duration;
  }
  return `  <playlist id="${id}">\n${prop("shotcut:audio", 1)}\n${prop("shotcut:name", track.name)}\n${rows.join("\n")}\n  </playlist>`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
