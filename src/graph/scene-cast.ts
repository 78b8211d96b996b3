/** A scene's cast as providers see it: names, looks and the voice for one provider. */
import type { Project, ResolvedScene } from "../project/project.js";
import type { CastMemberRef, SpeakerRef } from "../providers/types.js";

/** Who is in a scene: its cast, or for a beat-only scene without one, the whole cast. */
export function sceneCast(project: Project, scene: ResolvedScene): string[] {
  return scene.cast.length > 0 ? scene.cast : Object.keys(project.cast);
}

export function castRefs(project: Project, ids: readonly string[], providerName: string): CastMemberRef[] {
  return ids.map((id) => {
    const member = project.cast[id]!;
    const voice = member.voice[providerName];
    return {
      id,
      name: member.name,
      look: member.look,
      ...(typeof voice === "string" ? { voice } : {}),
      ...(member.voice.style ? { voiceStyle: member.voice.style } : {}),
    };
  });
}

/** The same people as speakers: what a voice depends on, and nothing else. */
export function speakerRefs(project: Project, ids: readonly string[], providerName: string): SpeakerRef[] {
  return castRefs(project, ids, providerName).map(({ id, voice, voiceStyle }) => ({ id, ...(voice ? { voice } : {}), ...(voiceStyle ? { voiceStyle } : {}) }));
}
