/**
 * A step whose output is one of the user's own files, stored as is and keyed
 * by its digest: a reference picture instead of a portrait, a music file
 * instead of generated music. Editing the file reruns what uses it.
 */
import { readFile } from "node:fs/promises";
import type { StepSpec } from "../../engine/step.js";

export function referenceStep(id: string, file: string, output: string, materialize?: string): StepSpec {
  return {
    id,
    kind: "reference",
    version: 1,
    params: { file },
    inputs: [],
    files: [file],
    pool: "local",
    ...(materialize ? { materialize: { [output]: materialize } } : {}),
    async run(ctx) {
      await ctx.output(output, { bytes: await readFile(ctx.files[file]!.path) });
    },
  };
}
