/**
 * Which steps a project yields (DESIGN §2), and their layout. Step granularity
 * follows edit granularity: each step's parameters hold exactly what it reads
 * from the project, so one edit dirties the smallest cone. Portraits exist
 * once per project; everything else belongs to one episode.
 */
import type { StepSpec } from "../engine/step.js";
import type { Project } from "../project/project.js";
import { clipLengths, type Backends } from "./backends.js";
import { episodeViews, seriesView } from "./episode.js";
import type { DramaLayout, EpisodeLayout, SceneLayout, ShotLayout } from "./layout.js";
import { planShots, snapUp, type ScenePlan } from "./plan/shots.js";
import { lineFloors, shotsTiming } from "./plan/timing.js";
import { peopleInScene } from "./scene-cast.js";
import { stepId } from "./ids.js";
import { portraitStep } from "./ops/portrait.js";
import { beatOf, lineCount, lineRange, linesStep } from "./ops/lines.js";
import { polishStep } from "./ops/polish.js";
import { keyframeStep } from "./ops/keyframe.js";
import { clipStep, type NativeClip } from "./ops/clip.js";
import { voiceStep } from "./ops/voice.js";
import { DIALOGUE_GAP, dialogueStep } from "./ops/dialogue.js";
import { subtitlesStep } from "./ops/subtitles.js";
import { cutStep, shotCutStep, shotsCutStep } from "./ops/cut.js";
import { musicStep } from "./ops/music.js";
import { finalStep } from "./ops/final.js";
import { soundtrackStep } from "./ops/soundtrack.js";
import { finishingSteps } from "./finishing-steps.js";
import { lineLabels, nativeDialogue, shotDialogue, takesVoiceSamples, type LineSources, type ShotDialogue } from "./shot-dialogue.js";
import { voiceSampleStep } from "./ops/voice-sample.js";
import { nativeDialogueStep } from "./ops/native-dialogue.js";
import { transcribeStep } from "./ops/transcribe.js";
import { cutOfLipsync, lipsyncStep } from "./ops/lipsync.js";
// Registers the ops the steps name, so the executor finds their code.
import "./ops/index.js";

export interface DramaGraph {
  readonly steps: StepSpec[];
  readonly layout: DramaLayout;
}

/** An episode's planned length: its scenes' nominal seconds (dialogue may hold a cut longer; `final` fits the music). */
const lengthOf = (nominal: readonly number[]): number => nominal.reduce((n, s) => n + s, 0);

/**
 * A scene's cut's length before dialogue holds it: a format-1 scene's
 * `seconds` (as its cut always had), a multi-shot scene's shots joined.
 */
function nominalSeconds(scene: { readonly seconds: number }, plan: ScenePlan, fps: number): number {
  return plan.formatOne ? scene.seconds : shotsTiming(plan.shots, fps).seconds;
}

