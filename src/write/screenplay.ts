/**
 * A screenplay as dramake scenes. Fountain (the plain-text screenplay
 * standard) is parsed by `fountain-js`, which handles the spec's corners
 * (title page, forced headings and cues, dual dialogue, parentheticals,
 * transitions, notes, boneyard); plain text with `NAME: line` dialogue is read
 * here. Both give a ScriptDraft, normalized like a model's, and a list of
 * what had no place in drama.yaml, each with its line.
 */
import { Fountain, type Token } from "fountain-js";
import { DIALOGUE_GAP } from "../graph/ops/dialogue.js";
import { spokenSeconds } from "../providers/offline/voice.js";
import type { ScriptDraft } from "../providers/types.js";
import { narratedSeconds } from "./outline.js";

export interface Unmapped {
  readonly line: number;
  readonly what: string;
}

export interface Screenplay {
  readonly title: string | undefined;
  /** Scenes timed by their spoken words (150 a minute) plus a moment for the action. */
  readonly draft: ScriptDraft;
  readonly unmapped: readonly Unmapped[];
}

type DraftScene = { id: string; setting: string; cast: string[]; action: string; camera: string; seconds: number; beat: string; lines: { speaker: string; text: string }[]; line?: number };
type Gender = "female" | "male" | "neutral";

const WORDS_PER_SECOND = 150 / 60;

/** Time words in a heading that say how scenes join, not when or where they happen ("EXT. DOORWAY - CONTINUOUS"). */
const CONTINUITY = /^(?:continuous|cont'?d|continued|same|same time|moments later)$/i;

/** A heading without its continuity words: "EXT. DOORWAY - CONTINUOUS" -> "EXT. DOORWAY". */
function withoutContinuity(heading: string): string {
  const parts = heading.split(/\s+-\s+/);
  const kept = parts.filter((p, i) => i === 0 || !CONTINUITY.test(p.trim()));
  return kept.join(" - ");
}

/** "INT. KITCHEN - NIGHT" -> "kitchen, night (interior)". */
export function settingOf(full: string): string {
  const heading = withoutContinuity(full);
  const m = /^(INT\.?\/EXT\.?|EXT\.?\/INT\.?|I\/E\.?|INT\.?|EXT\.?|EST\.?)\s+/i.exec(heading);
  const where = (m ? heading.slice(m[0].length) : heading).replace(/\s+-\s+/g, ", ").trim();
  const place = where.toLowerCase();
  if (!m) return place;
  const kind = m[1]!.toUpperCase();
  const inside = kind.startsWith("INT") && !kind.includes("/") ? "interior" : kind.startsWith("EXT") && !kind.includes("/") ? "exterior" : kind.startsWith("EST") ? "establishing" : "interior and exterior";
  return `${place} (${inside})`;
}

/** A character cue as a name: extensions ((V.O.), (CONT'D)), the dual-dialogue caret and the forcing @ removed; "ANN" -> "Ann". */
export function speakerName(cue: string): string {
  const bare = cue.replace(/^@/, "").replace(/\s*\^\s*$/, "").replace(/\s*\([^)]*\)/g, "").trim();
  // All caps is a cue's convention, not the name's spelling; a mixed-case cue (@McClane) is kept.
  return bare === bare.toUpperCase() ? bare.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase()) : bare;
}

/** Emphasis markers (*italic*, **bold**, _underline_) and escapes are formatting, not words to speak. */
function plain(text: string): string {
  return text.replace(/\\([*_])/g, "$1").replace(/(\*{1,3}|_)(?=\S)([\s\S]*?\S)\1/g, "$2").replace(/\s+/g, " ").trim();
}

/**
 * A scene's length from what is said in it, line by line: each line at least
 * as long as the offline voice takes (a one-word line still takes most of a
 * second) and as 150 words a minute, plus the pause before, between and after
 * the lines; rounded up to half a second. A narrated scene is as long as its
 * beat takes to read. (The words-per-minute sum of the whole scene plus 1.5 s
 * ran short: three one-word lines were planned 3 s and ran 3.8 s.)
 */
