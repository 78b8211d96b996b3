/**
 * A step's key (DESIGN §2): xxhash64 of canonical JSON over kind, version,
 * parameters and the digests of its input steps' outputs and input files.
 * Nothing else: no ids of the step itself, times, absolute paths or order.
 * Secrets live outside `params` (StepSpec.secrets) and never reach here.
 */
import type { Json, StepSpec } from "./step.js";
import { canonicalJson } from "./canonical.js";
import type { XXHashAPI } from "xxhash-wasm";
import { hex, xxhash } from "./hash.js";

export interface KeyInputs {
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly files: Readonly<Record<string, string>>;
}

export async function stepKey(step: StepSpec, resolved: KeyInputs): Promise<string> {
  return stepKeyWith(await xxhash(), step, resolved);
}

/** What of a step its key covers: also all an action record keeps of it, so a record's key can be checked. */
export type KeyedStep = Pick<StepSpec, "kind" | "version" | "params" | "take">;

/** `stepKey` with the hasher at hand (see loadedXxhash). */
export function stepKeyWith(hasher: XXHashAPI, step: KeyedStep, resolved: KeyInputs): string {
  return hex(hasher.h64(keyMaterial(step, resolved)));
}

function keyMaterial(step: KeyedStep, resolved: KeyInputs): string {
  // Members in code-unit order, which canonicalJson prints with one JSON.stringify when the parts are in order too.
  const material: Json = {
    files: resolved.files,
    inputs: resolved.inputs,
    kind: step.kind,
    params: step.params,
    // Absent for take 1: a step's first take keeps the key it had before takes existed.
    take: step.take !== undefined && step.take > 1 ? step.take : undefined,
    version: step.version,
  };
  return canonicalJson(material);
}
