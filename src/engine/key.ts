/**
 * A step's key (DESIGN §2): xxhash64 of canonical JSON over kind, version,
 * parameters and the digests of its input steps' outputs and input files.
 * Nothing else: no ids of the step itself, times, absolute paths or order.
 * Secrets live outside `params` (StepSpec.secrets) and never reach here.
 */
import type { Json, StepSpec } from "./step.js";
import { canonicalJson } from "./canonical.js";
import { digestString } from "./hash.js";

export interface KeyInputs {
  readonly inputs: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly files: Readonly<Record<string, string>>;
}

export function stepKey(step: StepSpec, resolved: KeyInputs): Promise<string> {
  const material: Json = {
    kind: step.kind,
    version: step.version,
    params: step.params,
    inputs: resolved.inputs,
    files: resolved.files,
    // Absent for take 1: a step's first take keeps the key it had before takes existed.
    ...(step.take !== undefined && step.take > 1 ? { take: step.take } : {}),
  };
  return digestString(canonicalJson(material));
}
