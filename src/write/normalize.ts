/**
 * A draft (from the text model, the offline outline or an imported
 * screenplay) made into project entries: ids a person would type ("Scene 1"
 * -> scene-1, "Grandpa Wang" -> grandpa-wang), speakers resolved to cast
 * keys, voices for the project's providers, and every entry checked with the
 * same zod schema as a hand-written drama.yaml. What cannot be made valid is
 * a reason, sent back to the model once or shown to the user.
 */
import { castMemberSchema, ID_PATTERN, sceneSchema } from "../project/schema.js";
import { kebab } from "../project/slug.js";
import { espeakLanguage } from "../providers/offline/voice.js";
import type { ScriptDraft } from "../providers/types.js";
import type { Result } from "../result.js";
import { err, ok } from "../result.js";

/** A cast member or scene as it is written in drama.yaml (input form: lines as `- speaker: text`). */
export type CastEntry = { name: string; look: string; voice: Record<string, string> };
export type SceneEntry = Record<string, unknown> & { id: string };

export interface Normalized {
  /** New cast members only, by key, in the draft's order. */
  readonly cast: Readonly<Record<string, CastEntry>>;
  readonly scenes: readonly SceneEntry[];
  /** Things smoothed over (an unknown name in a scene's cast dropped), for the report. */
  readonly notes: readonly string[];
}

export interface NormalizeContext {
  /** Cast already in the project: key -> display name. A draft naming them reuses them. */
  readonly existingCast: Readonly<Record<string, { readonly name: string }>>;
  /** Scene ids already in the file that stay (not replaced): new ids avoid them. */
  readonly takenSceneIds: readonly string[];
  readonly language: string;
  /** The speech provider's name when it is not offline: new cast gets a voice for it too. */
  readonly speechProvider?: string | undefined;
  /** When set, exactly this many scenes are wanted. */
  readonly scenes?: number | undefined;
  /** Planned length of a scene, used when the draft's is missing or far off. */
  readonly secondsPerScene: number;
  /** Whose scene length wins: the plan's, the draft's when near the plan (a model's), or the draft's (an import's, from its words). */
  readonly seconds: "plan" | "near-plan" | "draft";
}

const CLOUD_VOICES = { female: ["nova", "shimmer", "coral", "sage"], male: ["onyx", "echo", "ash", "fable"], neutral: ["alloy", "ballad"] } as const;
const ESPEAK_VARIANTS = { female: ["f1", "f2", "f3", "f4"], male: ["m1", "m3", "m2", "m4"], neutral: ["m7", "f5"] } as const;

/** A valid id from what a model or a screenplay calls something; `fallback` when nothing ASCII is left (a Chinese name). */
export function toId(text: string, fallback: string): string {
  const id = kebab(text);
  return id && ID_PATTERN.test(id) ? id : fallback;
}

function unique(id: string, taken: Set<string>): string {
  let candidate = id;
  for (let n = 2; taken.has(candidate); n++) candidate = `${id}-${n}`;
  taken.add(candidate);
  return candidate;
}

const fold = (s: string) => s.normalize("NFKC").trim().toLowerCase();

