/** For an op's run: the stored file of an input step's named output (the step and the output are in the job). */
import type { StepContext } from "../../engine/step.js";

export function inputFile(io: StepContext, step: string, output: string): string {
  const a = io.inputs[step]?.[output];
  if (!a) throw new Error(`input ${step} has no output ${output}`);
  return a.path;
}
