/**
 * Native dialogue in a clip's prompt (issue 29): each line as its speaker
 * (name and a few words of look, so the model knows whose mouth moves), the
 * voice's style and language, and the words in double quotes, in the form
 * the vendor's prompt guide documents:
 *  - `says`: Veo's and Seedance's guides: a lead-in verb and the line in
 *    quotes, `Grandpa (old man, blue jacket), warm and slow, says in
 *    English: "Wei? You are not coming home?"`;
 *  - `bracket`: Kling 2.6's sound guide: a bracketed speaker tag before
 *    the quoted line, `[Grandpa, old man, blue jacket, warm and slow,
 *    English]: "Wei? ..."`.
 * The prompt ends by asking for no music and no captions: music is the
 * build's own, ducked under this dialogue, and subtitles are drawn from the
 * script.
 */
import type { NativeDialogue } from "../types.js";

export type DialogueForm = "says" | "bracket";

const LANGUAGES: Record<string, string> = {
  en: "English", zh: "Mandarin Chinese", ja: "Japanese", ko: "Korean", es: "Spanish", fr: "French", de: "German", it: "Italian", pt: "Portuguese", ru: "Russian", ar: "Arabic", hi: "Hindi", id: "Indonesian", th: "Thai", vi: "Vietnamese", tr: "Turkish", pl: "Polish", nl: "Dutch",
};

/** The language's English name for a prompt (`zh-CN` -> Mandarin Chinese); the tag itself when unknown. */
export function languageName(tag: string): string {
  return LANGUAGES[tag.split("-")[0]!.toLowerCase()] ?? tag;
}

/** At most this many words of look: enough to pick the speaker out, short enough not to redirect the picture. */
const LOOK_WORDS = 8;

function shortLook(look: string): string {
  const words = look.split(/\s+/).filter(Boolean);
  return words.length <= LOOK_WORDS ? look.trim() : `${words.slice(0, LOOK_WORDS).join(" ").replace(/[,;]$/, "")}`;
}

/** A line's quoted words: inner double quotes become single, so the quote is never closed early. */
const quoted = (text: string) => `"${text.replace(/["“”]/g, "'").trim()}"`;

export function dialoguePrompt(base: string, dialogue: NativeDialogue, form: DialogueForm): string {
  const language = languageName(dialogue.language);
  const lines = dialogue.lines.map((l) => {
    const look = shortLook(l.look);
    if (form === "bracket") return `[${[l.name, look, l.style, language].filter(Boolean).join(", ")}]: ${quoted(l.text)}`;
    return `${l.name} (${look})${l.style ? `, ${l.style},` : ""} says in ${language}: ${quoted(l.text)}`;
  });
  return `${base} Dialogue, in this order: ${lines.join(" ")} Only these words are spoken. No music, no subtitles or captions.`;
}