export function dramaSteps(project: Project, backends: Backends): DramaGraph {
  const steps: StepSpec[] = [];
  const portraits = new Map<string, string>();
  const series = seriesView(project);
  const views = episodeViews(project);
  // Every scene's shots, from the file and the video model's allowed lengths alone (plan/shots.ts).
  const lengths = clipLengths(backends);
  const plans = views.map((ep) => ep.scenes.map((scene) => planShots(scene, { lengths, gap: DIALOGUE_GAP })));
  const nominals = views.map((ep, e) => ep.scenes.map((scene, i) => nominalSeconds(scene, plans[e]![i]!, ep.format.fps)));
  let sharedMusic = false;
  // Issue 29: voice samples are series-wide like portraits; line names read the files once per graph.
  const samples = new Map<string, string>();
  const lineSources: LineSources = new Map();
  const sendsSamples = takesVoiceSamples(backends);
  const episodes = views.map((ep, e): EpisodeLayout => {
    const mine: StepSpec[] = [];
    const usedPortraits = new Set<string>();
    const usedSamples = new Set<string>();
    // Continuity: the first scene's lines hear how the previous episode ended.
    const previousEnding = e > 0 ? beatOf(views[e - 1]!.scenes.at(-1)) : undefined;
    const scenes = ep.scenes.map((scene, index): SceneLayout => {
      const cast = peopleInScene(ep, scene);
      for (const castId of cast) {
        usedPortraits.add(castId);
        if (portraits.has(castId)) continue;
        const portrait = portraitStep(series, backends, castId);
        portraits.set(castId, portrait.id);
        steps.push(portrait);
      }
      const plan = plans[e]![index]!;
      const own: StepSpec[] = [];
      let shots: ShotLayout[];
      // How this scene's lines are heard (issue 29): native and lipsync add their steps below, for a
      // one-shot scene; a multi-shot scene's shots are voiced like voice-over for now (shotDialogue says why).
      const talk: ShotDialogue = shotDialogue(project, scene, backends, backends, { formatOne: plan.formatOne });
      const labels = talk.voiced === "voice-over" || !scene.lines ? [] : lineLabels(lineSources, project, project.episodes[e]!, index, scene.lines);
      let native: NativeClip | undefined;
      if (talk.voiced === "native") {
        const speakers = [...new Set(scene.lines!.map((l) => l.speaker))];
        const sampled: Record<string, string> = {};
        for (const castId of sendsSamples ? speakers : []) {
          usedSamples.add(castId);
          let sample = samples.get(castId);
          if (!sample) {
            const step = voiceSampleStep(series, backends, castId);
            samples.set(castId, (sample = step.id));
            steps.push(step);
          }
          sampled[castId] = sample;
        }
        native = { dialogue: nativeDialogue(ep, scene.lines!), samples: sampled };
      }
      let clipId = ep.ids.clip(scene.id);
      if (plan.formatOne) {
        const clip = clipStep(ep, backends, scene, undefined, native);
        clipId = clip.id;
        own.push(keyframeStep(ep, backends, scene, cast), clip);
        const keyframe = { step: ep.ids.keyframe(scene.id), file: ep.paths.keyframe(scene.id) };
        const cut = { step: ep.ids.cut(scene.id), file: ep.paths.cut(scene.id) };
        shots = [
          {
            id: "1",
            index: 1,
            size: "medium",
            on: cast,
            seconds: scene.seconds,
            voices: [],
            transition: "cut",
            keyframe,
            ...(clip.materialize ? { clip: { step: clip.id, file: ep.paths.clip(scene.id) } } : {}),
            cut,
            steps: [keyframe.step, clip.id, cut.step],
            dialogue: talk,
          },
        ];
      } else {
        // Each shot: its keyframe (its cast's portraits, and after the first the first shot's keyframe), clip and cut.
        const first = ep.ids.shot(scene.id, plan.shots[0]!.id).keyframe;
        // Offline, a shot's cut is its still and move, which the scene's cut renders (ops/cut.ts): no file of its own.
        const moves = backends.video.provider.clipsAreMoves === true;
        shots = plan.shots.map((shot, k): ShotLayout => {
          const ids = ep.ids.shot(scene.id, shot.id);
          const paths = ep.paths.shot(scene.id, shot.id);
          const on = shot.on.filter((c) => cast.includes(c));
          const before = k > 0 ? plan.shots[k - 1]! : undefined;
          const previous = shot.start === "previous" && before ? { clip: ep.ids.shot(scene.id, before.id).clip, seconds: before.seconds } : undefined;
          const clip = clipStep(ep, backends, scene, { id: shot.id, action: shot.action, camera: shot.camera, seconds: shot.seconds, ...(previous ? { previous } : {}) });
          own.push(
            keyframeStep(ep, backends, scene, on, { id: shot.id, size: shot.size, action: shot.action, ...(shot.index > 1 ? { continuity: first } : {}) }),
            clip,
            shotCutStep(ep, scene, shot, moves),
          );
          const written = scene.shots?.find((w) => w.id === shot.id);
          return {
            id: shot.id,
            index: shot.index,
            size: shot.size,
            on,
            seconds: shot.seconds,
            voices: shot.lines.map((_, k) => shot.firstLine + k + 1),
            transition: shot.transition,
            keyframe: { step: ids.keyframe, file: paths.keyframe },
            ...(clip.materialize ? { clip: { step: ids.clip, file: paths.clip } } : {}),
            cut: { step: ids.cut, file: paths.cut },
            ...(moves ? { cutIsMove: true as const } : {}),
            steps: [ids.keyframe, ids.clip, ids.cut],
            dialogue: shotDialogue(project, scene, backends, backends, { formatOne: false, ...(written?.dialogue ? { dialogue: written.dialogue } : {}) }),
          };
        });
      }
      let voices: number;
      let generated: SceneLayout["generated"];
      // Generated lines are spoken from the polish when the text provider has a polish model, else from the drafts.
      let spoken = ep.ids.lines(scene.id);
      // Offline there is no writer: a beat-only scene is narrated (the beat read out and captioned), never given stand-in lines.
      const narration = !scene.lines && scene.beat && backends.text.provider.standInLines === true ? scene.beat : undefined;
      if (talk.voiced === "native") {
        // The clip's own sound is the dialogue: no voice steps, a transcription times the subtitles.
        voices = 0;
      } else if (scene.lines) {
        voices = scene.lines.length;
        scene.lines.forEach((line, i) => own.push(voiceStep(ep, backends, scene, i + 1, { written: line })));
      } else if (narration) {
        voices = 1;
        own.push(voiceStep(ep, backends, scene, 1, { narration: { text: narration, seconds: Math.max(1, scene.seconds - DIALOGUE_GAP * 2) } }));
      } else {
        // One voice step per line the lines step may write: the graph is known before the lines are (lines.ts).
        voices = lineRange(scene, cast.length).max;
        const around = { previousBeat: index > 0 ? beatOf(ep.scenes[index - 1]) : previousEnding, nextBeat: beatOf(ep.scenes[index + 1]) };
        own.push(linesStep(ep, backends, scene, around, cast));
        if (backends.polish) {
          own.push(polishStep(ep, backends.polish, scene, cast));
          spoken = ep.ids.polish(scene.id);
        }
        generated = { spoken, drafts: ep.ids.lines(scene.id), count: lineCount(scene, cast.length), standIn: backends.text.provider.standInLines === true };
        for (let n = 1; n <= voices; n++) own.push(voiceStep(ep, backends, scene, n, { generated: { index: n, cast, from: spoken } }));
      }
      const prefix = ep.ids.scene(scene.id);
      let cut = plan.formatOne ? cutStep(ep, scene) : shotsCutStep(ep, scene, plan.shots);
      // What lip sync and transcription are priced by: the clip as the model makes it (snapped up to a length it allows).
      const clipSeconds = snapUp(scene.seconds, lengths ? [...lengths.seconds].sort((a, b) => a - b) : undefined) ?? scene.seconds;
      if (talk.voiced === "native") {
        const texts = scene.lines!.map((l) => l.text);
        const transcript = backends.transcribe
          ? transcribeStep(backends.transcribe, { id: `${prefix}transcribe`, clip: clipId, language: ep.language, lines: texts, seconds: clipSeconds })
          : undefined;
        if (transcript) own.push(transcript);
        own.push(nativeDialogueStep({ id: ep.ids.dialogue(scene.id), clip: clipId, ...(transcript ? { transcript: transcript.id } : {}), lines: texts, labels }));
      } else own.push(dialogueStep(ep, scene, voices, !plan.formatOne && scene.lines ? lineFloors(plan.shots, ep.format.fps) : undefined));
      if (talk.voiced === "lipsync") {
        // Kling's lip sync takes a clip Kling made by its id: when one provider makes both, no upload is needed.
        const byVideoId = backends.lipsync!.name === backends.video.name && backends.video.config.type === "kling";
        const lips = lipsyncStep(backends.lipsync!, { id: `${prefix}lipsync`, clip: clipId, dialogue: ep.ids.dialogue(scene.id), labels, seconds: clipSeconds, byVideoId });
        own.push(lips);
        cut = cutOfLipsync(cut, clipId, lips.id);
      }
      own.push(subtitlesStep(ep, scene, spoken, narration), cut);
      mine.push(...own);
      steps.push(...own);
      // A format-1 scene's one shot shows every voice.
      if (plan.formatOne) shots = [{ ...shots[0]!, voices: Array.from({ length: voices }, (_, i) => i + 1) }];
      const head = shots[0]!;
      return {
        stepPrefix: ep.ids.scene(scene.id).slice(0, -1),
        scene,
        index: index + 1,
        cast,
        steps: own.map((s) => s.id),
        keyframe: head.keyframe,
        ...(plan.formatOne && head.clip ? { clip: head.clip } : {}),
        cut: { step: ep.ids.cut(scene.id), file: ep.paths.cut(scene.id) },
        shots,
        formatOne: plan.formatOne,
        ...(() => {
          // Offline clips are camera moves of any length: nothing to say there.
          const notices = [
            ...(plan.notice && backends.video.provider.clipsAreMoves !== true ? [plan.notice] : []),
            ...plan.problems.map((p) => `scene ${scene.id}, shot ${p.shot}: ${p.seconds} s is longer than the video model's longest clip (${p.longest} s); it is asked at ${p.longest} s (split the shot, or shorten its lines)`),
          ];
          return notices.length ? { notices } : {};
        })(),
        transition: index === 0 ? "cut" : (scene.transition ?? "cut"),
        ...(generated ? { generated } : {}),
        ...(narration ? { narrated: true } : {}),
      };
    });
    const ownMusic = ep.musicStep !== stepId.music();
    if (ownMusic) {
      const music = musicStep(ep.musicStep, ep.music, backends, lengthOf(nominals[e]!));
      mine.push(music);
      steps.push(music);
    } else if (!sharedMusic) {
      // The series' music, laid out where a single-episode project always had it: just before its final.
      sharedMusic = true;
      steps.push(musicStep(stepId.music(), project.music, backends, Math.max(...nominals.map(lengthOf))));
    }
    const soundtrack = soundtrackStep(ep, nominals[e]!);
    const final = finalStep(ep);
    const finishing = finishingSteps(ep);
    mine.push(soundtrack, final, ...finishing.steps);
    steps.push(soundtrack, final, ...finishing.steps);
    const own = mine.map((s) => s.id);
    return {
      view: ep,
      scenes,
      final: { step: final.id, file: ep.output.video, srt: ep.output.srt },
      music: ep.musicStep,
      cone: [...[...usedPortraits].map(stepId.portrait), ...[...usedSamples].map((c) => samples.get(c)!), ...(ownMusic ? [] : [ep.musicStep]), ...own],
      own,
      ...(finishing.cover ? { cover: finishing.cover } : {}),
      ...(finishing.deliveries.length > 0 ? { deliveries: finishing.deliveries } : {}),
    };
  });
  return {
    steps,
    layout: { series: project.series, title: project.title, slug: project.slug, language: project.language, portraits, episodes },
  };
}
