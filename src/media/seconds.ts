/**
 * How long a media file is, from its header when it is one we write (a WAV
 * the dialogue step made, an MP4 a cut or the final made) and from ffprobe
 * otherwise. A build asks it of every dialogue and the storyboard of every
 * cut and episode: a process each was a good part of a build's tail.
 */
import { open } from "node:fs/promises";
import { err, ok, type Result } from "../result.js";
import type { MediaFailure } from "./failure.js";
import { mp4SecondsOf } from "./mp4-duration.js";
import { probe } from "./probe.js";
import { wavSeconds } from "./wav.js";

/** Enough of a WAV for its fmt and data chunk headers. */
const WAV_HEAD = 4096;

/**
 * Seconds of `file`: a WAV's from its header, an MP4's video track from its
 * boxes (mp4-duration.ts), anything else ffprobe's duration.
 */
export async function mediaSeconds(file: string, signal: AbortSignal): Promise<Result<number, MediaFailure>> {
  let seconds: number | undefined;
  try {
    // One open and one stat for both header readers.
    const handle = await open(file, "r");
    try {
      const { size } = await handle.stat();
      const head = new Uint8Array(WAV_HEAD);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      seconds = wavSeconds(head.subarray(0, bytesRead), size) ?? (await mp4SecondsOf(handle, size));
    } finally {
      await handle.close();
    }
  } catch (e) {
    return err({ kind: "io", path: file, message: (e as Error).message });
  }
  if (seconds !== undefined) return ok(seconds);
  const info = await probe(file, signal);
  return info.ok ? ok(info.value.duration) : info;
}
