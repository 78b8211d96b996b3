/**
 * The drama's ops, registered with the engine's op registry (engine/ops.ts)
 * when this module is imported: by the graph builder, and by any process that
 * runs jobs (a worker, the round-trip test) with no project at all. One module
 * per op: its step builder, params and args types, run, output names and
 * reader, and failure kinds.
 */
import { registerOp } from "../../engine/ops.js";
import { portraitOp } from "./portrait.js";
import { keyframeOp } from "./keyframe.js";
import { clipOp } from "./clip.js";
import { musicOp } from "./music.js";
import { linesOp } from "./lines.js";
import { polishOp } from "./polish.js";
import { voiceOp } from "./voice.js";
import { referenceOp } from "./reference.js";
import { dialogueOp } from "./dialogue.js";
import { subtitlesOp } from "./subtitles.js";
import { cutOp, shotMoveOp, shotsCutOp } from "./cut.js";
import { soundtrackOp } from "./soundtrack.js";
import { finalOp } from "./final.js";
import { cardOp } from "./card.js";
import { coverOp } from "./cover.js";
import { deliverOp } from "./deliver.js";
import { lipsyncOp } from "./lipsync.js";
import { transcribeOp } from "./transcribe.js";
import { nativeDialogueOp } from "./native-dialogue.js";

/** Every op the drama's graphs name. */
export const DRAMA_OPS = [portraitOp, keyframeOp, clipOp, musicOp, linesOp, polishOp, voiceOp, referenceOp, dialogueOp, subtitlesOp, cutOp, shotsCutOp, soundtrackOp, finalOp, cardOp, coverOp, deliverOp, lipsyncOp, transcribeOp, nativeDialogueOp, shotMoveOp] as const;

for (const op of DRAMA_OPS) registerOp(op);