function secondsFor(scene: DraftScene): number {
  if (!scene.lines.length) return narratedSeconds(scene.beat, 60);
  const spoken = scene.lines.reduce((sum, l) => {
    const words = l.text.split(/\s+/).filter(Boolean).length + [...l.text].filter((c) => /\p{Script=Han}/u.test(c)).length / 2;
    return sum + Math.max(spokenSeconds(l.text), words / WORDS_PER_SECOND);
  }, 0);
  return Math.min(60, Math.max(3, Math.ceil((spoken + DIALOGUE_GAP * (scene.lines.length + 1)) * 2) / 2));
}

const FEMALE = /\b(?:woman|women|girl|lady|she|her|hers|herself|mother|mom|mum|grandmother|grandma|granny|daughter|wife|sister|aunt|niece|bride|widow|queen|princess|actress|waitress|female|miss|mrs|ms|madam)\b|[女妈婆姐妹娘姨妻奶]/i;
const MALE = /\b(?:man|men|boy|guy|gentleman|he|him|his|himself|father|dad|grandfather|grandpa|son|husband|brother|uncle|nephew|groom|widower|king|prince|male|mr|sir)\b|[男爸爷哥弟叔伯夫]/i;

/**
 * The gender a screenplay states for a character, for a voice that fits: a
 * title in the name (Mr., Mrs.), else words of the name and introduction
 * ("22, a young woman"), else the pronouns of the sentence ("looks for her keys").
 */
