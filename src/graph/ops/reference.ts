/**
 * A step whose output is one of the user's own files, stored as is and keyed
 * by its digest: a reference picture instead of a portrait, a music file
 * instead of generated music. Editing the file reruns what uses it.
 *
 * The file is decoded first, so a picture ffmpeg cannot read fails here, named
 * as the user wrote it, instead of later in a keyframe with a cache path.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";
import { checkDecodes, describeFailure, type DecodeKind } from "../../media/index.js";
import { stepFailure } from "../step-failure.js";

export type ReferenceFailure = { readonly kind: "not-decodable"; readonly file: string; readonly decode: DecodeKind };

export function describeReferenceFailure(f: ReferenceFailure): string {
  return f.decode === "picture"
    ? `${f.file} is not a picture ffmpeg can read (PNG, JPEG or WebP)`
    : `${f.file} is not an audio file ffmpeg can read (MP3, WAV, M4A, OGG or FLAC)`;
}

export function referenceStep(id: string, file: string, kind: DecodeKind, output: string, materialize?: string): StepSpec {
  return {
    id,
    kind: "reference",
    op: "reference",
    version: 2,
    params: { file },
    inputs: [],
    files: [file],
    pool: "local",
    ...(materialize ? { materialize: { [output]: materialize } } : {}),
    async run(ctx) {
      const path = ctx.files[file]!.path;
      const decoded = await checkDecodes(path, kind, { signal: ctx.signal });
      if (!decoded.ok) {
        if (decoded.error.kind === "aborted" || decoded.error.kind === "tool-missing") throw stepFailure(decoded.error, describeFailure);
        throw stepFailure({ kind: "not-decodable", file, decode: kind }, describeReferenceFailure);
      }
      await ctx.output(output, { bytes: await readFile(path) });
    },
  };
}
