/**
 * The drama's ops, registered with the engine's op registry (engine/ops.ts)
 * when this module is imported: by the graph builder, and by any process that
 * runs jobs (a worker, the round-trip test) with no project at all.
 */
import { registerOp } from "../../engine/ops.js";
import { clipOp, keyframeOp, musicOp, portraitOp } from "./media.js";
import { linesOp, polishOp, voiceOp } from "./text.js";
import { referenceOp } from "./reference.js";
import { dialogueOp } from "./dialogue.js";
import { subtitlesOp } from "./subtitles.js";
import { cutOp } from "./cut.js";
import { soundtrackOp } from "./soundtrack.js";
import { finalOp } from "./final.js";

for (const op of [portraitOp, keyframeOp, clipOp, musicOp, linesOp, polishOp, voiceOp, referenceOp, dialogueOp, subtitlesOp, cutOp, soundtrackOp, finalOp]) registerOp(op);
