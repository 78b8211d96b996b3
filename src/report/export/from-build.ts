/**
 * A built episode (src/graph/timeline.ts reads it back) as the Timeline model:
 * its cuts (or their shots) on the picture track, overlapping where a
 * transition joins them, each line a clip of its scene's
 * dialogue on its speaker's track, the music fitted to the episode with its
 * ducking, the subtitles shifted to where their scene starts.
 */
import type { BuiltCard, BuiltEpisode } from "../../graph/timeline.js";
import type { EpisodeLayout } from "../../graph/layout.js";
import { NARRATOR } from "../../graph/ops/voice.js";
import { duckingKeys, type AudioClip, type AudioTrack, type ExportMedia, type SubtitleCue, type Timeline, type Transition, type VideoClip } from "./timeline.js";

/** The episode's MP4 stem: its final's file name without the extension. */
export function episodeStem(episode: EpisodeLayout): string {
  return episode.final.file.split("/").at(-1)!.replace(/\.mp4$/, "");
}

/** A piece of a scene's cut on the picture track: a shot (or the whole cut), with the overlap into it. */
interface Piece {
  /** The scene's id (a card: `card/<kind>`), and the card's kind. */
  readonly scene: string;
  readonly card?: BuiltCard["kind"];
  readonly shot: string;
  readonly name: string;
  readonly take: number;
  readonly media: string;
  readonly available: number;
  /** Frames into the cut where the piece starts and ends (overlaps included). */
  readonly from: number;
  readonly to: number;
  /** Frames it overlaps the piece before (0: a cut), and the transition's name. */
  readonly overlap: number;
  readonly effect: string;
}

export function timelineOf(episode: EpisodeLayout, built: BuiltEpisode): Timeline {
  const { view } = episode;
  const fps = view.format.fps;
  const stem = episodeStem(episode);
  const dir = `media/${stem}`;
  const frames = (seconds: number) => Math.round(seconds * fps);
  const media: ExportMedia[] = [];
  const cues: SubtitleCue[] = [];
  const bySpeaker = new Map<string, AudioClip[]>();
  const speech: { start: number; end: number }[] = [];
  const pieces: Piece[] = [];
  let at = 0;
  // A card (issue 32) is a cut of its own, joined by cuts, silent: a picture clip and nothing else.
  const card = (c: BuiltCard) => {
    const length = frames(c.seconds);
    at = frames(c.start);
    const name = `${dir}/card-${c.kind}.mp4`;
    media.push({ name, object: c.file });
    pieces.push({ scene: `card/${c.kind}`, card: c.kind, shot: c.kind, name: `card/${c.kind}`, take: c.take, media: name, available: length, from: 0, to: length, overlap: 0, effect: "cut" });
    at += length;
  };
  built.cards?.before.forEach(card);
  for (const [n, scene] of built.scenes.entries()) {
    const length = frames(scene.seconds);
    // Two cuts joined by a transition overlap by its length: the scene starts that much before the last one ended.
    const into = n === 0 ? 0 : overlapFrames(scene.transition, frames);
    // Where the timing module placed it, when the build says; else where the overlap puts it (the same, in whole frames).
    at = scene.start !== undefined ? frames(scene.start) : at - into;
    const base = `${dir}/${String(scene.index).padStart(2, "0")}-${scene.id}`;
    media.push({ name: `${base}.mp4`, object: scene.cut });
    const piece = { scene: scene.id, take: scene.take, media: `${base}.mp4`, available: length };
    // One shot (a format-1 scene) is the whole cut, named for its scene as before shots.
    if (!scene.shots || scene.shots.length <= 1) {
      pieces.push({ ...piece, shot: scene.id, name: scene.id, from: 0, to: length, overlap: into, effect: scene.transition?.kind ?? "cut" });
    } else {
      // Each shot is the part of the cut it was joined into; the cut's own transitions are laid out between them.
      scene.shots.forEach((shot, k) => {
        const from = k === 0 ? 0 : frames(shot.start);
        const to = k === scene.shots!.length - 1 ? length : Math.min(length, frames(shot.start + shot.seconds));
        const overlap = k === 0 ? into : overlapFrames(shot.transition, frames);
        const effect = k === 0 ? (scene.transition?.kind ?? "cut") : (shot.transition?.kind ?? "cut");
        pieces.push({ ...piece, shot: shot.id, name: `${scene.id}/${shot.id}`, from, to, overlap, effect });
      });
    }
    if (scene.lines.length > 0) {
      const dialogue = `${base}-dialogue.wav`;
      media.push({ name: dialogue, object: scene.dialogue.file });
      const available = Math.floor(scene.dialogue.seconds * fps);
      for (const [k, line] of scene.lines.entries()) {
        // From the frame at or before its first sample to the one at or after its last: nothing spoken is trimmed.
        const sourceIn = Math.floor(line.start * fps);
        const end = Math.min(available, length, Math.ceil(line.end * fps));
        if (end <= sourceIn) continue;
        const clip: AudioClip = { name: `${scene.id} line ${k + 1}`, media: dialogue, available, sourceIn, duration: end - sourceIn, recordIn: at + sourceIn };
        bySpeaker.set(line.speaker, [...(bySpeaker.get(line.speaker) ?? []), clip]);
        speech.push({ start: clip.recordIn, end: clip.recordIn + clip.duration });
      }
    }
    for (const c of scene.cues) cues.push({ start: at + frames(c.start), end: Math.min(at + length, at + frames(c.end)), text: c.text });
    at += length;
  }
  built.cards?.after.forEach(card);
  const { video, transitions } = pictureTrack(pieces);
  const cast = Object.keys(view.cast);
  const order = (id: string) => (cast.includes(id) ? cast.indexOf(id) : Number.MAX_SAFE_INTEGER);
  const audio: AudioTrack[] = [...bySpeaker]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([speaker, clips]) => ({ name: speaker === NARRATOR ? "Narrator" : (view.cast[speaker]?.name ?? speaker), kind: "dialogue" as const, speaker, clips }));
  const music = `${dir}/music.wav`;
  media.push({ name: music, fitted: { music: built.music, seconds: built.seconds } });
  audio.push({ name: "Music", kind: "music", clips: [{ name: "music", media: music, available: at, sourceIn: 0, duration: at, recordIn: 0 }], gain: duckingKeys(speech, fps, at) });
  const srt = `${stem}.srt`;
  media.push({ name: srt, object: built.srt });
  return { name: view.title, stem, fps, width: view.format.width, height: view.format.height, frames: at, video, transitions, audio, cues, srt, media };
}

