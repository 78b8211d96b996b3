/**
 * Which steps a project yields (DESIGN §2). Step granularity follows edit
 * granularity: each step's parameters hold exactly what it reads from the
 * project, so one edit dirties the smallest cone.
 */
import type { StepSpec } from "../engine/step.js";
import type { Project } from "../project/project.js";
import type { Backends } from "./backends.js";
import { sceneCast } from "./scene-cast.js";
import { portraitStep } from "./steps/portrait.js";
import { lineCount, linesStep } from "./steps/lines.js";
import { polishStep } from "./steps/polish.js";
import { stepId } from "./ids.js";
import { keyframeStep } from "./steps/keyframe.js";
import { clipStep } from "./steps/clip.js";
import { voiceStep } from "./steps/voice.js";
import { dialogueStep } from "./steps/dialogue.js";
import { subtitlesStep } from "./steps/subtitles.js";
import { cutStep } from "./steps/cut.js";
import { musicStep } from "./steps/music.js";
import { finalStep } from "./steps/final.js";

export function dramaSteps(project: Project, backends: Backends): StepSpec[] {
  const steps: StepSpec[] = [];
  const portrayed = new Set<string>();
  project.scenes.forEach((scene, index) => {
    const cast = sceneCast(project, scene);
    for (const castId of cast) {
      if (portrayed.has(castId)) continue;
      portrayed.add(castId);
      steps.push(portraitStep(project, backends, castId));
    }
    steps.push(keyframeStep(project, backends, scene, cast), clipStep(project, backends, scene));
    let voices: number;
    // Generated lines are spoken from the polish when the text provider has a polish model, else from the drafts.
    let spoken = stepId.lines(scene.id);
    if (scene.lines) {
      voices = scene.lines.length;
      scene.lines.forEach((line, i) => steps.push(voiceStep(project, backends, scene, i + 1, { written: line })));
    } else {
      voices = lineCount(scene, cast.length);
      steps.push(linesStep(project, backends, index, cast));
      if (backends.polish) {
        steps.push(polishStep(project, backends.polish, index, cast));
        spoken = stepId.polish(scene.id);
      }
      for (let n = 1; n <= voices; n++) steps.push(voiceStep(project, backends, scene, n, { generated: { index: n, cast, from: spoken } }));
    }
    steps.push(dialogueStep(scene, voices), subtitlesStep(project, scene, spoken), cutStep(project, scene));
  });
  steps.push(musicStep(project, backends), finalStep(project));
  return steps;
}
