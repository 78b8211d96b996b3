/**
 * The media layer: everything that runs ffmpeg. Nothing outside src/media
 * spawns ffmpeg or knows how it is driven.
 */
export type { MediaFailure } from "./failure.js";
export { describeFailure } from "./failure.js";
export { toolPath, findOnPath } from "./ffmpeg-path.js";
export type { MediaRun } from "./run.js";
export { runProcess } from "./run.js";
export type { MediaInfo, StreamInfo, VideoStreamInfo, AudioStreamInfo } from "./probe.js";
export { probe } from "./probe.js";
export type { DecodeKind } from "./decode-check.js";
export { checkDecodes } from "./decode-check.js";
export type { Fonts, FontFile } from "./fonts.js";
export { findFonts, fontFor, fontNotice } from "./fonts.js";
export { wrapText, hasCjk, textWidthEm } from "./text-layout.js";
export type { CardSpec, CardText, CardImage, CardFigure, Rgb } from "./card.js";
export { renderCard } from "./card.js";
export type { CameraMove, PanClipInput } from "./pan.js";
export { cameraMove, panClip, panFilter, frameCount } from "./pan.js";
export type { Pcm } from "./wav.js";
export { encodeWav, decodeWav, silence, pcmSeconds } from "./wav.js";
export type { PadSpec } from "./synth.js";
export { synthPad } from "./synth.js";
export type { LineTiming, DialogueOptions, FitOptions } from "./audio.js";
export { writeWav, toWav, mixDialogue, fitMusic } from "./audio.js";
export type { SubtitleLine, Cue, Subtitles, SubtitleOptions } from "./subtitles.js";
export { writeSubtitles, concatSrt, parseSrt, cuesToSrt } from "./subtitles.js";
export type { CutInput, CutResult, StillMove } from "./cut.js";
export { CUT_TAIL, cutLength, cutScene, stillMovePicture } from "./cut.js";
export { mediaSeconds } from "./seconds.js";
export type { CutLengths, JoinOptions } from "./concat.js";
export { concatCuts, cutLengths } from "./concat.js";
export type { SoundtrackInput } from "./final-mix.js";
export { mixSoundtrack } from "./final-mix.js";
export { integratedLoudness, meanVolume } from "./measure.js";
export type { Size } from "./size.js";
export type { LoudnessProfile } from "./loudness.js";
export { joinProfiles, loudnessFromJson, loudnessJson, mixLoudness } from "./loudness.js";