function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join(".") || "(value)"}: ${issue.message}` : "invalid";
}

/** A scene count close enough to the one asked for to keep: at least one scene, off by at most a quarter (one for small counts). */
export function nearCount(got: number, wanted: number): boolean {
  return got >= 1 && Math.abs(got - wanted) <= Math.max(1, Math.floor(wanted / 4));
}

export function normalizeDraft(draft: ScriptDraft, ctx: NormalizeContext): Result<Normalized, string> {
  const notes: string[] = [];
  const keys = new Set(Object.keys(ctx.existingCast));
  /** Every way the draft may refer to someone (its id, its name, the key) -> the cast key. */
  const refs = new Map<string, string>();
  for (const [key, member] of Object.entries(ctx.existingCast)) {
    refs.set(fold(key), key);
    refs.set(fold(member.name), key);
  }
  const cast: Record<string, CastEntry> = {};
  const counts = { female: 0, male: 0, neutral: 0 };
  draft.cast.forEach((member, i) => {
    const known = refs.get(fold(member.id)) ?? refs.get(fold(member.name)) ?? refs.get(toId(member.id, "\0"));
    if (known) return;
    const key = unique(toId(member.id, "") || toId(member.name, `person-${i + 1}`), keys);
    refs.set(fold(member.id), key);
    refs.set(fold(member.name), key);
    refs.set(key, key);
    const n = counts[member.gender]++;
    const voice: Record<string, string> = {};
    if (ctx.speechProvider) voice[ctx.speechProvider] = CLOUD_VOICES[member.gender][n % CLOUD_VOICES[member.gender].length]!;
    voice.offline = `${espeakLanguage(ctx.language)}+${ESPEAK_VARIANTS[member.gender][n % ESPEAK_VARIANTS[member.gender].length]}`;
    if (member.voice_style.trim()) voice.style = member.voice_style.trim();
    cast[key] = { name: member.name.trim() || key, look: member.look.trim(), voice };
  });
  for (const [key, entry] of Object.entries(cast)) {
    const checked = castMemberSchema.safeParse(entry);
    if (!checked.success) return err(`cast member ${key}: ${firstIssue(checked.error)}`);
  }

  if (ctx.scenes !== undefined && draft.scenes.length !== ctx.scenes) {
    // A paid answer one or two scenes off is still a drama: kept, with a warning. Far off, it is sent back once.
    if (!nearCount(draft.scenes.length, ctx.scenes)) return err(`${draft.scenes.length} scenes where ${ctx.scenes} were asked for`);
    notes.push(`asked for ${ctx.scenes} scene${ctx.scenes === 1 ? "" : "s"}, the model wrote ${draft.scenes.length}: kept as written (add or delete scenes by hand)`);
  }
  const sceneIds = new Set(ctx.takenSceneIds);
  const resolve = (name: string) => refs.get(fold(name)) ?? refs.get(toId(name, "\0"));
  const scenes: SceneEntry[] = [];
  for (const [i, scene] of draft.scenes.entries()) {
    const id = unique(toId(scene.id, "") || toId(scene.beat.split(/\s+/).slice(0, 4).join(" "), `scene-${i + 1}`), sceneIds);
    const lines: Record<string, string>[] = [];
    for (const line of scene.lines) {
      const text = line.text.trim();
      if (!text) continue;
      const speaker = resolve(line.speaker);
      if (!speaker) return err(`scene ${i + 1} (${id}): speaker '${line.speaker}' is not in the cast (${[...keys].join(", ") || "none"}); every speaker must be a cast member`);
      lines.push({ [speaker]: text });
    }
    const members: string[] = [];
    for (const name of scene.cast) {
      const key = resolve(name);
      if (key) {
        if (!members.includes(key)) members.push(key);
      } else notes.push(`scene ${id}: '${name}' is not in the cast; left out of the scene's cast`);
    }
    for (const line of lines) for (const speaker of Object.keys(line)) if (!members.includes(speaker)) members.push(speaker);
    // A model's own length is kept when it is near the plan (a longer climax, a short hook); far off, the plan wins so the drama fits --minutes.
    const planned = ctx.secondsPerScene;
    const near = Number.isFinite(scene.seconds) && scene.seconds >= Math.max(1, planned / 2) && scene.seconds <= Math.min(60, planned * 2);
    const valid = Number.isFinite(scene.seconds) && scene.seconds >= 1 && scene.seconds <= 60;
    const seconds = (ctx.seconds === "near-plan" && near) || (ctx.seconds === "draft" && valid) ? Math.round(scene.seconds * 10) / 10 : planned;
    const entry: SceneEntry = { id };
    if (scene.setting.trim()) entry.setting = scene.setting.trim();
    if (members.length) entry.cast = members;
    if (scene.action.trim()) entry.action = scene.action.trim();
    if (scene.camera.trim()) entry.camera = scene.camera.trim();
    entry.seconds = seconds;
    if (scene.beat.trim()) entry.beat = scene.beat.trim();
    if (lines.length) entry.lines = lines;
    if (!entry.beat && !entry.lines) return err(`scene ${i + 1} (${id}) has neither a beat nor lines`);
    const checked = sceneSchema.safeParse(entry);
    if (!checked.success) return err(`scene ${i + 1} (${id}): ${firstIssue(checked.error)}`);
    scenes.push(entry);
  }
  return ok({ cast, scenes, notes });
}
