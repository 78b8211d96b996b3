/**
 * A built episode read back as a Timeline: the graph's layout says which
 * steps are the episode's, the plan says they are all current (an export of
 * a stale build would hand the editor what the project no longer says), and
 * drama.lock names the objects each step made. Nothing is measured from the
 * media: the cuts' lengths are the ones the soundtrack placed them at (the
 * cut length rule), the lines' times the dialogue step's own timings.
 */
import { readFile, stat } from "node:fs/promises";
import { computePlan, type EngineGraph } from "../../engine/index.js";
import { layout as engineLayout, objectPath } from "../../engine/layout.js";
import { readLockfile, type LockEntry } from "../../engine/lockfile.js";
import { builtLines } from "../../graph/built.js";
import type { DramaLayout, EpisodeLayout } from "../../graph/layout.js";
import { MUSIC_OUTPUT } from "../../graph/steps/music.js";
import { NARRATOR, VOICE_OUTPUT } from "../../graph/steps/voice.js";
import { parseSrt, type CutLengths, type LineTiming } from "../../media/index.js";
import { err, ok, type Result } from "../../result.js";
import { duckingKeys, type AudioClip, type AudioTrack, type ExportMedia, type SubtitleCue, type Timeline, type VideoClip } from "./timeline.js";

export type NotBuilt = { readonly kind: "not-built"; readonly message: string };

/** The episode's MP4 stem: its final's file name without the extension. */
export function episodeStem(episode: EpisodeLayout): string {
  return episode.final.file.split("/").at(-1)!.replace(/\.mp4$/, "");
}

/** Steps of the episode that are not current against drama.lock (at most a few, for the message), or none. */
async function staleSteps(graph: EngineGraph, episode: EpisodeLayout, lock: ReadonlyMap<string, LockEntry>): Promise<Result<string[], NotBuilt>> {
  const plan = await computePlan(graph, { targets: [episode.final.step] });
  if (!plan.ok) return err({ kind: "not-built", message: `cannot plan ${episode.final.step}: ${plan.error.kind}` });
  return ok(plan.value.steps.filter((s) => s.action === "run" || s.key === undefined || lock.get(s.id)?.key !== s.key).map((s) => s.id));
}

export async function timelineFromBuild(graph: EngineGraph & { readonly root: string }, drama: DramaLayout, episode: EpisodeLayout): Promise<Result<Timeline, NotBuilt>> {
  const l = engineLayout(graph.root);
  const lock = await readLockfile(l.lockfile);
  const notBuilt = (why: string): Result<Timeline, NotBuilt> =>
    err({ kind: "not-built", message: `${episode.final.step} is not built (${why}): run 'dramake build${drama.series ? ` -t ${episode.view.ids.prefix.slice(0, -1)}` : ""}' first` });
  const stale = await staleSteps(graph, episode, lock);
  if (!stale.ok) return stale;
  if (stale.value.length > 0) {
    const n = stale.value.length;
    return notBuilt(`${n} step${n === 1 ? "" : "s"} out of date, e.g. ${stale.value.slice(0, 3).join(", ")}`);
  }
  // Current, but the objects may have been collected since (gc): check before naming them.
  const object = async (step: string, output: string): Promise<{ path: string; size: number } | undefined> => {
    const ref = lock.get(step)?.outputs[output];
    if (!ref) return undefined;
    const path = objectPath(l, ref.digest);
    return (await stat(path).catch(() => undefined)) ? { path, size: ref.size } : undefined;
  };
  const need = async (step: string, output: string): Promise<{ path: string; size: number }> => {
    const found = await object(step, output);
    if (!found) throw new Missing(`${step}'s ${output} is not in the cache`);
    return found;
  };
  try {
    return ok(await readEpisode(graph.root, drama, episode, need, object, lock));
  } catch (e) {
    if (e instanceof Missing) return notBuilt(e.message);
    throw e;
  }
}

class Missing extends Error {}

type Need = (step: string, output: string) => Promise<{ path: string; size: number }>;