/** A transition's overlap in whole frames (a cut, or none, overlaps nothing). */
function overlapFrames(t: { readonly kind: string; readonly seconds: number } | undefined, frames: (seconds: number) => number): number {
  return t && t.kind !== "cut" ? Math.max(0, frames(t.seconds)) : 0;
}

/**
 * Pieces overlapping by their transitions as clips that butt at their cuts:
 * an overlap of d frames becomes a transition of floor(d/2) frames before
 * the cut and the rest after it, each clip trimmed to its side of the cut
 * (the overlapped frames stay in its media as the handle the transition plays).
 * Between two shots of one cut both sides are the same frames of the same
 * file, already mixed by the build: the transition renders them unchanged,
 * and marks where an editor may swap in the shots' own clips.
 */
function pictureTrack(pieces: readonly Piece[]): { video: VideoClip[]; transitions: Transition[] } {
  const halves = pieces.map((p, k) => (k === 0 || p.overlap === 0 ? undefined : { inOffset: Math.floor(p.overlap / 2), outOffset: p.overlap - Math.floor(p.overlap / 2) }));
  const video: VideoClip[] = [];
  const transitions: Transition[] = [];
  let record = 0;
  pieces.forEach((p, k) => {
    const before = halves[k];
    const after = halves[k + 1];
    const sourceIn = p.from + (before?.inOffset ?? 0);
    const duration = p.to - (after?.outOffset ?? 0) - sourceIn;
    video.push({ name: p.name, scene: p.scene, ...(p.card ? { card: p.card } : {}), shot: p.shot, take: p.take, media: p.media, available: p.available, sourceIn, duration, recordIn: record });
    record += duration;
    if (before) transitions.push({ from: k - 1, ...before, kind: "dissolve", effect: p.effect });
  });
  return { video, transitions: transitions.sort((a, b) => a.from - b.from) };
}
