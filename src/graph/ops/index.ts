/**
 * The drama's ops, registered with the engine's op registry (engine/ops.ts)
 * when this module is imported: by the graph builder, and by any process that
 * runs jobs (a worker, the round-trip test) with no project at all.
 */
import { registerOp } from "../../engine/ops.js";
import { clipOp, keyframeOp, musicOp, portraitOp } from "./media.js";
import { linesOp, polishOp, voiceOp } from "./text.js";

for (const op of [portraitOp, keyframeOp, clipOp, musicOp, linesOp, polishOp, voiceOp]) registerOp(op);