async function readEpisode(
  root: string,
  drama: DramaLayout,
  episode: EpisodeLayout,
  need: Need,
  object: (step: string, output: string) => Promise<{ path: string; size: number } | undefined>,
  lock: ReadonlyMap<string, LockEntry>,
): Promise<Timeline> {
  const { view } = episode;
  const fps = view.format.fps;
  const ids = view.ids;
  const stem = episodeStem(episode);
  const dir = `media/${stem}`;
  const placed = JSON.parse(await readFile((await need(ids.soundtrack(), "lengths")).path, "utf8")) as CutLengths;
  const frames = (seconds: number) => Math.round(seconds * fps);
  const generated = await builtLines(root, drama, () => true);
  const media: ExportMedia[] = [];
  const video: VideoClip[] = [];
  const cues: SubtitleCue[] = [];
  const bySpeaker = new Map<string, AudioClip[]>();
  const speech: { start: number; end: number }[] = [];
  let at = 0;
  for (const [i, place] of episode.scenes.entries()) {
    const { scene } = place;
    const length = frames(placed.durations[i]!);
    const cut = `${dir}/${String(place.index).padStart(2, "0")}-${scene.id}.mp4`;
    media.push({ name: cut, object: (await need(place.cut.step, "video")).path });
    video.push({ name: scene.id, scene: scene.id, shot: scene.id, take: lock.get(ids.clip(scene.id))?.take ?? 1, media: cut, available: length, sourceIn: 0, duration: length, recordIn: at });

    // Who speaks each voice slot: written lines, the narrator, or the lines the text model wrote.
    const voices = place.steps.filter((id) => id.startsWith(ids.voice(scene.id, 0).slice(0, -1))).sort((a, b) => voiceNumber(a) - voiceNumber(b));
    const speakers: string[] = [];
    for (const v of voices) {
      const n = voiceNumber(v);
      const out = await object(v, VOICE_OUTPUT);
      if (!out || out.size === 0) continue; // a slot past the lines written: left out of the dialogue
      speakers.push(place.narrated ? NARRATOR : (scene.lines?.[n - 1]?.speaker ?? generated.get(place.key)?.lines[n - 1]?.speaker ?? NARRATOR));
    }
    const timings = (JSON.parse(await readFile((await need(ids.dialogue(scene.id), "timings")).path, "utf8")) as { timings: LineTiming[]; seconds: number });
    if (timings.timings.length > 0) {
      const dialogue = `${dir}/${String(place.index).padStart(2, "0")}-${scene.id}-dialogue.wav`;
      media.push({ name: dialogue, object: (await need(ids.dialogue(scene.id), "audio")).path });
      const available = Math.floor(timings.seconds * fps);
      for (const [k, t] of timings.timings.entries()) {
        const sourceIn = Math.floor(t.start * fps);
        const end = Math.min(available, length, Math.ceil(t.end * fps));
        if (end <= sourceIn) continue;
        const speaker = speakers[k] ?? NARRATOR;
        const clip: AudioClip = { name: `${scene.id} line ${k + 1}`, media: dialogue, available, sourceIn, duration: end - sourceIn, recordIn: at + sourceIn };
        bySpeaker.set(speaker, [...(bySpeaker.get(speaker) ?? []), clip]);
        speech.push({ start: clip.recordIn, end: clip.recordIn + clip.duration });
      }
    }
    const srt = await readFile((await need(ids.subtitles(scene.id), "srt")).path, "utf8");
    for (const c of parseSrt(srt)) cues.push({ start: at + frames(c.start), end: Math.min(at + length, at + frames(c.end)), text: c.text });
    at += length;
  }
  const total = at;
  const audio: AudioTrack[] = [...bySpeaker]
    .sort(([a], [b]) => speakerOrder(view.cast, a) - speakerOrder(view.cast, b))
    .map(([speaker, clips]) => ({
      name: speaker === NARRATOR ? "Narrator" : (view.cast[speaker]?.name ?? speaker),
      kind: "dialogue" as const,
      speaker,
      clips: clips.sort((a, b) => a.recordIn - b.recordIn),
    }));
  const music = await object(view.musicStep, MUSIC_OUTPUT);
  if (music) {
    const name = `${dir}/music.wav`;
    media.push({ name, fitted: { music: music.path, seconds: placed.seconds } });
    audio.push({ name: "Music", kind: "music", clips: [{ name: "music", media: name, available: total, sourceIn: 0, duration: total, recordIn: 0 }], gain: duckingKeys(speech, fps, total) });
  }
  const srt = `${stem}.srt`;
  media.push({ name: srt, object: (await need(episode.final.step, "srt")).path });
  return { name: view.title, stem, fps, width: view.format.width, height: view.format.height, frames: total, video, transitions: [], audio, cues, srt, media };
}

const voiceNumber = (id: string) => Number(id.slice(id.lastIndexOf("/") + 1));

/** Speakers in the order the project lists its cast; the narrator last. */
function speakerOrder(cast: Readonly<Record<string, unknown>>, id: string): number {
  const i = Object.keys(cast).indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}
