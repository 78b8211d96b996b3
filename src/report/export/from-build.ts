/**
 * A built episode (src/graph/timeline.ts reads it back) as the Timeline model:
 * its cuts end to end on the picture track, each line a clip of its scene's
 * dialogue on its speaker's track, the music fitted to the episode with its
 * ducking, the subtitles shifted to where their scene starts.
 */
import type { BuiltEpisode } from "../../graph/timeline.js";
import type { EpisodeLayout } from "../../graph/layout.js";
import { NARRATOR } from "../../graph/ops/voice.js";
import { duckingKeys, type AudioClip, type AudioTrack, type ExportMedia, type SubtitleCue, type Timeline, type VideoClip } from "./timeline.js";

/** The episode's MP4 stem: its final's file name without the extension. */
export function episodeStem(episode: EpisodeLayout): string {
  return episode.final.file.split("/").at(-1)!.replace(/\.mp4$/, "");
}

export function timelineOf(episode: EpisodeLayout, built: BuiltEpisode): Timeline {
  const { view } = episode;
  const fps = view.format.fps;
  const stem = episodeStem(episode);
  const dir = `media/${stem}`;
  const frames = (seconds: number) => Math.round(seconds * fps);
  const media: ExportMedia[] = [];
  const video: VideoClip[] = [];
  const cues: SubtitleCue[] = [];
  const bySpeaker = new Map<string, AudioClip[]>();
  const speech: { start: number; end: number }[] = [];
  let at = 0;
  for (const scene of built.scenes) {
    const length = frames(scene.seconds);
    const base = `${dir}/${String(scene.index).padStart(2, "0")}-${scene.id}`;
    media.push({ name: `${base}.mp4`, object: scene.cut });
    video.push({ name: scene.id, scene: scene.id, shot: scene.id, take: scene.take, media: `${base}.mp4`, available: length, sourceIn: 0, duration: length, recordIn: at });
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
  return { name: view.title, stem, fps, width: view.format.width, height: view.format.height, frames: at, video, transitions: [], audio, cues, srt, media };
}