function genderOf(...texts: string[]): Gender {
  for (const text of texts) {
    const words = text.split(/[\s,.;:!?'"()-]+/).filter(Boolean);
    const female = words.filter((w) => FEMALE.test(w)).length;
    const male = words.filter((w) => MALE.test(w)).length;
    if (female !== male) return female > male ? "female" : "male";
  }
  return "neutral";
}

/** Line numbers for tokens, found by their text from a moving cursor (fountain-js gives none). */
function lineFinder(source: string): (text: string | undefined) => number {
  let cursor = 0;
  const starts: number[] = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === "\n") starts.push(i + 1);
  const lineAt = (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return (text) => {
    const probe = text?.split("\n")[0]?.trim();
    if (!probe) return lineAt(cursor);
    const at = source.indexOf(probe, cursor);
    if (at < 0) return lineAt(cursor);
    cursor = at + probe.length;
    return lineAt(at);
  };
}

/**
 * Names introduced in CAPS in action, by the usual convention "ANN, 30s, red
 * coat over her arm, looks for her keys.": what lies between the name and the
 * last clause (the action) becomes their look.
 */
function introductions(action: string, looks: Map<string, string>, genders: Map<string, Gender>): void {
  // A title's period ends no sentence: "MR. LIN, 50s, ..." is one introduction.
  for (const sentence of action.split(/(?<!\b(?:mr|mrs|ms|dr|st|jr|sr|prof|capt|sgt|lt|col|gen|rev|det|insp|mt)\.)(?<=[.!?])\s+/i)) {
    const parts = sentence.replace(/[.!?]$/, "").split(/,\s*/);
    const m = /^(?:.*?\s)??([A-Z][A-Z'.-]*(?: [A-Z][A-Z'.-]*)*)$/.exec(parts[0]!.trim());
    if (!m || parts.length < 2 || !/[A-Z]{2}/.test(m[1]!)) continue;
    const name = speakerName(m[1]!);
    const look = parts.slice(1, parts.length >= 3 ? -1 : undefined).map(plain).join(", ");
    if (look && !looks.has(name)) looks.set(name, look);
    if (!genders.has(name)) genders.set(name, genderOf(name, look, parts.slice(1).join(" ")));
  }
}

function finish(all: DraftScene[], speakers: ReadonlySet<string>, looks: Map<string, string>, genders: Map<string, Gender>, unmapped: Unmapped[], firstLine: (name: string) => number): ScriptDraft {
  const scenes: DraftScene[] = [];
  for (const scene of all) {
    // A heading with nothing under it is no scene: narrating its setting was a scene reading "ferry terminal, later (interior)" aloud.
    if (!scene.lines.length && !scene.action && !scene.beat) {
      unmapped.push({ line: scene.line ?? 1, what: `scene heading ${scene.id} has no action or dialogue under it: left out (write what happens there to keep it)` });
      continue;
    }
    if (!scene.beat && !scene.lines.length) scene.beat = scene.action;
    scene.seconds = secondsFor(scene);
    delete scene.line;
    scenes.push(scene);
  }
  const cast = [...speakers].map((name) => {
    const look = looks.get(name);
    if (!look) unmapped.push({ line: firstLine(name), what: `no description of ${name} to use as a look; "${name}" is the look for now (edit cast.<id>.look)` });
    return { id: name, name, look: look ?? name, gender: genders.get(name) ?? genderOf(name), voice_style: "" };
  });
  return { cast, scenes };
}

export function parseFountain(source: string): Screenplay {
  const text = source.replace(/\r\n?/g, "\n");
  const unmapped: Unmapped[] = [];
  const lineOf = lineFinder(text);
  // The parser drops the boneyard (/* ... */) silently; say so.
  for (const m of text.matchAll(/\/\*[\s\S]*?\*\//g)) {
    const line = text.slice(0, m.index).split("\n").length;
    unmapped.push({ line, what: "boneyard (/* ... */): left out, as Fountain means" });
  }
  const parsed = new Fountain().parse(text, true);
  const scenes: DraftScene[] = [];
  const speakers = new Set<string>();
  const looks = new Map<string, string>();
  const genders = new Map<string, Gender>();
  const firstLines = new Map<string, number>();
  let scene: DraftScene | undefined;
  let speaker: string | undefined;
  const current = (line: number): DraftScene => {
    if (!scene) {
      scene = { id: "opening", setting: "", cast: [], action: "", camera: "", seconds: 0, beat: "", lines: [] };
      scenes.push(scene);
      unmapped.push({ line, what: "text before the first scene heading: made a scene 'opening'" });
    }
    return scene;
  };
  for (const token of parsed.tokens as Token[]) {
    const line = lineOf(token.text);
    switch (token.type) {
      case "scene_heading":
        scene = { id: withoutContinuity(token.text ?? "") || `scene-${scenes.length + 1}`, setting: settingOf(token.text ?? ""), cast: [], action: "", camera: "", seconds: 0, beat: "", lines: [], line };
        scenes.push(scene);
        break;
      case "action": {
        const s = current(line);
        const words = plain(token.text ?? "");
        introductions(token.text ?? "", looks, genders);
        s.action = s.action ? `${s.action} ${words}` : words;
        break;
      }
      case "character":
        speaker = speakerName(token.text ?? "");
        if (!speakers.has(speaker)) {
          speakers.add(speaker);
          firstLines.set(speaker, line);
        }
        break;
      case "dialogue": {
        const s = current(line);
        const said = plain(token.text ?? "");
        if (speaker && said) {
          s.lines.push({ speaker, text: said });
          if (!s.cast.includes(speaker)) s.cast.push(speaker);
        }
        break;
      }
      case "parenthetical":
        unmapped.push({ line, what: `parenthetical ${token.text}: not spoken; put it in the scene's action if it matters` });
        break;
      case "dual_dialogue_begin":
        unmapped.push({ line: lineOf(undefined) + 1, what: "dual dialogue: the two speeches are spoken one after the other" });
        break;
      case "transition":
        unmapped.push({ line, what: `transition ${token.text}: dramake cuts straight from scene to scene` });
        break;
      case "synopsis":
        if (scene) scene.beat = plain(token.text ?? "");
        else unmapped.push({ line, what: `synopsis before the first scene: ${token.text}` });
        break;
      case "note":
        unmapped.push({ line, what: `note [[${token.text}]]: a writer's note, left out` });
        break;
      case "lyrics":
      case "centered":
        unmapped.push({ line, what: `${token.type === "lyrics" ? "lyrics" : "centered text"} "${(token.text ?? "").replace(/~$/, "")}": left out` });
        break;
      case "section":
        unmapped.push({ line, what: `section "${token.text}": sections are not scenes; left out` });
        break;
      case "dialogue_begin":
      case "dialogue_end":
      case "dual_dialogue_end":
      case "page_break":
        break;
      default:
        if (!token.is_title) unmapped.push({ line, what: `${token.type}: left out` });
    }
  }
  const title = parsed.title ? plain(parsed.title) : undefined;
  const draft = finish(scenes, speakers, looks, genders, unmapped, (n) => firstLines.get(n) ?? 1);
  return { title, draft, unmapped: unmapped.sort((a, b) => a.line - b.line) };
}

const HEADING = /^(INT\.?|EXT\.?|INT\.?\/EXT\.?|I\/E\.?|EST\.?)\s+\S/i;
const SCENE_LINE = /^(?:scene\s+\d+\b|#+\s)/i;
const DIALOGUE = /^([\p{Lu}\p{Lo}][\p{L}\p{N} .'-]{0,30}?)\s*(?:\(([^)]*)\))?\s*[:：]\s*(\S.*)$/u;

/** Plain text: `NAME: line` (or `NAME (quietly): line`) is dialogue; a heading or "Scene 2" starts a scene; anything else is action. */
export function parsePlainScript(source: string): Screenplay {
  const unmapped: Unmapped[] = [];
  const scenes: DraftScene[] = [];
  const speakers = new Set<string>();
  const firstLines = new Map<string, number>();
  const looks = new Map<string, string>();
  const genders = new Map<string, Gender>();
  let scene: DraftScene | undefined;
  const start = (heading: string, line: number): DraftScene => {
    const s: DraftScene = { id: withoutContinuity(heading) || `scene-${scenes.length + 1}`, setting: HEADING.test(heading) ? settingOf(heading) : "", cast: [], action: "", camera: "", seconds: 0, beat: "", lines: [], line };
    scenes.push(s);
    return s;
  };
  source.replace(/\r\n?/g, "\n").split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    if (HEADING.test(line) || SCENE_LINE.test(line)) {
      scene = start(line.replace(/^#+\s*/, ""), i + 1);
      return;
    }
    const m = DIALOGUE.exec(line);
    scene ??= start("scene-1", i + 1);
    if (m) {
      const name = speakerName(m[1]!);
      if (!speakers.has(name)) {
        speakers.add(name);
        firstLines.set(name, i + 1);
      }
      if (m[2]) unmapped.push({ line: i + 1, what: `(${m[2]}): not spoken; put it in the scene's action if it matters` });
      scene.lines.push({ speaker: name, text: plain(m[3]!) });
      if (!scene.cast.includes(name)) scene.cast.push(name);
    } else {
      introductions(line, looks, genders);
      scene.action = scene.action ? `${scene.action} ${plain(line)}` : plain(line);
    }
  });
  const draft = finish(scenes, speakers, looks, genders, unmapped, (n) => firstLines.get(n) ?? 1);
  return { title: undefined, draft, unmapped: unmapped.sort((a, b) => a.line - b.line) };
}

/** Fountain by extension, or by a scene heading or character cue in the text; else `NAME: line` text. */
export function parseScreenplay(file: string, source: string): Screenplay {
  if (/\.(fountain|spmd)$/i.test(file)) return parseFountain(source);
  const lines = source.split(/\r?\n/);
  const colonLines = lines.filter((l) => DIALOGUE.test(l.trim())).length;
  const headings = lines.filter((l) => HEADING.test(l.trim())).length;
  return colonLines > 0 && colonLines >= headings ? parsePlainScript(source) : parseFountain(source);
}
