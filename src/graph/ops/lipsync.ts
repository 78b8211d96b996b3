/**
 * The `lipsync` op (issue 29), `…/lipsync` of a lipsync-mode shot: the
 * shot's silent clip (made from its keyframe exactly as for voice-over, same
 * key) and its dialogue (the TTS voices of its lines, mixed) go to
 * `use.lipsync`; the clip whose mouths follow the voices comes back and
 * replaces the clip as the cut's picture. Its output has the clip's output
 * name, so the cut reads either the same way.
 *
 * A line edit changes a voice, so the dialogue, so this step: one speech
 * request and one lip-sync job, never a new clip. A look edit changes the
 * keyframe and the clip, so this step too, and no voice.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { jobsLipsyncFor } from "../../providers/registry.js";
import { servedByService, type ServiceBackend } from "../backends.js";
import { storeGenerated } from "../call-context.js";
import { CLIP_OUTPUT } from "./clip.js";
import { DIALOGUE_OUTPUT, inputTimings } from "./dialogue.js";
import { serviceArgs, serviceOf } from "./service.js";

/** The lip-sync step's output: a video, under the clip's output name (the cut reads it as its clip). */
export const LIPSYNC_OUTPUT = { video: CLIP_OUTPUT.video } as const;

/** Not hashed: which input is which, and how to name each line to a writer (a clip too short names the first that overruns). */
export interface LipsyncArgs {
  readonly clip: string;
  readonly dialogue: string;
  /** Per spoken line in order, e.g. `line 2 'Dad, I'm sorry.' (drama.yaml:14:9)`. */
  readonly labels: readonly string[];
  /** The clip's vendor made it and takes its own id (Kling: same provider for video and lip sync): send the id, not an upload. */
  readonly byVideoId?: boolean;
}

export interface LipsyncStepInput {
  readonly id: string;
  readonly clip: string;
  readonly dialogue: string;
  readonly labels: readonly string[];
  /** The clip's planned length, for the price before running. */
  readonly seconds: number;
  readonly byVideoId?: boolean;
}

export function lipsyncStep(backend: ServiceBackend, s: LipsyncStepInput): StepSpec {
  const args: LipsyncArgs = { clip: s.clip, dialogue: s.dialogue, labels: s.labels, ...(s.byVideoId ? { byVideoId: true } : {}) };
  return {
    id: s.id,
    kind: "lipsync",
    version: 1,
    // Everything else it reads is an input (the clip, the dialogue): their digests are in the key.
    params: { backend: backend.identity },
    inputs: [s.clip, s.dialogue],
    files: [],
    ...servedByService(backend, s.seconds),
    op: "lipsync",
    args: { ...(serviceArgs(backend.config) as Record<string, never>), ...args },
  };
}

export const lipsyncOp: Op = {
  name: "lipsync",
  async run(_params, io, args) {
    const a = args as unknown as LipsyncArgs;
    const { config, secrets, tuning } = serviceOf(args, io, "lipsync");
    const lips = jobsLipsyncFor(config, secrets, tuning);
    const made = io.inputs[a.clip]!;
    const video = made[CLIP_OUTPUT.video];
    if (!video) throw new Error(`${a.clip}: lip sync needs a generated clip, and this one is a camera move over a still (an offline clip)`);
    const timings = await inputTimings(io, a.dialogue);
    const lines = timings.map((t) => ({ label: a.labels[t.index] ?? `line ${t.index + 1}`, end: t.end }));
    // A clip from before its vendor's id was kept has none: it goes by URL (uploads:).
    const idFile = a.byVideoId ? made[CLIP_OUTPUT.vendorId] : undefined;
    const videoId = idFile ? (await readFile(idFile.path, "utf8")).trim() : undefined;
    await storeGenerated(io, "lipsync.mp4", LIPSYNC_OUTPUT.video, (call) =>
      lips.lipsync({ video: video.path, audio: io.inputs[a.dialogue]![DIALOGUE_OUTPUT.audio]!.path, lines, ...(videoId ? { videoId } : {}) }, call),
    );
  },
};

/**
 * A lipsync shot's cut: the same cut step with the lip-sync output as its
 * picture in place of the clip (the cut reads its picture from `args.clip`,
 * under the clip's output name, which the lip-sync output shares).
 */
export function cutOfLipsync(cut: StepSpec, clip: string, lipsync: string): StepSpec {
  const args = cut.args as Record<string, unknown> as { clip?: string };
  if (args.clip !== clip) throw new Error(`${cut.id}: its picture is ${String(args.clip)}, not ${clip}`);
  return { ...cut, inputs: cut.inputs.map((i) => (i === clip ? lipsync : i)), args: { ...(cut.args as Record<string, never>), clip: lipsync } };
}
