/**
 * The `reference` op: a step whose output is one of the user's own files,
 * stored as is and keyed by its digest: a reference picture instead of a
 * portrait, a music file instead of generated music. Editing the file reruns
 * what uses it.
 *
 * The file is decoded first, so a picture ffmpeg cannot read fails here, named
 * as the user wrote it, instead of later in a keyframe with a cache path.
 */
import { readFile } from "node:fs/promises";
import type { Json, StepContext, StepSpec } from "../../engine/step.js";
import type { Op } from "../../engine/ops.js";
import { checkDecodes, describeFailure, type DecodeKind } from "../../media/index.js";
import { stepFailure } from "../step-failure.js";

export type ReferenceFailure = { readonly kind: "not-decodable"; readonly file: string; readonly decode: DecodeKind };

export function describeReferenceFailure(f: ReferenceFailure): string {
  return f.decode === "picture"
    ? `${f.file} is not a picture ffmpeg can read (PNG, JPEG or WebP)`
    : `${f.file} is not an audio file ffmpeg can read (MP3, WAV, M4A, OGG or FLAC)`;
}

/** Hashed: the file's path (its digest is in the key as a listed file). */
export interface ReferenceParams {
  readonly file: string;
}

/**
 * Not hashed: what the file is checked as and the name it is stored under. Neither changes
 * the stored bytes (the file's own), and the output name is checked against the record.
 */
export interface ReferenceArgs {
  readonly decode: DecodeKind;
  readonly output: string;
}

export function referenceStep(id: string, file: string, decode: DecodeKind, output: string, materialize?: string): StepSpec {
  const params: ReferenceParams = { file };
  const args: ReferenceArgs = { decode, output };
  return {
    id,
    kind: "reference",
    op: "reference",
    version: 2,
    params: { ...params },
    args: { ...args },
    inputs: [],
    files: [file],
    pool: "local",
    ...(materialize ? { materialize: { [output]: materialize } } : {}),
  };
}

export const referenceOp: Op = {
  name: "reference",
  async run(params: Json, io: StepContext, args: Json | undefined) {
    const { file } = params as unknown as ReferenceParams;
    const { decode, output } = args as unknown as ReferenceArgs;
    const path = io.files[file]!.path;
    const decoded = await checkDecodes(path, decode, { signal: io.signal });
    if (!decoded.ok) {
      if (decoded.error.kind === "aborted" || decoded.error.kind === "tool-missing") throw stepFailure(decoded.error, describeFailure);
      throw stepFailure({ kind: "not-decodable", file, decode }, describeReferenceFailure);
    }
    await io.output(output, { bytes: await readFile(path) });
  },
};
