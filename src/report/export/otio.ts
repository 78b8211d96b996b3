/**
 * The timeline as OpenTimelineIO JSON (`.otio`): Timeline.1 over a Stack.1 of
 * Track.1s, Clip.1s with ExternalReference.1 media (relative target_url),
 * Gap.1 between audio clips, Transition.1 between picture clips, subtitles
 * as Marker.2s on the picture track carrying their text. Times are
 * RationalTime.1 at the format's fps. Schema names and fields as OTIO's own
 * serialized samples write them (tests/sample_data in its repository).
 */
import type { AudioTrack, Timeline } from "./timeline.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const time = (value: number, rate: number): Json => ({ OTIO_SCHEMA: "RationalTime.1", rate, value });
const range = (start: number, duration: number, rate: number): Json => ({ OTIO_SCHEMA: "TimeRange.1", start_time: time(start, rate), duration: time(duration, rate) });

function clip(name: string, media: string, available: number, sourceIn: number, duration: number, rate: number, metadata: Json = {}): Json {
  return {
    OTIO_SCHEMA: "Clip.1",
    name,
    source_range: range(sourceIn, duration, rate),
    media_reference: { OTIO_SCHEMA: "ExternalReference.1", name: media.split("/").at(-1)!, target_url: media, available_range: range(0, available, rate), metadata: {} },
    effects: [],
    markers: [],
    enabled: true,
    metadata,
  };
}

const gap = (duration: number, rate: number): Json => ({ OTIO_SCHEMA: "Gap.1", name: "", source_range: range(0, duration, rate), effects: [], markers: [], enabled: true, metadata: {} });

function track(name: string, kind: "Video" | "Audio", children: Json[], metadata: Json = {}, markers: Json[] = []): Json {
  return { OTIO_SCHEMA: "Track.1", name, kind, source_range: null, children, effects: [], markers, enabled: true, metadata };
}

function audioTrack(t: AudioTrack, rate: number): Json {
  const children: Json[] = [];
  let at = 0;
  for (const c of t.clips) {
    if (c.recordIn > at) children.push(gap(c.recordIn - at, rate));
    children.push(clip(c.name, c.media, c.available, c.sourceIn, c.duration, rate));
    at = c.recordIn + c.duration;
  }
  // OTIO has no standard gain automation: the keys ride in metadata for a tool (or person) to apply.
  const metadata: Json = { dramake: { kind: t.kind, ...(t.speaker ? { speaker: t.speaker } : {}), ...(t.gain ? { gain_db: t.gain.map((k) => ({ frame: k.frame, db: k.db })) } : {}) } };
  return track(t.name, "Audio", children, metadata);
}

export function otioJson(t: Timeline): string {
  const rate = t.fps;
  const picture: Json[] = [];
  for (const [i, c] of t.video.entries()) {
    picture.push(clip(c.name, c.media, c.available, c.sourceIn, c.duration, rate, { dramake: { scene: c.scene, shot: c.shot, take: c.take, ...(c.card ? { card: c.card } : {}) } }));
    const tr = t.transitions.find((x) => x.from === i);
    if (tr) picture.push({ OTIO_SCHEMA: "Transition.1", name: tr.kind, transition_type: "SMPTE_Dissolve", parameters: {}, in_offset: time(tr.inOffset, rate), out_offset: time(tr.outOffset, rate), metadata: tr.effect ? { dramake: { transition: tr.effect } } : {} });
  }
  const markers: Json[] = t.cues.map((c) => ({ OTIO_SCHEMA: "Marker.2", name: c.text, comment: c.text, color: "YELLOW", marked_range: range(c.start, c.end - c.start, rate), metadata: { dramake: { subtitle: true } } }));
  const timeline = {
    OTIO_SCHEMA: "Timeline.1",
    name: t.name,
    global_start_time: time(0, rate),
    metadata: { dramake: { width: t.width, height: t.height, fps: t.fps, srt: t.srt } },
    tracks: {
      OTIO_SCHEMA: "Stack.1",
      name: "tracks",
      source_range: null,
      children: [track("V1", "Video", picture, {}, markers), ...t.audio.map((a) => audioTrack(a, rate))],
      effects: [],
      markers: [],
      enabled: true,
      metadata: {},
    },
  };
  return `${JSON.stringify(timeline, null, 2)}\n`;
}
