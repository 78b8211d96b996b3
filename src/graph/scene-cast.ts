/** A scene's cast as providers see it: names, looks and the voice for one provider. */
import type { ResolvedScene } from "../project/project.js";
import type { CastMember } from "../project/schema.js";
import type { CastMemberRef, SpeakerRef } from "../providers/types.js";

/** Whoever can appear: a project, or one episode of a series (the series' cast plus its additions). */
export interface Casting {
  readonly cast: Readonly<Record<string, CastMember>>;
}

/** Who is in a scene's pictures and lines: its cast, or for a beat-only scene without one, the whole cast (project.ts's sceneCast is the cast as written or its speakers). */
export function peopleInScene(casting: Casting, scene: ResolvedScene): string[] {
  return scene.cast.length > 0 ? scene.cast : Object.keys(casting.cast);
}

export function castRefs(casting: Casting, ids: readonly string[], providerName: string): CastMemberRef[] {
  return ids.map((id) => {
    const member = casting.cast[id]!;
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
export function speakerRefs(casting: Casting, ids: readonly string[], providerName: string): SpeakerRef[] {
  return castRefs(casting, ids, providerName).map(({ id, voice, voiceStyle }) => ({ id, ...(voice ? { voice } : {}), ...(voiceStyle ? { voiceStyle } : {}) }));
}
