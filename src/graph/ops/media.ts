/**
 * The ops whose run is one provider call that makes a file: portrait, keyframe,
 * clip, music (issue 26). Each reads its params (the request the key holds),
 * its args (the provider's configuration; values an input's key holds) and
 * its input artifacts, gets its provider from the registry and stores the file.
 * The step builders (graph/steps/) make the same params; the request sent is
 * built here, by the same functions they price with.
 */
import type { Json, StepContext } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import type { ClipRequest, KeyframeRequest, MusicRequest, PortraitRequest } from "../../providers/types.js";
import { storeGenerated } from "../call-context.js";
import { providerFor } from "./provider.js";
import { keyframeRequest } from "./keyframe.js";
import { CLIP_OUTPUT, moveJson } from "./clip.js";

type Params<T> = { readonly request: T } & Record<string, unknown>;
const paramsOf = <T>(params: Json) => params as unknown as Params<T>;

export const portraitOp: Op = {
  name: "portrait",
  async run(params, io, args) {
    const provider = await providerFor(args, io);
    await storeGenerated(io, "portrait.png", "image", (call) => provider.portrait(paramsOf<PortraitRequest>(params).request, call));
  },
};

export const musicOp: Op = {
  name: "music",
  async run(params, io, args) {
    const provider = await providerFor(args, io);
    await storeGenerated(io, "music.wav", "audio", (call) => provider.music(paramsOf<MusicRequest>(params).request, call));
  },
};

/** Keyframe args: each member's portrait step, and the looks a generated portrait's key already holds. */
export interface KeyframeArgs {
  readonly portraits: Readonly<Record<string, string>>;
  readonly looks: Readonly<Record<string, string>>;
}

export const keyframeOp: Op = {
  name: "keyframe",
  async run(params, io, args) {
    const p = params as unknown as { request: Omit<KeyframeRequest, "references">; cast: string[]; looks?: Record<string, string> };
    const a = args as unknown as KeyframeArgs;
    const provider = await providerFor(args, io);
    // A reference picture's look is in the params (the key); a generated portrait's is in that portrait's key.
    const request = keyframeRequest(p.request, p.cast, (id) => p.looks?.[id] ?? a.looks[id]!, (id) => inputFile(io, a.portraits[id]!, "image"));
    await storeGenerated(io, "keyframe.png", "image", (call) => provider.keyframe(request, call));
  },
};

export const clipOp: Op = {
  name: "clip",
  async run(params, io, args) {
    const p = params as unknown as { request: Omit<ClipRequest, "keyframe">; moves?: boolean };
    const still = inputFile(io, (args as unknown as { keyframe: string }).keyframe, "image");
    if (p.moves) {
      await io.output(CLIP_OUTPUT.still, { file: still });
      await io.output(CLIP_OUTPUT.move, { bytes: moveJson({ camera: p.request.camera, variation: io.take - 1 }) });
      return;
    }
    const provider = await providerFor(args, io);
    await storeGenerated(io, "clip.mp4", CLIP_OUTPUT.video, (call) => provider.clip({ ...p.request, keyframe: still }, call));
  },
};

function inputFile(io: StepContext, step: string, output: string): string {
  const a = io.inputs[step]?.[output];
  if (!a) throw new Error(`input ${step} has no output ${output}`);
  return a.path;
}
